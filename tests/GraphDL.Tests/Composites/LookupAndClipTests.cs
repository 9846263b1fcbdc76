using GraphDL.IR;
using static GraphDL.Tests.Composites.CompositeRun;

namespace GraphDL.Tests.Composites;

/// <summary>embedding, one_hot and clip_grad_norm against hand-computed results.</summary>
public class LookupAndClipTests
{
    private static readonly double[] Weight = [0, 1, 10, 11, 20, 21, 30, 31, 40, 41];  // row r = [10r, 10r + 1]

    [Fact]
    public void EmbeddingGathersRowsForIndicesOfAnyShape()
    {
        var weight = F64(Weight, 5, 2);
        var result = One(t => F.Embedding(t[0], t[1]), I64([0, 2, 4, 1, 1, 3], 2, 3), weight);
        Assert.Equal([2, 3, 2], result.Shape.ToArray());
        AssertClose([0, 1, 20, 21, 40, 41, 10, 11, 10, 11, 30, 31], result, 0, 0);
        AssertClose([30, 31], One(t => F.Embedding(t[0], t[1]), HostTensor.FromInt64s(DType.I32, Shape.Scalar, [3]), weight), 0, 0);
        var rank3 = One(t => F.Embedding(t[0], t[1]), I32([4, 0, 1, 2], 2, 1, 2), weight);
        Assert.Equal([2, 1, 2, 2], rank3.Shape.ToArray());
        AssertClose([40, 41, 0, 1, 10, 11, 20, 21], rank3, 0, 0);
        // padding_idx changes gradients only, not values.
        AssertClose([0, 1, 20, 21], One(t => F.Embedding(t[0], t[1], paddingIdx: 0), I64([0, 2], 2), weight), 0, 0);
        Assert.Throws<ArgumentOutOfRangeException>(() => One(t => F.Embedding(t[0], t[1], paddingIdx: 5), I64([0, 2], 2), weight));
        Assert.Throws<ShapeException>(() => One(t => F.Embedding(t[0], t[1]), F64([0, 1], 2), weight));
    }

    [Fact]
    public void OneHotComparesWithIota()
    {
        var result = One(t => F.OneHot(t[0], 4), I64([0, 2, 3, 1], 2, 2));
        Assert.Equal(DType.I64, result.DType);
        Assert.Equal([2, 2, 4], result.Shape.ToArray());
        Assert.Equal([1L, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 1, 0, 0], result.ToInt64Array());
        var f32 = One(t => F.OneHot(t[0], 3, DType.F32), I32([2, 0], 2));
        Assert.Equal(DType.F32, f32.DType);
        AssertClose([0, 0, 1, 1, 0, 0], f32, 0, 0);
        Assert.Equal([0L, 0, 0], One(t => F.OneHot(t[0], 3), I64([5], 1)).ToInt64Array());  // out of range: no class
        Assert.Throws<ArgumentOutOfRangeException>(() => One(t => F.OneHot(t[0], 0), I64([0], 1)));
        Assert.Throws<ShapeException>(() => One(t => F.OneHot(t[0], 3), F64([0], 1)));
    }

    private static HostTensor[] Clip(double maxNorm, double normType, params HostTensor[] grads)
    {
        var graph = Trace(t =>
        {
            var (clipped, norm) = F.ClipGradNorm(t, maxNorm, normType);
            return [.. clipped, norm];
        }, grads);
        return Run(graph, grads).ToArray();
    }

    [Fact]
    public void ClipGradNormScalesAllGradientsByOneFactor()
    {
        // ‖[3, 4]‖² + ‖[[12]]‖² = 169: the total norm is 13.
        var g1 = F64([3, 4], 2);
        var g2 = F64([12], 1, 1);
        var clipped = Clip(6.5, 2, g1, g2);
        double scale = 6.5 / (13 + 1e-6);
        AssertClose([3 * scale, 4 * scale], clipped[0], 0, 1e-15);
        AssertClose([12 * scale], clipped[1], 0, 1e-15);
        Assert.Equal([1, 1], clipped[1].Shape.ToArray());
        AssertClose(13, clipped[2], 0, 1e-15);
        var unclipped = Clip(100, 2, g1, g2);
        AssertClose([3, 4], unclipped[0], 0, 0);
        AssertClose([12], unclipped[1], 0, 0);
        AssertClose(13, unclipped[2], 0, 1e-15);
    }

    [Fact]
    public void ClipGradNormOtherNormTypesAndDTypes()
    {
        var g1 = F64([3, -4], 2);
        var g2 = F64([-12], 1);
        AssertClose(12, Clip(1, double.PositiveInfinity, g1, g2)[2], 0, 0);
        AssertClose(19, Clip(1, 1, g1, g2)[2], 0, 1e-15);
        AssertClose(Math.Pow(27 + 64 + 1728, 1.0 / 3), Clip(1, 3, g1, g2)[2], 0, 1e-15);
        var f32 = Clip(1, 2, F32([3, 4], 2), F32([12], 1));
        Assert.Equal(DType.F32, f32[0].DType);
        AssertClose([3 / 13.0, 4 / 13.0], f32[0], 1e-7, 1e-6);
        Assert.Throws<ArgumentException>(() => F.ClipGradNorm([], 1.0));
    }
}
