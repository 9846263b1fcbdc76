using GraphDL.IR;
using static GraphDL.Tests.Composites.CompositeRun;

namespace GraphDL.Tests.Composites;

/// <summary>F.Accuracy: the fraction of arg-max predictions equal to the label, over [N, C] and [N, C, d...] scores.</summary>
public class AccuracyTests
{
    /// <summary>The fraction of rows (i, j) of scores [N, C, inner] whose first largest class is the label.</summary>
    private static double Reference(double[] scores, int n, int c, int inner, long[] labels)
    {
        int correct = 0;
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < inner; j++)
            {
                int best = 0;
                for (int k = 1; k < c; k++)
                {
                    if (scores[(i * c + k) * inner + j] > scores[(i * c + best) * inner + j])
                    {
                        best = k;
                    }
                }
                correct += best == labels[i * inner + j] ? 1 : 0;
            }
        }
        return correct / (double)(n * inner);
    }

    [Fact]
    public void FractionOfRowsWhoseArgMaxIsTheLabel()
    {
        // Rows: argmax 2, 0, 1 (a tie of 1 and 2 goes to 1), 0.
        double[] scores = [0.1, 0.2, 0.9, 3, -1, 2, 0, 5, 5, 1, 0, 0];
        long[] labels = [2, 1, 1, 0];
        Assert.Equal(0.75, Reference(scores, 4, 3, 1, labels));
        foreach (var dtype in new[] { DType.F64, DType.F32, DType.F16 })
        {
            var x = HostTensor.FromDoubles(dtype, new Shape(4, 3), scores);
            var interpreted = One(t => F.Accuracy(t[0], t[1]), x, I64(labels, 4));
            Assert.Equal(DType.F32, interpreted.DType);
            AssertClose(0.75, interpreted, 0, 0, $"{dtype}");
            AssertClose(0.75, ClassLossValueTests.Compiled(t => F.Accuracy(t[0], t[1]), x, I32(labels, 4)), 0, 0, $"{dtype} compiled");
        }
    }

    [Fact]
    public void ClassDimensionIsOneForSpatialScores()
    {
        var random = new Random(7);
        var scores = Enumerable.Range(0, 2 * 4 * 3).Select(_ => random.NextDouble()).ToArray();
        long[] labels = [0, 1, 3, 2, 2, 1];
        double expected = Reference(scores, 2, 4, 3, labels);
        AssertClose(expected, One(t => F.Accuracy(t[0], t[1]), F64(scores, 2, 4, 3), I64(labels, 2, 3)), 0, 1e-7);
        Assert.InRange(expected, 0.01, 0.99);
    }

    [Fact]
    public void MismatchedShapesAndFloatLabelsAreErrors()
    {
        var scores = F64(new double[12], 4, 3);
        Assert.Throws<ShapeException>(() => One(t => F.Accuracy(t[0], t[1]), scores, I64([0, 1, 2], 3)));
        Assert.Throws<ShapeException>(() => One(t => F.Accuracy(t[0], t[1]), scores, F64([0, 1, 2, 0], 4)));
        Assert.Throws<ShapeException>(() => One(t => F.Accuracy(t[0], t[1]), F64([1, 2, 3], 3), I64([0])));
    }
}
