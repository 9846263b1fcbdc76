using GraphDL.IR;
using GraphDL.IR.Ops;
using GraphDL.Runtime;

namespace GraphDL.Tests.IR;

/// <summary>The builder helpers of the creation and indexing ops, and the text form their nodes print in.</summary>
public class CreationAndIndexingBuilderTests
{
    [Fact]
    public void HelpersBuildRunAndPrint()
    {
        var builder = new GraphBuilder("g");
        var x = builder.AddInput("x", new TensorType(DType.F32, 2, 2));
        var table = builder.Constant(HostTensor.FromArray([1f, 2f, 3f, 4f], 2, 2));
        var index = builder.Iota([2, 2], 0, DType.I64);
        var gathered = builder.Gather(table, index, 1);
        var ones = builder.Full([2, 2], Scalar.FromDouble(DType.F32, 1));
        var scattered = builder.ScatterAdd(x, index, ones, 0);
        builder.Output(gathered);
        builder.Output(scattered);
        var graph = builder.Build();

        var text = GraphDL.IR.Text.GirPrinter.Print(graph);
        Assert.Contains("%0 = constant() {value=[[1.0, 2.0], [3.0, 4.0]]} : f32[2,2]", text);
        Assert.Contains("%1 = iota() {shape=[2,2], axis=0, dtype=i64} : i64[2,2]", text);
        Assert.Contains("%2 = gather(%0, %1) {axis=1} : f32[2,2]", text);
        Assert.Contains("%3 = full() {shape=[2,2], value=1.0} : f32[2,2]", text);
        Assert.Contains("%4 = scatter_add(%x, %1, %3) {axis=0} : f32[2,2]", text);

        var results = ReferenceInterpreter.Run(graph, [HostTensor.FromArray([10f, 20f, 30f, 40f], 2, 2)]);
        // index = [[0,0],[1,1]]: gather along axis 1 picks [[1,1],[4,4]]; scatter adds each row of ones to rows 0 and 1.
        Assert.Equal([1f, 1f, 4f, 4f], results[0].ToArray<float>());
        Assert.Equal([11f, 21f, 31f, 41f], results[1].ToArray<float>());
    }
}
