using GraphDL.Cli.Fuzzing;
using GraphDL.IR;
using GraphDL.IR.Ops;
using GraphDL.Runtime;

namespace GraphDL.Tests.Codegen;

/// <summary>
/// Max and average pooling (<c>reduce_window</c>) run by the pooling kernel step, and the max-pool VJP (slices, masks,
/// pads — all run by kernel steps or generated code), against the reference evaluation bit for bit. Inputs are drawn
/// from a few values (ties, ±0, negatives, NaN, −∞) so windows tie often and NaN must propagate as the reference's.
/// </summary>
public class ReduceWindowStepTests
{
    private static readonly double[] Values = [-2, -1, -0.0, 0, 1, 1, 3, double.NaN, double.NegativeInfinity, -1e30];

    [Theory]
    [InlineData(DType.F32, "max", new[] { 3, 4, 9, 9 }, new[] { 1, 1, 2, 2 }, new[] { 1, 1, 2, 2 }, new int[0])]
    [InlineData(DType.F32, "max", new[] { 2, 3, 10, 7 }, new[] { 1, 1, 3, 3 }, new[] { 1, 1, 2, 1 }, new[] { 0, 0, 0, 0, 1, 1, 2, 0 })]
    [InlineData(DType.F32, "max", new[] { 5, 11 }, new[] { 2, 4 }, new[] { 3, 1 }, new[] { 1, 0, 3, 3 })]
    [InlineData(DType.F64, "max", new[] { 17 }, new[] { 5 }, new[] { 2 }, new[] { 2, 2 })]
    [InlineData(DType.F32, "sum", new[] { 2, 3, 8, 9 }, new[] { 1, 1, 3, 2 }, new[] { 1, 1, 2, 2 }, new[] { 0, 0, 0, 0, 1, 1, 0, 1 })]
    [InlineData(DType.F64, "sum", new[] { 4, 6, 5 }, new[] { 2, 3, 2 }, new int[0], new int[0])]
    [InlineData(DType.F32, "max", new[] { 2, 0, 4, 4 }, new[] { 1, 1, 2, 2 }, new[] { 1, 1, 2, 2 }, new int[0])]
    // Large enough to split its rows across the cores.
    [InlineData(DType.F32, "max", new[] { 8, 32, 26, 26 }, new[] { 1, 1, 2, 2 }, new[] { 1, 1, 2, 2 }, new int[0])]
    [InlineData(DType.F32, "sum", new[] { 8, 32, 26, 26 }, new[] { 1, 1, 3, 3 }, new[] { 1, 1, 2, 2 }, new[] { 0, 0, 0, 0, 1, 1, 1, 1 })]
    public void PoolingMatchesTheReference(DType dtype, string mode, int[] shape, int[] window, int[] stride, int[] padding)
    {
        var builder = new GraphBuilder("pool");
        var x = builder.AddInput("x", new TensorType(dtype, shape));
        var pooled = builder.ReduceWindow(x, mode, window, stride, padding);
        builder.Output(pooled);
        if (mode == "max" && pooled.Type.ElementCount > 0)
        {
            var cotangent = builder.AddInput("ct", pooled.Type);
            builder.Output(ReduceWindow.Instance.Vjp(builder, pooled, cotangent)[0]!);
        }
        var graph = builder.Build();
        using (var program = (CpuProgram)new CpuBackend(fuse: true).Compile(graph))
        {
            Assert.Contains(program.Steps, s => s.StartsWith("reduce_window kernel", StringComparison.Ordinal));
            Assert.DoesNotContain(program.Steps, s => s.StartsWith("reference", StringComparison.Ordinal));
        }
        var random = new Random(shape.Sum());
        var inputs = graph.Inputs.Select(i => HostTensor.FromDoubles(i.Type.DType, i.Type.Shape,
            Enumerable.Range(0, (int)i.Type.ElementCount).Select(_ => Values[random.Next(Values.Length)]).ToArray())).ToArray();
        var expected = ReferenceInterpreter.Run(graph, inputs);
        foreach (var backend in new[] { new CpuBackend(fuse: true), new CpuBackend(fuse: false) })
        {
            using var program = backend.Compile(graph);
            var actual = program.Run(inputs);
            for (int o = 0; o < expected.Count; o++)
            {
                Assert.True(actual[o].BitEquals(expected[o]), $"{backend.Name} output {o}: {BackendDiff.FirstDifference(actual[o], expected[o])}");
            }
        }
    }

    /// <summary>Integer pooling has no kernel step; it stays on the reference evaluation.</summary>
    [Fact]
    public void IntegerPoolingStaysOnTheReference()
    {
        var builder = new GraphBuilder("pool_i64");
        builder.Output(builder.ReduceWindow(builder.AddInput("x", new TensorType(DType.I64, 4, 6)), "max", [2, 2], [2, 2]));
        using var program = (CpuProgram)new CpuBackend(fuse: false).Compile(builder.Build());
        Assert.Contains(program.Steps, s => s.StartsWith("reference reduce_window", StringComparison.Ordinal));
    }
}
