using GraphDL.IR;
using GraphDL.Runtime;

namespace GraphDL.Tests.Composites;

/// <summary>Traces a function of HostTensor-shaped inputs and runs it on the reference interpreter.</summary>
internal static class CompositeRun
{
    public static Graph Trace(Func<Tensor[], Tensor[]> f, params HostTensor[] inputs) =>
        GraphDL.Trace.Function("f", f, inputs.Select((v, i) => TensorSpec.Input(v.DType, v.Shape.ToArray()).Named($"x{i}")).ToArray());

    /// <summary>Runs <paramref name="graph"/> on <paramref name="inputs"/> (x0, x1, ...) and, where it has them, the rng.seed/rng.offset inputs.</summary>
    public static IReadOnlyList<HostTensor> Run(Graph graph, HostTensor[] inputs, long seed = 0, long offset = 0)
    {
        var byName = new Dictionary<string, HostTensor>();
        for (int i = 0; i < inputs.Length; i++)
        {
            byName[$"x{i}"] = inputs[i];
        }
        if (graph.Inputs.Any(i => i.Name == "rng.seed"))
        {
            byName["rng.seed"] = Scalar(seed);
            byName["rng.offset"] = Scalar(offset);
        }
        return ReferenceInterpreter.Run(graph, byName);
    }

    public static HostTensor One(Func<Tensor[], Tensor> f, params HostTensor[] inputs) => Run(Trace(x => [f(x)], inputs), inputs)[0];

    public static HostTensor Scalar(long value) => HostTensor.FromInt64s(DType.I64, Shape.Scalar, [value]);

    public static HostTensor F64(double[] values, params int[] shape) => HostTensor.FromDoubles(DType.F64, new Shape(shape), values);

    public static HostTensor F32(double[] values, params int[] shape) => HostTensor.FromDoubles(DType.F32, new Shape(shape), values);

    public static HostTensor I64(long[] values, params int[] shape) => HostTensor.FromInt64s(DType.I64, new Shape(shape), values);

    public static HostTensor I32(long[] values, params int[] shape) => HostTensor.FromInt64s(DType.I32, new Shape(shape), values);

    /// <summary>Asserts |actual − expected| ≤ atol + rtol·|expected| element by element (equal infinities pass).</summary>
    public static void AssertClose(double[] expected, HostTensor actual, double atol = 1e-13, double rtol = 1e-13, string what = "")
    {
        var values = actual.ToDoubleArray();
        Assert.Equal(expected.Length, values.Length);
        for (int i = 0; i < values.Length; i++)
        {
            bool ok = expected[i] == values[i] || Math.Abs(values[i] - expected[i]) <= atol + rtol * Math.Abs(expected[i]);
            Assert.True(ok, $"{what}[{i}]: expected {expected[i]:R}, got {values[i]:R}");
        }
    }

    public static void AssertClose(double expected, HostTensor actual, double atol = 1e-13, double rtol = 1e-13, string what = "") =>
        AssertClose([expected], actual, atol, rtol, what);
}
