using GraphDL.Cli.Fuzzing;
using GraphDL.IR;
using GraphDL.IR.Ops;
using GraphDL.Runtime;

namespace GraphDL.Tests.Codegen;

/// <summary>
/// Gather, scatter_add and iota run by kernel steps: bit-exact with the reference (gather for every dtype, scatter_add
/// with repeated indices whose sums round once), on every axis, with index tensors smaller than x on the other axes,
/// and an out-of-range index raising the reference's evaluation error.
/// </summary>
public class IndexingStepTests
{
    [Theory]
    [InlineData(DType.F32, 0, DType.I64)]
    [InlineData(DType.F32, 1, DType.I32)]
    [InlineData(DType.F16, 2, DType.I64)]
    [InlineData(DType.I64, 1, DType.I64)]
    [InlineData(DType.Bool, 0, DType.I32)]
    [InlineData(DType.F64, 2, DType.I32)]
    public void GathersMatchTheReference(DType dtype, int axis, DType indexType)
    {
        var builder = new GraphBuilder("gather");
        var x = builder.AddInput("x", new TensorType(dtype, 5, 6, 7));
        var index = builder.AddInput("i", new TensorType(indexType, 4, 3, 7));
        builder.Output(builder.Gather(x, index, axis));
        AssertBitExact(builder.Build(), "gather kernel", axis, sizeAlongAxis: new[] { 5, 6, 7 }[axis]);
    }

    [Theory]
    [InlineData(DType.F32, 0)]
    [InlineData(DType.F32, 1)]
    [InlineData(DType.F64, 2)]
    public void ScatterAddsMatchTheReference(DType dtype, int axis)
    {
        var builder = new GraphBuilder("scatter_add");
        var x = builder.AddInput("x", new TensorType(dtype, 5, 6, 7));
        var shape = new[] { 4, 5, 6 };
        shape[axis] = 9;
        var index = builder.AddInput("i", new TensorType(DType.I64, shape));
        var source = builder.AddInput("s", new TensorType(dtype, shape));
        builder.Output(builder.ScatterAdd(x, index, source, axis));
        AssertBitExact(builder.Build(), "scatter_add kernel", axis, sizeAlongAxis: new[] { 5, 6, 7 }[axis]);
    }

    [Fact]
    public void IotasMatchTheReference()
    {
        foreach (var (dtype, axis) in new[] { (DType.I64, 0), (DType.I32, 2), (DType.F32, 1), (DType.F16, 1) })
        {
            var builder = new GraphBuilder("iota");
            builder.Output(builder.Iota([3, 2500, 4], axis, dtype));
            AssertBitExact(builder.Build(), "iota kernel", axis, sizeAlongAxis: 1);
        }
    }

    /// <summary>The conv2d weight-gradient flip: (size − 1) − iota as gather indices, all in kernel steps.</summary>
    [Fact]
    public void ReversalMatchesTheReference()
    {
        var builder = new GraphBuilder("reverse");
        var x = builder.AddInput("x", new TensorType(DType.F32, 4, 3, 9));
        var iota = builder.Iota([4, 3, 9], 2, DType.I64);
        var index = builder.Sub(builder.Literal(Scalar.FromInt64(DType.I64, 8), iota.Type), iota);
        builder.Output(builder.Gather(x, index, 2));
        AssertBitExact(builder.Build(), "gather kernel", 2, sizeAlongAxis: 9);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(6)]
    public void OutOfRangeIndicesRaiseTheReferenceError(long bad)
    {
        var builder = new GraphBuilder("gather_oob");
        var x = builder.AddInput("x", new TensorType(DType.F32, 6, 2));
        var index = builder.AddInput("i", new TensorType(DType.I64, 3, 2));
        builder.Output(builder.Gather(x, index, 0));
        builder.Output(builder.ScatterAdd(x, index, builder.AddInput("s", new TensorType(DType.F32, 3, 2)), 0));
        var graph = builder.Build();
        var inputs = new[]
        {
            HostTensor.Zeros(x.Type),
            HostTensor.FromInt64s(DType.I64, new Shape(3, 2), [0, 1, 2, bad, 5, 0]),
            HostTensor.Zeros(new TensorType(DType.F32, 3, 2)),
        };
        var expected = Assert.ThrowsAny<GraphDLException>(() => ReferenceInterpreter.Run(graph, inputs));
        using var program = new CpuBackend(fuse: false).Compile(graph);
        var actual = Assert.ThrowsAny<GraphDLException>(() => program.Run(inputs));
        Assert.Equal(expected.GetType(), actual.GetType());
        Assert.Equal(expected.Message, actual.Message);
    }

    private static void AssertBitExact(Graph graph, string step, int axis, int sizeAlongAxis)
    {
        using (var program = (CpuProgram)new CpuBackend(fuse: false).Compile(graph))
        {
            Assert.Contains(program.Steps, s => s.StartsWith(step, StringComparison.Ordinal));
        }
        var random = new Random(axis + 17);
        var inputs = BackendDiff.Inputs(graph, seed: axis).Select(t => t.DType.IsFloat() || t.DType == DType.Bool ? t
            : HostTensor.FromInt64s(t.DType, t.Shape, Enumerable.Range(0, (int)t.ElementCount).Select(_ => (long)random.Next(sizeAlongAxis)).ToArray()))
            .ToArray();
        var expected = ReferenceInterpreter.Run(graph, inputs);
        foreach (var backend in new[] { new CpuBackend(fuse: true), new CpuBackend(fuse: false) })
        {
            using var program = backend.Compile(graph);
            var actual = program.Run(inputs);
            Assert.True(actual[0].BitEquals(expected[0]), $"{backend.Name}: {BackendDiff.FirstDifference(actual[0], expected[0])}");
        }
    }
}
