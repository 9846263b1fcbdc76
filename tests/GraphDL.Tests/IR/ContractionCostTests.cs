using GraphDL.IR;
using GraphDL.IR.Ops;

namespace GraphDL.Tests.IR;

/// <summary>The cost models of the ops whose work is not one op per element: counted by hand.</summary>
public class ContractionCostTests
{
    private static OpCost CostOf(Node node) =>
        node.Op.Cost(new OpContext(node.Op, node.Operands.Select(o => o.Type).ToArray(), node.Attributes, node.Loc, node.Type));

    [Fact]
    public void MatmulCountsTwoFlopsPerMultiplyAdd()
    {
        var builder = new GraphBuilder("g");
        var a = builder.AddInput("a", new TensorType(DType.F32, 3, 1, 4, 5));
        var b = builder.AddInput("b", new TensorType(DType.F32, 2, 5, 6));
        var cost = CostOf(builder.Matmul(a, b));
        // Batch 3·2, m = 4, n = 6, k = 5.
        Assert.Equal(2.0 * 6 * 4 * 6 * 5, cost.Flops);
        Assert.Equal((3 * 4 * 5 + 2 * 5 * 6) * 4L, cost.BytesRead);
        Assert.Equal(6 * 4 * 6 * 4L, cost.BytesWritten);
    }

    [Fact]
    public void Conv2dCountsTwoFlopsPerTap()
    {
        var builder = new GraphBuilder("g");
        var x = builder.AddInput("x", new TensorType(DType.F32, 2, 4, 8, 8));
        var w = builder.AddInput("w", new TensorType(DType.F32, 6, 2, 3, 3));
        var node = builder.Conv2d(x, w, padding: [1, 1, 1, 1], groups: 2);
        Assert.Equal(new TensorType(DType.F32, 2, 6, 8, 8), node.Type);
        // Each of the 2·6·8·8 outputs reads I = 2 channels by 3x3 taps.
        Assert.Equal(2.0 * (2 * 6 * 8 * 8) * (2 * 3 * 3), CostOf(node).Flops);
    }

    [Fact]
    public void ReduceWindowCountsOneOpPerWindowElement()
    {
        var builder = new GraphBuilder("g");
        var x = builder.AddInput("x", new TensorType(DType.F32, 1, 3, 8, 8));
        var node = builder.ReduceWindow(x, "max", [1, 1, 2, 2], [1, 1, 2, 2]);
        Assert.Equal(new TensorType(DType.F32, 1, 3, 4, 4), node.Type);
        Assert.Equal(3.0 * 4 * 4 * 4, CostOf(node).Flops);
        Assert.Equal("[1,1,2,2]", node.Attributes.Get("stride").Format());
        Assert.Equal("[0,0,0,0,0,0,0,0]", node.Attributes.Get("padding").Format());
    }
}
