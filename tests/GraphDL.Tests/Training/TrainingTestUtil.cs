using System.Runtime.CompilerServices;
using GraphDL.IR;
using GraphDL.Runtime;

namespace GraphDL.Tests.Training;

using Autodiff = GraphDL.Autodiff;

internal static class TrainingTestUtil
{
    public static int Line([CallerLineNumber] int line = 0) => line;

    public static HostTensor F64(double[] values, params int[] shape) => HostTensor.FromArray(values.ToArray(), shape);

    public static HostTensor I64(long[] values, params int[] shape) => HostTensor.FromArray(values.ToArray(), shape);

    /// <summary>Runs <paramref name="graph"/> on the reference interpreter and returns each output as doubles.</summary>
    public static double[][] Run(Graph graph, params HostTensor[] inputs) =>
        ReferenceInterpreter.Run(graph, inputs).Select(o => o.ToDoubleArray()).ToArray();

    public static void AssertClose(double[] expected, double[] actual, string what, double rtol = 1e-12) =>
        OptimizerTests.AssertClose(expected, actual, what, rtol);
}
