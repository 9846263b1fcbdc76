using GraphDL.Cli.Fuzzing;
using GraphDL.IR;
using GraphDL.IR.Ops;
using GraphDL.Runtime;

namespace GraphDL.Tests.Codegen;

/// <summary>
/// Permute, slice, pad, concat and reshape run as strided copies in compiled programs: each must equal the op's
/// reference evaluation bit for bit (NaN payloads and −0 included) for every dtype, awkward and empty shapes, and
/// operands produced by other steps (broadcasts, earlier movements).
/// </summary>
public class MovementStepTests
{
    public static TheoryData<DType> DTypes => new() { DType.F32, DType.F64, DType.F16, DType.I32, DType.I64, DType.Bool };

    [Theory]
    [MemberData(nameof(DTypes))]
    public void PermutesMatchTheReference(DType dtype)
    {
        AssertBitExact("permute", b => b.Permute(b.AddInput("x", new TensorType(dtype, 3, 5, 7, 2)), [1, 0, 2, 3]));
        AssertBitExact("permute", b => b.Permute(b.AddInput("x", new TensorType(dtype, 3, 5, 7, 2)), [3, 1, 0, 2]));
        AssertBitExact("permute", b => b.Permute(b.AddInput("x", new TensorType(dtype, 13, 7)), [1, 0]));
        AssertBitExact("permute", b => b.Permute(b.AddInput("x", new TensorType(dtype, 1, 9, 1, 4)), [2, 3, 0, 1]));
        AssertBitExact("permute", b => b.Permute(b.AddInput("x", new TensorType(dtype, 4, 0, 3)), [2, 0, 1]));
        AssertBitExact("permute", b => b.Permute(b.AddInput("x", new TensorType(dtype)), []));
    }

    [Theory]
    [MemberData(nameof(DTypes))]
    public void SlicesMatchTheReference(DType dtype)
    {
        AssertBitExact("slice", b => b.Slice(b.AddInput("x", new TensorType(dtype, 9, 11)), [1, 2], [8, 11], [3, 2]));
        AssertBitExact("slice", b => b.Slice(b.AddInput("x", new TensorType(dtype, 4, 6, 25, 25)), [0, 1, 0, 1], [4, 6, 25, 25], [1, 1, 2, 2]));
        AssertBitExact("slice", b => b.Slice(b.AddInput("x", new TensorType(dtype, 5, 7)), [0, 0], [5, 7]));
        AssertBitExact("slice", b => b.Slice(b.AddInput("x", new TensorType(dtype, 5, 7)), [2, 3], [2, 7]));
        AssertBitExact("slice", b => b.Slice(b.AddInput("x", new TensorType(dtype, 5, 7, 3)), [4, 6, 0], [5, 7, 3], [5, 5, 1]));
    }

    [Theory]
    [MemberData(nameof(DTypes))]
    public void PadsMatchTheReference(DType dtype)
    {
        var fill = dtype.IsFloat() ? Scalar.FromDouble(dtype, double.NegativeInfinity) : dtype == DType.Bool ? Scalar.FromBool(true) : Scalar.FromInt64(dtype, -7);
        AssertBitExact("pad", b => b.Pad(b.AddInput("x", new TensorType(dtype, 3, 5, 13, 13)), [0, 0, 1, 0], [0, 0, 0, 1], fill));
        AssertBitExact("pad", b => b.Pad(b.AddInput("x", new TensorType(dtype, 6, 5, 1, 5, 1)), [0, 0, 0, 0, 1], [0, 0, 1, 0, 0], fill));
        AssertBitExact("pad", b => b.Pad(b.AddInput("x", new TensorType(dtype, 7)), [3], [0], fill));
        AssertBitExact("pad", b => b.Pad(b.AddInput("x", new TensorType(dtype, 2, 0)), [1, 2], [3, 1], fill));
        AssertBitExact("pad", b => b.Pad(b.AddInput("x", new TensorType(dtype, 4, 4)), [0, 0], [0, 0], fill));
    }

    [Fact]
    public void PadsWithNanAndNegativeZeroKeepTheirBits()
    {
        AssertBitExact("pad", b => b.Pad(b.AddInput("x", new TensorType(DType.F32, 3, 4)), [1, 2], [2, 1], Scalar.FromDouble(DType.F32, double.NaN)));
        AssertBitExact("pad", b => b.Pad(b.AddInput("x", new TensorType(DType.F64, 3, 4)), [1, 2], [2, 1], Scalar.FromDouble(DType.F64, -0.0)));
    }

