namespace GraphDL.Tests.Autodiff.Samples;

/// <summary>matmul (with NumPy batch broadcasting) and conv2d (stride, padding, dilation, groups).</summary>
public sealed class ContractionGradSamples : GradSampleSet
{
    public override IEnumerable<GradSample> Samples()
    {
        yield return Sample("matmul", "rank 2", [AwayFromZero(201, 2, 3), AwayFromZero(202, 3, 4)]);
        // Batch [2,1] with [3] broadcasts to [2,3]: dA sums over the expanded axis, dB over the missing leading one.
        yield return Sample("matmul", "batch broadcast", [AwayFromZero(203, 2, 1, 2, 3), AwayFromZero(204, 3, 3, 2)]);
        yield return Sample("matmul", "batched by rank 2", [AwayFromZero(205, 3, 2, 2), AwayFromZero(206, 2, 3)]);

        yield return Conv("plain", [2, 2, 2, 3], [3, 2, 2, 2], stride: [1, 1], padding: [1, 1, 0, 0], dilation: [1, 1], groups: 1, seed: 207);
        // 6x6 padded, kernel 2, stride 2: 3x3 outputs.
        yield return Conv("stride 2 padded", [1, 1, 5, 5], [1, 1, 2, 2], stride: [2, 2], padding: [1, 0, 0, 1], dilation: [1, 1], groups: 1, seed: 209);
        // (5 - 2)/2 is not whole: the last row is never read and gets zero gradient.
        yield return Conv("stride 2 not divisible", [1, 1, 5, 4], [2, 1, 2, 2], stride: [2, 2], padding: [0, 0, 0, 0], dilation: [1, 1], groups: 1, seed: 211);
        yield return Conv("dilation 2", [1, 1, 5, 4], [1, 1, 2, 2], stride: [1, 1], padding: [0, 0, 1, 0], dilation: [2, 2], groups: 1, seed: 213);
        yield return Conv("groups 2", [1, 2, 3, 3], [4, 1, 2, 2], stride: [1, 1], padding: [0, 0, 0, 0], dilation: [1, 1], groups: 2, seed: 215);
        yield return Conv("all together", [1, 2, 4, 3], [2, 1, 2, 2], stride: [2, 1], padding: [1, 0, 1, 1], dilation: [1, 2], groups: 2, seed: 217);
    }

    private static GradSample Conv(string name, int[] x, int[] w, int[] stride, int[] padding, int[] dilation, int groups, int seed) =>
        Sample("conv2d", name, [AwayFromZero(seed, x), AwayFromZero(seed + 1, w)],
            Ints("stride", stride), Ints("padding", padding), Ints("dilation", dilation), Int("groups", groups));
}
