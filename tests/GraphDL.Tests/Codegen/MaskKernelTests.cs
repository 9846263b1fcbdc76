using GraphDL.Cli.Fuzzing;
using GraphDL.IR;
using GraphDL.IR.Ops;
using GraphDL.Runtime;

namespace GraphDL.Tests.Codegen;

/// <summary>
/// Comparisons, logic, <c>where</c> and bool casts inside float kernels run on vector lane masks: every comparison
/// over NaN, ±0, ±∞ and subnormal pairs, masks combined with and/or/xor/not and compared for equality, must equal
/// the reference bit for bit in exact and fast mode, in the vector body and the scalar tail.
/// </summary>
public class MaskKernelTests
{
    private static readonly float[] Specials =
        [float.NaN, -0.0f, 0.0f, float.PositiveInfinity, float.NegativeInfinity, float.Epsilon, -float.Epsilon, 1.0f, -1.0f, 2.5f, float.MaxValue];

    [Theory]
    [InlineData(DType.F32, 1)]
    [InlineData(DType.F32, 7)]
    [InlineData(DType.F64, 3)]
    public void ComparisonsAndLogicOnMasksMatchTheReference(DType dtype, int rows)
    {
        int n = Specials.Length;
        var type = new TensorType(dtype, rows, n * n);
        var builder = new GraphBuilder("masks");
        var a = builder.AddInput("a", type);
        var b = builder.AddInput("b", type);
        var compares = new[] { builder.Eq(a, b), builder.Ne(a, b), builder.Lt(a, b), builder.Le(a, b), builder.Gt(a, b), builder.Ge(a, b) };
        Value total = builder.Zeros(type);
        for (int i = 0; i < compares.Length; i++)
        {
            var next = compares[(i + 1) % compares.Length];
            var logic = new[]
            {
                compares[i], builder.And(compares[i], next), builder.Or(compares[i], builder.Not(next)), builder.Xor(compares[i], next),
                builder.Eq(compares[i], next), builder.Ne(compares[i], next),
            };
            for (int k = 0; k < logic.Length; k++)
            {
                // Distinct weights keep every mask's contribution visible in the sum.
                var weight = builder.Literal(Scalar.FromDouble(dtype, 1 << k), type);
                total = builder.Add(total, builder.Mul(builder.Cast(logic[k], dtype), weight));
            }
        }
        builder.Output(total);
        builder.Output(builder.Where(builder.Lt(a, b), a, builder.Mul(b, builder.Cast(builder.Cast(a, DType.Bool), dtype))));
        var graph = builder.Build();
        var values = Enumerable.Range(0, rows * n * n).Select(i => (double)Specials[i / n % n]).ToArray();
        var others = Enumerable.Range(0, rows * n * n).Select(i => (double)Specials[(i + i / (n * n)) % n]).ToArray();
        var inputs = new[] { HostTensor.FromDoubles(dtype, type.Shape, values), HostTensor.FromDoubles(dtype, type.Shape, others) };
        var expected = ReferenceInterpreter.Run(graph, inputs);
        foreach (var backend in new[] { new CpuBackend(fuse: true, exact: true), new CpuBackend(fuse: true), new CpuBackend(fuse: false) })
        {
            using var program = (CpuProgram)backend.Compile(graph);
            if (backend is { Name: var name } && !name.Contains("unfused", StringComparison.Ordinal))
            {
                Assert.Contains("Vector", program.Source, StringComparison.Ordinal);
                Assert.DoesNotContain("CompareFloat", program.Source, StringComparison.Ordinal);
            }
            var actual = program.Run(inputs);
            for (int o = 0; o < expected.Count; o++)
            {
                Assert.True(actual[o].BitEquals(expected[o]), $"{backend.Name} output {o}: {BackendDiff.FirstDifference(actual[o], expected[o])}");
            }
        }
    }
}
