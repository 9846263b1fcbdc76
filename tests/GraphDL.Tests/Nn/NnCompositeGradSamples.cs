using GraphDL.IR;
using GraphDL.Tests.Composites;

namespace GraphDL.Tests.Nn;

/// <summary>
/// Gradcheck points (f64, orders 1 and 2, both modes) for the nn composites: layer_norm, batch_norm (training branch;
/// the running statistics enter as constants), attention with and without the causal mask, and the rnn/gru/lstm
/// cells. Run by the composite gradcheck suite and, filtered to these, by <see cref="CompositeGradCheckTests"/>.
/// </summary>
public sealed class NnCompositeGradSamples : CompositeGradSampleSet
{
    private static HostTensor R(int seed, params int[] shape) => NnTestKit.RandomF64(seed, shape);

    public override IEnumerable<CompositeGradSample> Samples()
    {
        yield return Sample("LayerNorm", "affine", a => F.LayerNorm(a[0], [3], a[1], a[2]), R(100, 2, 3), R(101, 3), R(102, 3));
        yield return Sample("LayerNorm", "two-dims-no-affine", a => F.LayerNorm(a[0], [2, 2], eps: 0.1), R(103, 2, 2, 2));

        var runningMean = F64([0.1, -0.2], 2);
        var runningVar = F64([1.5, 0.5], 2);
        yield return Sample("BatchNorm", "training-affine", a => F.BatchNorm(a[0], F.Constant(runningMean), F.Constant(runningVar), a[1], a[2], training: true).Output,
            R(104, 3, 2), R(105, 2), R(106, 2));
        yield return Sample("BatchNorm", "training-spatial", a => F.BatchNorm(a[0], F.Constant(runningMean), F.Constant(runningVar), training: true, eps: 0.01).Output,
            R(107, 2, 2, 1, 2));
        yield return Sample("BatchNorm", "eval", a => F.BatchNorm(a[0], F.Constant(runningMean), F.Constant(runningVar), a[1], a[2]).Output,
            R(108, 3, 2), R(109, 2), R(110, 2));

        yield return Sample("ScaledDotProductAttention", "plain", a => F.ScaledDotProductAttention(a[0], a[1], a[2]), R(111, 3, 2), R(112, 3, 2), R(113, 3, 2));
        yield return Sample("ScaledDotProductAttention", "causal", a => F.ScaledDotProductAttention(a[0], a[1], a[2], causal: true), R(114, 3, 2), R(115, 3, 2), R(116, 3, 2));
        yield return Sample("ScaledDotProductAttention", "batched-float-mask", a => F.ScaledDotProductAttention(a[0], a[1], a[2], mask: a[3]),
            R(117, 2, 2, 2), R(118, 2, 3, 2), R(119, 2, 3, 1), R(120, 2, 3));

        yield return Sample("RnnCell", "tanh", a => F.RnnCell(a[0], a[1], a[2], a[3], a[4], a[5]),
            R(121, 2, 2), R(122, 2, 2), R(123, 2, 2), R(124, 2, 2), R(125, 2), R(126, 2));
        yield return Sample("RnnCell", "relu", a => F.RnnCell(a[0], a[1], a[2], a[3], a[4], a[5], "relu"),
            R(127, 2, 2), R(128, 2, 2), R(129, 2, 2), R(130, 2, 2), R(131, 2), R(132, 2));
        yield return Sample("GruCell", "default", a => F.GruCell(a[0], a[1], a[2], a[3], a[4], a[5]),
            R(133, 1, 2), R(134, 1, 2), R(135, 6, 2), R(136, 6, 2), R(137, 6), R(138, 6));
        yield return Sample("LstmCell", "h-and-c", a =>
        {
            var (h, c) = F.LstmCell(a[0], a[1], a[2], a[3], a[4], a[5], a[6]);
            return F.Concat([h, c], -1);
        }, R(140, 1, 2), R(141, 1, 2), R(142, 1, 2), R(143, 8, 2), R(144, 8, 2), R(145, 8), R(146, 8));
    }
}
