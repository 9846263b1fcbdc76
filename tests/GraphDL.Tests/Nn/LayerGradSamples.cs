using GraphDL.IR;
using GraphDL.Tests.Composites;

namespace GraphDL.Tests.Nn;

/// <summary>
/// Gradcheck points (f64, orders 1 and 2, both modes) for the layer composites behind the Conv1d, ConvTranspose2d,
/// GroupNorm, InstanceNorm2d and AdaptiveAvgPool2d modules: strides, padding, dilation, groups, output padding and a
/// padding that crops, uneven adaptive windows. Found by reflection, so the composite gradient suite and the compiled
/// against interpreter equivalence suite both run them.
/// </summary>
public sealed class LayerGradSamples : CompositeGradSampleSet
{
    private static HostTensor R(int seed, params int[] shape) => NnTestKit.RandomF64(seed, shape);

    public override IEnumerable<CompositeGradSample> Samples()
    {
        yield return Sample("Conv1d", "bias-padded", a => F.Conv1d(a[0], a[1], a[2], padding: 1), R(300, 2, 2, 5), R(301, 3, 2, 3), R(302, 3));
        yield return Sample("Conv1d", "strided-dilated-grouped", a => F.Conv1d(a[0], a[1], stride: 2, dilation: 2, groups: 2), R(303, 1, 4, 7), R(304, 2, 2, 2));
        yield return Sample("Conv1d", "unbatched", a => F.Conv1d(a[0], a[1], a[2]), R(305, 2, 4), R(306, 1, 2, 2), R(307, 1));

        yield return Sample("ConvTranspose2d", "bias", a => F.ConvTranspose2d(a[0], a[1], a[2]), R(310, 1, 2, 2, 3), R(311, 2, 3, 2, 2), R(312, 3));
        yield return Sample("ConvTranspose2d", "stride2-padding1-output-padding1", a => F.ConvTranspose2d(a[0], a[1], stride: 2, padding: 1, outputPadding: 1),
            R(313, 1, 2, 2, 2), R(314, 2, 1, 3, 3));
        yield return Sample("ConvTranspose2d", "grouped-dilated", a => F.ConvTranspose2d(a[0], a[1], a[2], stride: 2, groups: 2, dilation: 2),
            R(315, 1, 4, 2, 2), R(316, 4, 1, 2, 2), R(317, 2));
        yield return Sample("ConvTranspose2d", "padding-crops", a => F.ConvTranspose2d(a[0], a[1], padding: 2), R(318, 1, 1, 4, 4), R(319, 1, 2, 2, 3));

        yield return Sample("GroupNorm", "affine", a => F.GroupNorm(a[0], 2, a[1], a[2]), R(320, 2, 4, 3), R(321, 4), R(322, 4));
        yield return Sample("GroupNorm", "one-group-4d", a => F.GroupNorm(a[0], 1, eps: 0.1), R(323, 1, 2, 2, 2));

        yield return Sample("InstanceNorm", "affine", a => F.InstanceNorm(a[0], a[1], a[2]), R(330, 2, 2, 2, 2), R(331, 2), R(332, 2));
        var runningMean = F64([0.1, -0.2], 2);
        var runningVar = F64([1.5, 0.5], 2);
        yield return Sample("InstanceNorm", "running-stats-training", a => F.InstanceNorm(a[0], F.Constant(runningMean), F.Constant(runningVar), null, null, useInputStats: true).Output,
            R(333, 2, 2, 3));
        yield return Sample("InstanceNorm", "running-stats-eval", a => F.InstanceNorm(a[0], F.Constant(runningMean), F.Constant(runningVar), a[1], a[2], useInputStats: false).Output,
            R(334, 1, 2, 2, 2), R(335, 2), R(336, 2));

        yield return Sample("AdaptiveAvgPool2d", "uneven-windows", a => F.AdaptiveAvgPool2d(a[0], (3, 2)), R(340, 1, 2, 5, 5));
        yield return Sample("AdaptiveAvgPool2d", "even-and-upsampling", a => F.AdaptiveAvgPool2d(a[0], (2, 5)), R(341, 2, 1, 4, 3));
        yield return Sample("AdaptiveAvgPool2d", "global-unbatched", a => F.AdaptiveAvgPool2d(a[0], 1), R(342, 2, 3, 3));
    }
}