    [Theory]
    [MemberData(nameof(DTypes))]
    public void ConcatsAndReshapesMatchTheReference(DType dtype)
    {
        foreach (int axis in new[] { 0, 1, 2 })
        {
            AssertBitExact("concat", b =>
            {
                var shape = new[] { 3, 4, 5 };
                var parts = new[] { 2, 0, 7 }.Select((n, i) =>
                {
                    var s = (int[])shape.Clone();
                    s[axis] = n;
                    return (Value)b.AddInput($"x{i}", new TensorType(dtype, s));
                }).ToArray();
                return b.Concat(parts, axis);
            });
        }
        AssertBitExact("reshape", b => b.Reshape(b.AddInput("x", new TensorType(dtype, 6, 35)), [5, 6, 7]));
        AssertBitExact("reshape", b => b.Reshape(b.AddInput("x", new TensorType(dtype, 1)), []));
    }

    /// <summary>Copies of a MiB or more are cut into chunks run on every core: each chunk must start at its own row (or element of one long row).</summary>
    [Fact]
    public void LargeCopiesRunInParallelChunksAndMatchTheReference()
    {
        AssertBitExact("permute", b => b.Permute(b.AddInput("x", new TensorType(DType.F32, 16, 32, 26, 26)), [1, 0, 2, 3]));
        AssertBitExact("slice", b => b.Slice(b.AddInput("x", new TensorType(DType.F32, 16, 32, 26, 26)), [0, 0, 1, 0], [16, 32, 25, 26], [1, 1, 2, 2]));
        AssertBitExact("pad", b => b.Pad(b.AddInput("x", new TensorType(DType.F16, 16, 32, 13, 13)), [0, 0, 1, 0], [0, 0, 0, 1], Scalar.FromDouble(DType.F16, 0.0)));
        AssertBitExact("concat", b => b.Concat([b.AddInput("x", new TensorType(DType.F64, 301, 517)), b.AddInput("y", new TensorType(DType.F64, 301, 3))], 1));
        // A 1.5 MB fill is one long row, cut into chunks itself.
        AssertBitExact("pad", b => b.Pad(b.AddInput("x", new TensorType(DType.F32, 16, 32, 26, 26)), [0, 0, 1, 0], [0, 0, 0, 1], Scalar.FromDouble(DType.F32, -1.5)));
    }

    /// <summary>Movements of values computed by other steps: a broadcast (stride-0 source) permuted, sliced, padded and concatenated.</summary>
    [Fact]
    public void ChainsOfMovementsOverComputedValuesMatchTheReference()
    {
        var builder = new GraphBuilder("chain");
        var x = builder.AddInput("x", new TensorType(DType.F32, 5, 1, 3));
        var y = builder.AddInput("y", new TensorType(DType.F32, 4, 2, 5, 2));
        var wide = builder.BroadcastInDim(builder.Exp(x), [4, 5, 6, 3], [1, 2, 3]);
        var moved = builder.Slice(builder.Permute(wide, [2, 0, 3, 1]), [1, 0, 0, 1], [6, 4, 3, 5], [2, 3, 1, 2]);
        var padded = builder.Pad(moved, [0, 1, 0, 0], [1, 0, 2, 0], Scalar.FromDouble(DType.F32, 0.5));
        builder.Output(builder.Concat([padded, builder.Permute(builder.Reshape(builder.Neg(y), [4, 5, 2, 2]), [0, 2, 1, 3])], 1));
        var graph = builder.Build();
        AssertProgramsMatch(graph);
    }

    /// <summary>Builds a one-op graph, checks the compiled program runs it as a kernel step, and compares bit for bit.</summary>
    private static void AssertBitExact(string op, Func<GraphBuilder, Node> build)
    {
        var builder = new GraphBuilder(op);
        builder.Output(build(builder));
        var graph = builder.Build();
        using (var program = (CpuProgram)new CpuBackend(fuse: false).Compile(graph))
        {
            Assert.Contains(program.Steps, s => s.StartsWith($"{op} kernel", StringComparison.Ordinal));
        }
        AssertProgramsMatch(graph);
    }

    private static void AssertProgramsMatch(Graph graph)
    {
        var inputs = BackendDiff.Inputs(graph, seed: 3);
        var expected = ReferenceInterpreter.Run(graph, inputs);
        foreach (var backend in new[] { new CpuBackend(fuse: true), new CpuBackend(fuse: false) })
        {
            using var program = backend.Compile(graph);
            var actual = program.Run(inputs);
            for (int o = 0; o < expected.Count; o++)
            {
                Assert.True(expected[o].Type == actual[o].Type && actual[o].BitEquals(expected[o]),
                    $"{backend.Name} @{graph.Name} output {o}: {BackendDiff.FirstDifference(actual[o], expected[o])}");
            }
        }
    }
}
