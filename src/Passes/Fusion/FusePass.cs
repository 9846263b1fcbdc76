using GraphDL.IR;
using GraphDL.IR.Ops;

namespace GraphDL.Passes.Fusion;

/// <summary>
/// The <c>fuse</c> pass: plans kernels with <see cref="FusionPlanner"/> under a backend's capabilities and outlines
/// every kernel of more than one node into a <c>fused</c> node (named <c>k0</c>, <c>k1</c>, ... as in the fusion
/// report) whose body keeps each node's source line, so dumps show exactly which ops became one kernel. Registered as
/// <c>fuse</c> with trait-level capabilities; a backend supplies its own (<c>CpuBackend.FusePass</c>).
/// </summary>
public sealed class FusePass(FusionCapabilities capabilities, bool fuse = true) : IPass
{
    public string Name => "fuse";

    public string Description => "group nodes into kernels: each kernel of several nodes becomes a fused node with its body inline";

    public Graph Run(Graph graph) => Outlined(FusionPlanner.Plan(graph, capabilities, fuse));

    /// <summary>The graph of <paramref name="plan"/> with each kernel of more than one node outlined into a <c>fused</c> node.</summary>
    public static Graph Outlined(FusionPlan plan)
    {
        var kernels = plan.Kernels.Where(k => k.Members.Count > 1).ToArray();
        return kernels.Length == 0 ? plan.Graph : Outline.Apply(plan.Graph, kernels.Select(k => k.Members).ToArray(), kernels.Select(k => k.Name).ToArray());
    }

    /// <summary>
    /// The plan a fused graph stands for: its fused nodes (nested ones too) inlined into a flat graph, each fused
    /// node one kernel of its body's nodes and every other node a kernel of its own. Backends compile fused graphs
    /// from this, so the kernels they build are the ones the IR shows.
    /// </summary>
    public static FusionPlan PlanOf(Graph fused)
    {
        var builder = new GraphBuilder(fused.Name);
        var map = new Dictionary<Value, Value>(ReferenceEqualityComparer.Instance);
        foreach (var input in fused.Inputs)
        {
            map[input] = builder.AddInput(input.Name, input.Type, input.Role);
        }
        var groups = new List<(List<Node> Members, Node Root)>();
        foreach (var node in fused.Nodes)
        {
            var operands = node.Operands.Select(o => o is Literal ? o : map[o]).ToArray();
            int start = builder.Nodes.Count;
            var result = (Node)Emit(builder, node, operands);
            map[node] = result;
            groups.Add((builder.Nodes.Skip(start).ToList(), result));
        }
        foreach (var output in fused.Outputs)
        {
            builder.Output(map[output.Value], output.Name,
                output.Aliases is null ? null : (GraphInput)map[output.Aliases]);
        }
        var flat = builder.Build();
        var kernels = groups.Select((g, i) => new FusionKernel(i, g.Root, g.Members)).ToArray();
        var materialized = kernels.ToDictionary(k => k.Root, k => "a kernel of the fused graph", (IEqualityComparer<Node>)ReferenceEqualityComparer.Instance);
        var consumers = FusionPlanner.Consumers(flat);
        var unfused = kernels.SelectMany(k => consumers[k.Root].Select(c => new UnfusedEdge(k.Root, c, "a kernel of the fused graph"))).ToArray();
        return new FusionPlan(flat, kernels, unfused, materialized);
    }

    /// <summary>Emits <paramref name="node"/>, inlining a fused node's body (recursively): returns its result.</summary>
    private static Value Emit(GraphBuilder builder, Node node, IReadOnlyList<Value> operands)
    {
        if (node.Op != Fused.Instance)
        {
            using (builder.At(node.Loc))
            {
                return builder.Emit(node.Op, operands, node.Attributes);
            }
        }
        var body = node.Attributes.Graph("body");
        var map = new Dictionary<Value, Value>(ReferenceEqualityComparer.Instance);
        for (int i = 0; i < operands.Count; i++)
        {
            map[body.Inputs[i]] = operands[i];
        }
        foreach (var inner in body.Nodes)
        {
            map[inner] = Emit(builder, inner, inner.Operands.Select(o => o is Literal ? o : map[o]).ToArray());
        }
        var output = body.Outputs[0].Value;
        return output is Node n && body.Nodes.Contains(n)
            ? map[output]
            : throw new ArgumentException($"the body of a fused node must return one of its own nodes, not {output}");
    }
}
