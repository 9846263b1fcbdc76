using GraphDL.IR;
using GraphDL.IR.Text;
using GraphDL.IR.Verification;
using GraphDL.Passes.Fusion;

namespace GraphDL.Tests.IR;

/// <summary>
/// The shortcuts that keep a compile of a large graph fast — a copied node keeps its inferred type, normalized
/// attributes are not normalized again, builder-made nodes are not verified twice, codegen keys lowering on a body's
/// signature — and the cases where each must not apply.
/// </summary>
public class RebuildShortcutTests
{
    private static readonly Graph Source = GirParser.Parse("""
        graph @g(%x: f32[2,3] input, %y: f32[2,3] input) -> (f32[2]) {
          %0 = mul(%x, %y) : f32[2,3]
          %1 = add(%0, 1.0) : f32[2,3]
          %2 = reduce_sum(%1) {axes=[1]} : f32[2]
          return %2
        }
        """);

    [Fact]
    public void ACopyKeepsTheNodesTypeOnOperandsOfItsTypesAndInfersItOnOthers()
    {
        var builder = new GraphBuilder("copies");
        var a = builder.AddInput("a", new TensorType(DType.F32, 2, 3));
        var b = builder.AddInput("b", new TensorType(DType.F64, 4));
        var same = builder.Copy(Source.Nodes[0], [a, a]);
        var other = builder.Copy(Source.Nodes[0], [b, b]);
        Assert.Equal(new TensorType(DType.F32, 2, 3), same.Type);
        Assert.Equal(new TensorType(DType.F64, 4), other.Type);
        Assert.Equal(Source.Nodes[0].Loc, same.Loc);
        // Copying still checks: an operand of another graph is refused, as Emit refuses it.
        Assert.Throws<ShapeException>(() => builder.Copy(Source.Nodes[0], [Source.Inputs[0], a]));
    }

    [Fact]
    public void NormalizedAttributesAreReusedForTheirOpOnlyAndWrongOnesStillFail()
    {
        var reduce = Source.Nodes[2];
        var again = AttributeSchema.Normalize(reduce.Op, reduce.Attributes, out var problems);
        Assert.Same(reduce.Attributes, again);
        Assert.Empty(problems);
        // The same map given to another op is checked against that op's attributes.
        AttributeSchema.Normalize(Source.Nodes[0].Op, reduce.Attributes, out problems);
        Assert.Contains(problems, p => p.Name == "axes");
    }

    [Fact]
    public void DeclaredTypesAreStillVerifiedWhenTheGraphIsBuilt()
    {
        var error = Assert.ThrowsAny<GraphDLException>(() => GirParser.Parse("""
            graph @g(%x: f32[2,3] input) -> (f32[2]) {
              %0 = reduce_sum(%x) {axes=[1]} : f32[3]
              return %0
            }
            """));
        Assert.Contains("declared type f32[3] differs from the inferred type f32[2]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BodiesAlikeButForNamesAndLinesHaveOneSignatureAndOtherWiringAnother()
    {
        var twin = GirParser.Parse("""
            graph @h(%p: f32[2,3] input, %q: f32[2,3] input) -> (f32[2]) {
              %0 = mul(%p, %q) : f32[2,3]  loc("other.cs":7)
              %1 = add(%0, 1.0) : f32[2,3]
              %2 = reduce_sum(%1) {axes=[1]} : f32[2]
              return %2
            }
            """);
        var squared = GirParser.Parse("""
            graph @s(%p: f32[2,3] input) -> (f32[2]) {
              %0 = mul(%p, %p) : f32[2,3]
              %1 = add(%0, 1.0) : f32[2,3]
              %2 = reduce_sum(%1) {axes=[1]} : f32[2]
              return %2
            }
            """);
        string Signature(Graph graph, out List<Value> arguments)
        {
            arguments = [];
            return KernelBody.Signature(graph.Nodes, graph.Nodes[^1], arguments);
        }
        var signature = Signature(Source, out var arguments);
        Assert.Equal(signature, Signature(twin, out _));
        Assert.NotEqual(signature, Signature(squared, out var squaredArguments));
        // The arguments are the body's, in the order KernelBody.Build binds them.
        Assert.Equal(KernelBody.Build("k", Source.Nodes, Source.Nodes[^1]).Arguments, arguments);
        Assert.Equal(KernelBody.Build("k", squared.Nodes, squared.Nodes[^1]).Arguments, squaredArguments);
        // A literal of another value is another body.
        var shifted = GirParser.Parse(GirPrinter.Print(Source).Replace("1.0", "2.0", StringComparison.Ordinal));
        Assert.NotEqual(signature, Signature(shifted, out _));
    }
}
