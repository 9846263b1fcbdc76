using GraphDL.IR;
using GraphDL.Runtime;

namespace GraphDL.Tests.Autodiff;

/// <summary>Small helpers for the hand-derived gradient tests: run a traced graph and compare with expected doubles.</summary>
internal static class AutodiffAssert
{
    public static HostTensor F64(params double[] values) => HostTensor.FromArray(values, values.Length);

    public static TensorSpec Spec(int n) => TensorSpec.Input(DType.F64, n);

    /// <summary>Runs <paramref name="graph"/> and returns every output as doubles.</summary>
    public static double[][] Run(Graph graph, params HostTensor[] inputs) =>
        ReferenceInterpreter.Run(graph, inputs).Select(t => t.ToDoubleArray()).ToArray();

    public static void Close(double[] expected, double[] actual, double tolerance = 1e-12)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance * (1 + Math.Abs(expected[i])),
                $"element {i}: expected {expected[i]:R}, got {actual[i]:R} (expected [{string.Join(", ", expected)}], got [{string.Join(", ", actual)}])");
        }
    }
}
