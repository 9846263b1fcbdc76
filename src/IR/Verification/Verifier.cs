namespace GraphDL.IR.Verification;

/// <summary>
/// Checks that a graph is well formed: input names are unique identifiers; every node's operands are defined
/// earlier (SSA dominance in a straight-line graph) and each value is defined once; arity and attributes match the
/// op; re-inferred types equal the recorded ones; literals appear only in elementwise ops; outputs are defined;
/// aliased outputs update a param or state input of the same type, at most once each. Nested bodies (a
/// <c>fused</c> node's) are verified the same way, recursively; their problems are reported at the node holding them.
/// Public so the pass manager can run it after every pass.
/// </summary>
public static class Verifier
{
    public static VerificationResult Verify(Graph graph) => Verify(graph, static _ => false);

    /// <summary>
    /// As <see cref="Verify(Graph)"/>, skipping the per-node checks (arity, literals, attributes, re-inferred type) of
    /// the nodes <paramref name="checkedAtEmit"/> names: <see cref="GraphBuilder.Emit(OpDef, IReadOnlyList{Value}, AttributeMap?)"/>
    /// made each of them only after the same checks, so repeating them at <see cref="GraphBuilder.Build"/> only doubled
    /// the cost of every pass (type inference and attribute normalization of each node, twice).
    /// </summary>
    internal static VerificationResult Verify(Graph graph, Func<Node, bool> checkedAtEmit)
    {
        var diagnostics = new List<VerifierDiagnostic>();
        var defined = new HashSet<Value>(ReferenceEqualityComparer.Instance);
        var inputNames = new HashSet<string>();

        for (int i = 0; i < graph.Inputs.Count; i++)
        {
            var input = graph.Inputs[i];
            if (!Text.GirSyntax.IsIdentifier(input.Name))
            {
                diagnostics.Add(new($"input name '{input.Name}' is not an identifier", DiagnosticSite.Input, i));
            }
            if (!inputNames.Add(input.Name))
            {
                diagnostics.Add(new($"input %{input.Name} is declared twice", DiagnosticSite.Input, i));
            }
            defined.Add(input);
        }

        for (int n = 0; n < graph.Nodes.Count; n++)
        {
            var node = graph.Nodes[n];
            if (defined.Contains(node))
            {
                diagnostics.Add(new($"node {node.Op.Name} appears twice in the graph", DiagnosticSite.Node, n, Loc: node.Loc));
                continue;
            }
            if (!checkedAtEmit(node))
            {
                VerifyNode(node, n, defined, diagnostics);
            }
            defined.Add(node);
        }

        var aliased = new HashSet<GraphInput>(ReferenceEqualityComparer.Instance);
        var outputNames = new HashSet<string>();
        for (int o = 0; o < graph.Outputs.Count; o++)
        {
            var output = graph.Outputs[o];
            if (output.Value is not Literal && !defined.Contains(output.Value))
            {
                diagnostics.Add(new($"output {o} is not defined in the graph", DiagnosticSite.Output, o));
            }
            if (output.Name is { } name && (!Text.GirSyntax.IsIdentifier(name) || !outputNames.Add(name)))
            {
                diagnostics.Add(new($"output name '{name}' is not a unique identifier", DiagnosticSite.Output, o));
            }
            if (output.Aliases is { } target)
            {
                if (!graph.Inputs.Contains(target))
                {
                    diagnostics.Add(new($"output {o} aliases an input of another graph", DiagnosticSite.Output, o));
                }
                else if (target.Role == InputRole.Input)
                {
                    diagnostics.Add(new($"output {o} aliases %{target.Name}, but only param and state inputs can be updated in place", DiagnosticSite.Output, o));
                }
                else if (target.Type != output.Value.Type)
                {
                    diagnostics.Add(new($"output {o} has type {output.Value.Type} but aliases %{target.Name} of type {target.Type}", DiagnosticSite.Output, o));
                }
                else if (!aliased.Add(target))
                {
                    diagnostics.Add(new($"%{target.Name} is aliased by more than one output", DiagnosticSite.Output, o));
                }
            }
        }
        return new VerificationResult(graph.Name, diagnostics);
    }

    private static void VerifyNode(Node node, int index, HashSet<Value> defined, List<VerifierDiagnostic> diagnostics)
    {
        var op = node.Op;
        int before = diagnostics.Count;
        void Report(string message, DiagnosticSite site, int sub = -1, string? attribute = null) =>
            diagnostics.Add(new($"{op.Name}: {message}", site, index, sub, attribute, node.Loc));

        if (node.Operands.Count < op.MinOperands || node.Operands.Count > op.MaxOperands)
        {
            Report($"takes {GraphBuilder.Arity(op)}, got {node.Operands.Count}", DiagnosticSite.Node);
        }
        for (int k = 0; k < node.Operands.Count; k++)
        {
            var operand = node.Operands[k];
            if (operand is Literal)
            {
                if (!op.Has(OpTraits.Elementwise))
                {
                    Report("literal operands are only allowed on elementwise ops", DiagnosticSite.Operand, k);
                }
            }
            else if (!defined.Contains(operand))
            {
                Report($"operand {k} is used before it is defined (or comes from another graph)", DiagnosticSite.Operand, k);
            }
        }
        var normalized = AttributeSchema.Normalize(op, node.Attributes, out var problems);
        foreach (var problem in problems)
        {
            Report(problem.Message, DiagnosticSite.Attribute, attribute: problem.Name);
        }
        if (!normalized.Equals(node.Attributes) && problems.Count == 0)
        {
            Report("attributes are not in canonical form (defaults missing or out of order)", DiagnosticSite.Attribute);
        }
        if (diagnostics.Count > before)
        {
            return;
        }
        foreach (var (name, attribute) in node.Attributes)
        {
            if (attribute is GraphAttr body)
            {
                foreach (var inner in Verify(body.Value).Diagnostics)
                {
                    diagnostics.Add(new($"{op.Name}: in its {name}, {Describe(inner)}: {inner.Message}", DiagnosticSite.Attribute, index,
                        AttributeName: name, Loc: inner.Loc.IsKnown ? inner.Loc : node.Loc));
                }
            }
        }
        try
        {
            var inferred = op.Infer(new OpContext(op, node.Operands.Select(o => o.Type).ToArray(), node.Attributes, node.Loc));
            if (inferred != node.Type)
            {
                Report($"declared type {node.Type} differs from the inferred type {inferred}", DiagnosticSite.ResultType);
            }
        }
        catch (ShapeException e)
        {
            Report(e.Detail, DiagnosticSite.Node);
        }
    }

    /// <summary>Which part of a nested body a diagnostic is about, for the message reported at the enclosing node.</summary>
    private static string Describe(VerifierDiagnostic inner) => inner.Site switch
    {
        DiagnosticSite.Input => $"input {inner.Index}",
        DiagnosticSite.Output => $"output {inner.Index}",
        DiagnosticSite.Signature => "signature",
        _ => $"node {inner.Index}",
    };
}
