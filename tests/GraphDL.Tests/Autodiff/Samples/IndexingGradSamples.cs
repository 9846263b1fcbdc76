using GraphDL.IR;

namespace GraphDL.Tests.Autodiff.Samples;

/// <summary>reduce_window (sum and max, overlapping and padded), gather and scatter_add with repeated indices.</summary>
public sealed class IndexingGradSamples : GradSampleSet
{
    public override IEnumerable<GradSample> Samples()
    {
        yield return Window("sum", "overlapping padded", AwayFromZero(301, 4, 5), window: [2, 3], stride: [1, 2], padding: [1, 0, 0, 1]);
        yield return Window("sum", "pooling nchw", AwayFromZero(302, 1, 2, 3, 4), window: [1, 1, 2, 2], stride: [1, 1, 1, 2], padding: [0, 0, 0, 0, 0, 1, 0, 0]);
        // Values are distinct (far apart relative to the finite-difference step), so no window has a tie.
        yield return Window("max", "overlapping padded", AwayFromZero(303, 4, 4), window: [3, 3], stride: [1, 1], padding: [1, 1, 1, 1]);
        yield return Window("max", "stride 2 window 3", AwayFromZero(304, 5, 4), window: [3, 2], stride: [2, 2], padding: [1, 1, 0, 0]);
        yield return Window("max", "pooling nchw", AwayFromZero(305, 1, 2, 3, 4), window: [1, 1, 2, 2], stride: [1, 1, 1, 2], padding: [0, 0, 0, 0, 0, 0, 0, 0]);

        yield return Sample("gather", "axis 0 repeated", [AwayFromZero(306, 4, 3), Index([5, 3], 0, 2, 2, 1, 1, 1, 3, 0, 3, 2, 2, 0, 0, 3, 1)], Int("axis", 0));
        yield return Sample("gather", "axis 1 smaller index", [AwayFromZero(307, 3, 4), Index([2, 3], 3, 3, 0, 1, 3, 1)], Int("axis", 1));

        yield return Sample("scatter_add", "axis 0 repeated",
            [AwayFromZero(308, 4, 3), Index([5, 2], 0, 2, 3, 2, 0, 0, 1, 2, 0, 1), AwayFromZero(309, 5, 2)], Int("axis", 0));
        yield return Sample("scatter_add", "axis 1 repeated",
            [AwayFromZero(310, 2, 3), Index([2, 4], 2, 2, 0, 2, 1, 1, 1, 0), AwayFromZero(311, 2, 4)], Int("axis", 1));
    }

    private static GradSample Window(string mode, string name, HostTensor x, int[] window, int[] stride, int[] padding) =>
        Sample("reduce_window", $"{mode} {name}", [x], Str("mode", mode), Ints("window", window), Ints("stride", stride), Ints("padding", padding));

    private static HostTensor Index(int[] shape, params long[] values) => HostTensor.FromInt64s(DType.I64, new Shape(shape), values);
}
