using System.Text.RegularExpressions;
using GraphDL.Codegen.CSharp;
using GraphDL.Codegen.KernelIR;
using GraphDL.IR;
using GraphDL.IR.Ops;

namespace GraphDL.Tests.Codegen;

/// <summary>
/// Op completeness for code generation: every op the loop kernels accept, on every dtype they accept it for, has its
/// C# scalar code in its own file (<see cref="OpDef.CSharp"/>), and every snippet uses only the placeholders its form
/// has. A missing snippet names the op, the dtypes and the file to edit.
/// </summary>
public class SnippetCompletenessTests
{
    private static readonly DType[] KernelDTypes = [DType.F32, DType.F64, DType.I32, DType.I64, DType.Bool];

    /// <summary>Each elementwise op on each operand dtype (and each cast target) whose type rule accepts it.</summary>
    private static IEnumerable<Node> ElementwiseNodes()
    {
        foreach (var op in OpRegistry.All.Where(op => op.Has(OpTraits.Elementwise)))
        {
            foreach (var dtype in KernelDTypes)
            {
                foreach (var target in op == Cast.Instance ? KernelDTypes : [dtype])
                {
                    var builder = new GraphBuilder("probe");
                    var type = new TensorType(dtype, new Shape(4));
                    var operands = Enumerable.Range(0, op.MinOperands)
                        .Select(i => (Value)builder.AddInput($"x{i}", op == Where.Instance && i == 0 ? type.WithDType(DType.Bool) : type)).ToArray();
                    var attributes = op == Cast.Instance ? AttributeMap.Of(("dtype", new DTypeAttr(target))) : AttributeMap.Empty;
                    Node node;
                    try
                    {
                        node = builder.Emit(op, operands, attributes);
                    }
                    catch (ShapeException)
                    {
                        continue;
                    }
                    yield return node;
                }
            }
        }
    }

    [Fact]
    public void EveryOpTheLoopKernelsAcceptHasCSharpScalarCode()
    {
        var accepted = ElementwiseNodes().Where(KernelLowering.IsSupported).ToArray();
        // Arithmetic, comparisons, logic, selects and casts over floats, integers and bools: a vacuous pass would be a bug here.
        Assert.True(accepted.Length > 100, $"only {accepted.Length} op/dtype combinations are accepted by the loop kernels");
        var missing = accepted
            .Where(n => CSharpKernelRenderer.ScalarCode(n.Op, n.Operands[^1].Type.DType, n.Type.DType) is null)
            .Select(n => $"{n.Op.Name} of {n.Operands[^1].Type.DType.Name()} to {n.Type.DType.Name()}: add a SnippetForm.Scalar (or ScalarInDouble) snippet to src/IR/Ops/{n.Op.GetType().Name}.cs")
            .ToArray();
        Assert.True(missing.Length == 0, "no C# scalar code for:\n" + string.Join("\n", missing));
    }

    [Fact]
    public void OpsWithFastCodeHaveExactCodeAndOpsOutsideKernelsHaveNone()
    {
        foreach (var op in OpRegistry.All)
        {
            var snippets = op.CSharp.ToArray();
            if (!op.Has(OpTraits.Elementwise))
            {
                Assert.True(snippets.Length == 0, $"{op.Name} is not elementwise, so loop kernels never use its C# snippets");
                continue;
            }
            if (snippets.Any(s => s.Form == SnippetForm.Fast))
            {
                // Exact mode and f64 need the exact code; fast code is f32 to f32 only.
                Assert.All(snippets.Where(s => s.Form == SnippetForm.Fast), s => Assert.Equal((DTypeClass.Float, DTypeClass.Any), (s.Operands, s.Result)));
                Assert.NotNull(CSharpKernelRenderer.ScalarCode(op, DType.F32, DType.F32));
                Assert.NotNull(CSharpKernelRenderer.ScalarCode(op, DType.F64, DType.F64));
            }
        }
    }

    [Fact]
    public void SnippetsUseOnlyTheirFormsPlaceholders()
    {
        int checkedSnippets = 0;
        foreach (var op in OpRegistry.All)
        {
            foreach (var snippet in op.CSharp)
            {
                checkedSnippets++;
                foreach (Match placeholder in Regex.Matches(snippet.Template, @"\{([^}]*)\}"))
                {
                    string name = placeholder.Groups[1].Value;
                    bool known = name == "T"
                        || (name == "V" && snippet.Form is SnippetForm.Vector)
                        || (int.TryParse(name, out int operand) && operand < op.MinOperands);
                    Assert.True(known, $"{op.Name}'s {snippet.Form} snippet \"{snippet.Template}\" uses {placeholder.Value} (src/IR/Ops/{op.GetType().Name}.cs)");
                }
                for (int operand = 0; operand < op.MinOperands; operand++)
                {
                    Assert.True(snippet.Template.Contains("{" + operand + "}", StringComparison.Ordinal),
                        $"{op.Name}'s {snippet.Form} snippet \"{snippet.Template}\" ignores operand {operand}");
                }
            }
        }
        Assert.True(checkedSnippets > 80, $"only {checkedSnippets} snippets");
    }
}
