using GraphDL.IR;

namespace GraphDL.IR;

/// <summary>
/// Runs a graph node by node with each op's reference evaluation. It is the oracle every backend and every pass is
/// checked against: slow, plain, deterministic. Values are released as soon as their last use has run.
/// </summary>
public static class ReferenceInterpreter
{
    /// <summary>Runs <paramref name="graph"/> on inputs given in the graph's input order; returns the outputs in order.</summary>
    public static IReadOnlyList<HostTensor> Run(Graph graph, IReadOnlyList<HostTensor> inputs) => Run(graph, inputs, null);

    /// <summary>
    /// As <see cref="Run(Graph, IReadOnlyList{HostTensor})"/>, with each node's result replaced by
    /// <paramref name="perturb"/>(node, its operand values, its result) before any later node reads it: differential
    /// tests inject an op's documented rounding error there to see how the graph propagates it.
    /// </summary>
    public static IReadOnlyList<HostTensor> Run(Graph graph, IReadOnlyList<HostTensor> inputs, Func<Node, IReadOnlyList<HostTensor>, HostTensor, HostTensor>? perturb)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(inputs);
        if (inputs.Count != graph.Inputs.Count)
        {
            throw new ArgumentException($"graph @{graph.Name} takes {graph.Inputs.Count} inputs, {inputs.Count} given");
        }
        var values = new Dictionary<Value, HostTensor>(graph.Inputs.Count + graph.Nodes.Count);
        for (int i = 0; i < inputs.Count; i++)
        {
            var input = graph.Inputs[i];
            if (inputs[i].Type != input.Type)
            {
                throw new ArgumentException($"input %{input.Name} of @{graph.Name} is {input.Type}, given {inputs[i].Type}");
            }
            values[input] = inputs[i];
        }

        var lastUse = LastUses(graph);
        for (int n = 0; n < graph.Nodes.Count; n++)
        {
            var node = graph.Nodes[n];
            var operands = new HostTensor[node.Operands.Count];
            for (int i = 0; i < operands.Length; i++)
            {
                var operand = node.Operands[i];
                operands[i] = operand is Literal literal ? HostTensor.Full(literal.Type, literal.Scalar) : values[operand];
            }
            var result = Evaluate(node, n, operands);
            if (result.Type != node.Type)
            {
                throw new EvaluationException(node.Op.Name, $"reference evaluation returned {result.Type}, the node's type is {node.Type}", node.Loc);
            }
            values[node] = perturb is null ? result : perturb(node, operands, result);
            foreach (var operand in node.Operands)
            {
                if (operand is Node producer && lastUse[producer] == n)
                {
                    values.Remove(producer);
                }
            }
        }
        return graph.Outputs.Select(o => o.Value is Literal l ? HostTensor.Full(l.Type, l.Scalar) : values[o.Value]).ToArray();
    }

    /// <summary>
    /// Evaluates one node (the <paramref name="index"/>-th, printed <c>%index</c>), refusing first a result that cannot
    /// be allocated: a graph may name tensors far larger than memory, and that is the user's error to read, located at
    /// the node, not a crash.
    /// </summary>
    private static HostTensor Evaluate(Node node, int index, HostTensor[] operands)
    {
        try
        {
            HostTensor.CheckAllocatable(node.Type);
            return node.Op.Evaluate(new EvalContext(node.Op, operands, node.Attributes, node.Type, node.Loc));
        }
        catch (TensorAllocationException e)
        {
            throw e.For($"{e.What} for %{index} = {node.Op.Name}", node.Loc);
        }
        catch (OutOfMemoryException)
        {
            // A scratch array of the op's evaluation (memory was short, not the array's size).
            throw new TensorAllocationException($"{node.Type} for %{index} = {node.Op.Name}", node.Type.SizeInBytes, "out of memory while evaluating it", node.Loc);
        }
    }

    /// <summary>Runs a graph with inputs given by name.</summary>
    public static IReadOnlyList<HostTensor> Run(Graph graph, IReadOnlyDictionary<string, HostTensor> inputs)
    {
        var ordered = graph.Inputs.Select(i => inputs.TryGetValue(i.Name, out var t)
            ? t
            : throw new ArgumentException($"no value given for input %{i.Name} of @{graph.Name}")).ToArray();
        return Run(graph, ordered);
    }

    /// <summary>Index of the node that last reads each node's value; outputs are never released.</summary>
    private static Dictionary<Node, int> LastUses(Graph graph)
    {
        var last = new Dictionary<Node, int>();
        for (int n = 0; n < graph.Nodes.Count; n++)
        {
            last[graph.Nodes[n]] = -1;
            foreach (var operand in graph.Nodes[n].Operands)
            {
                if (operand is Node producer)
                {
                    last[producer] = n;
                }
            }
        }
        foreach (var output in graph.Outputs)
        {
            if (output.Value is Node node)
            {
                last[node] = int.MaxValue;
            }
        }
        return last;
    }
}
