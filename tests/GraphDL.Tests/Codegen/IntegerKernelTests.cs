using GraphDL.Cli.Fuzzing;
using GraphDL.IR;
using GraphDL.IR.Ops;
using GraphDL.Runtime;

namespace GraphDL.Tests.Codegen;

/// <summary>
/// Integer arithmetic, comparisons and integer/bool casts in generated loop kernels, against the reference bit for bit
/// in exact and fast mode: wrapping at the extremes of i32 and i64, comparisons of i64 values that doubles cannot tell
/// apart, and narrowing casts.
/// </summary>
public class IntegerKernelTests
{
    private static readonly long[] Extremes = [long.MinValue, long.MaxValue, (1L << 53) + 1, 1L << 53, int.MaxValue, int.MinValue, -1, 0, 1, 7];

    [Theory]
    [InlineData(DType.I64)]
    [InlineData(DType.I32)]
    public void ArithmeticComparisonsAndCastsMatchTheReference(DType dtype)
    {
        var builder = new GraphBuilder("integers");
        var a = builder.AddInput("a", new TensorType(dtype, 10, 10));
        var b = builder.AddInput("b", new TensorType(dtype, 10, 10));
        var sum = builder.Add(builder.Mul(a, b), builder.Sub(builder.Neg(a), builder.Literal(Scalar.FromInt64(dtype, 3), a.Type)));
        var wrapped = builder.Where(builder.Lt(a, b), builder.Max(sum, b), builder.Min(builder.Abs(a), b));
        builder.Output(wrapped);
        builder.Output(builder.Cast(builder.Eq(a, builder.Add(b, builder.Literal(Scalar.FromInt64(dtype, 1), b.Type))), DType.I32));
        builder.Output(builder.Cast(wrapped, DType.Bool));
        builder.Output(builder.Cast(builder.Sub(a, b), dtype == DType.I64 ? DType.I32 : DType.I64));
        var graph = builder.Build();
        var n = Extremes.Length;
        var inputs = new[]
        {
            HostTensor.FromInt64s(dtype, new Shape(10, 10), Enumerable.Range(0, n * n).Select(i => Extremes[i / n]).ToArray()),
            HostTensor.FromInt64s(dtype, new Shape(10, 10), Enumerable.Range(0, n * n).Select(i => Extremes[i % n]).ToArray()),
        };
        var expected = ReferenceInterpreter.Run(graph, inputs);
        foreach (var backend in new[] { new CpuBackend(fuse: true, exact: true), new CpuBackend(fuse: false, exact: true), new CpuBackend(fuse: true), new CpuBackend(fuse: false) })
        {
            using var program = (CpuProgram)backend.Compile(graph);
            Assert.DoesNotContain(program.Steps, s => s.StartsWith("reference", StringComparison.Ordinal));
            var actual = program.Run(inputs);
            for (int o = 0; o < expected.Count; o++)
            {
                Assert.True(actual[o].BitEquals(expected[o]), $"{backend.Name} output {o}: {BackendDiff.FirstDifference(actual[o], expected[o])}");
            }
        }
    }
}
