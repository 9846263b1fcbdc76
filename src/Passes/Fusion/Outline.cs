using GraphDL.IR;
using GraphDL.IR.Ops;

namespace GraphDL.Passes.Fusion;

/// <summary>
/// Turns chosen groups of a graph's nodes into <c>fused</c> nodes: each group becomes one node whose operands are the
/// values the group reads from outside (graph inputs and nodes of other units, each once, in order of first use) and
/// whose body copies the members, with their source locations, and returns the group's root. A fusion pass decides
/// the groups; this does the rewiring, so the decision and the mechanics are tested apart.
/// </summary>
public static class Outline
{
    /// <summary>
    /// Returns a new graph where each group (any order; its members are copied in graph order) is one fused node.
    /// A group's root is its one member used outside it (by another node or a graph output); a group used nowhere
    /// returns its last member. Other members must be used only inside groups that contain them: a node may belong
    /// to several groups, each then recomputing it. Nodes in no group are copied as they are. <paramref name="kernelNames"/>,
    /// when given, holds the <c>kernel</c> name of each group's fused node, for reports.
    /// </summary>
    /// <exception cref="ArgumentException">A group is empty, names a node of another graph, has more than one member
    /// used outside it, or cannot be ordered (it reads a value computed from its own result).</exception>
    public static Graph Apply(Graph graph, IReadOnlyList<IReadOnlyList<Node>> groups, IReadOnlyList<string>? kernelNames = null)
    {
        if (kernelNames is not null && kernelNames.Count != groups.Count)
        {
            throw new ArgumentException($"{kernelNames.Count} kernel names for {groups.Count} groups", nameof(kernelNames));
        }
        var position = new Dictionary<Node, int>();
        for (int n = 0; n < graph.Nodes.Count; n++)
        {
            position[graph.Nodes[n]] = n;
        }
        var users = Users(graph);
        var units = new List<Unit>();
        var producer = new Dictionary<Value, Unit>();
        var grouped = new HashSet<Node>();
        for (int g = 0; g < groups.Count; g++)
        {
            var unit = Group(g, groups[g], position, users);
            units.Add(unit);
            producer.TryAdd(unit.Root, unit);
            grouped.UnionWith(unit.Members);
        }
        foreach (var node in graph.Nodes.Where(n => !grouped.Contains(n)))
        {
            var unit = new Unit(-1, [node], node, position[node]);
            units.Add(unit);
            producer[node] = unit;
        }
        foreach (var unit in units)
        {
            unit.Reads.AddRange(ExternalReads(unit));
            foreach (var read in unit.Reads.OfType<Node>())
            {
                if (!producer.ContainsKey(read))
                {
                    throw new ArgumentException($"{Describe(unit)} reads {read.Op.Name} (node {position[read]}), which is an inner member of another group, not its root");
                }
            }
        }
        foreach (var output in graph.Outputs)
        {
            if (output.Value is Node node && !producer.ContainsKey(node))
            {
                throw new ArgumentException($"a graph output is {node.Op.Name} (node {position[node]}), an inner member of a group, not its root");
            }
        }
        return Emit(graph, Order(units, producer), producer, kernelNames);
    }

    /// <summary>One thing the new graph computes: a group (Index ≥ 0) or a node in no group (Index = -1).</summary>
    private sealed class Unit(int index, Node[] members, Node root, int position)
    {
        public int Index { get; } = index;

        /// <summary>In graph order.</summary>
        public Node[] Members { get; } = members;

        public Node Root { get; } = root;

        /// <summary>Where it sorts among units that could go at the same point: its last member's position.</summary>
        public int Position { get; } = position;

        /// <summary>Values computed outside it that it reads, in order of first use.</summary>
        public List<Value> Reads { get; } = [];
    }

    private static Unit Group(int index, IReadOnlyList<Node> group, Dictionary<Node, int> position, Dictionary<Node, List<Node?>> users)
    {
        if (group.Count == 0)
        {
            throw new ArgumentException($"group {index} is empty");
        }
        foreach (var node in group.Where(n => !position.ContainsKey(n)))
        {
            throw new ArgumentException($"group {index} holds {node.Op.Name}, which is not a node of this graph");
        }
        var members = group.Distinct().OrderBy(n => position[n]).ToArray();
        var inside = new HashSet<Node>(members);
        // A null user is a graph output.
        var usedOutside = members.Where(m => users[m].Any(u => u is null || !inside.Contains(u))).ToArray();
        // With several members used outside, the last one is the root when it is among them: the others must then be
        // recomputed by the groups that read them (checked when the graph is emitted).
        if (usedOutside.Length > 1 && usedOutside[^1] != members[^1])
        {
            throw new ArgumentException($"group {index} has {usedOutside.Length} members used outside it "
                + $"({string.Join(", ", usedOutside.Select(m => $"{m.Op.Name} at node {position[m]}"))}); a fused node has one result");
        }
        return new Unit(index, members, usedOutside.Length >= 1 ? usedOutside[^1] : members[^1], position[members[^1]]);
    }

    /// <summary>Each node's users, with null standing for each graph output that returns it.</summary>
    private static Dictionary<Node, List<Node?>> Users(Graph graph)
    {
        var users = graph.Nodes.ToDictionary(n => n, _ => new List<Node?>());
        foreach (var node in graph.Nodes)
        {
            foreach (var operand in node.Operands.OfType<Node>())
            {
                users[operand].Add(node);
            }
        }
        foreach (var output in graph.Outputs)
        {
            if (output.Value is Node node)
            {
                users[node].Add(null);
            }
        }
        return users;
    }

    private static IEnumerable<Value> ExternalReads(Unit unit)
    {
        var inside = new HashSet<Node>(unit.Members);
        return unit.Members.SelectMany(m => m.Operands)
            .Where(o => o is not Literal && !(o is Node node && inside.Contains(node)))
            .Distinct();
    }

    /// <summary>Units in an order where every read comes after its producer, otherwise in graph order (Kahn's algorithm).</summary>
    private static List<Unit> Order(List<Unit> units, Dictionary<Value, Unit> producer)
    {
        var waiting = units.ToDictionary(u => u, u => u.Reads.OfType<Node>().Select(r => producer[r]).Distinct().Count(p => p != u));
        var dependents = units.ToDictionary(u => u, _ => new List<Unit>());
        foreach (var unit in units)
        {
            foreach (var p in unit.Reads.OfType<Node>().Select(r => producer[r]).Distinct().Where(p => p != unit))
            {
                dependents[p].Add(unit);
            }
        }
        var ready = new PriorityQueue<Unit, (int, int)>(units.Where(u => waiting[u] == 0).Select(u => (u, (u.Position, u.Index))));
        var order = new List<Unit>();
        while (ready.TryDequeue(out var unit, out _))
        {
            order.Add(unit);
            foreach (var dependent in dependents[unit].Where(d => --waiting[d] == 0))
            {
                ready.Enqueue(dependent, (dependent.Position, dependent.Index));
            }
        }
        if (order.Count < units.Count || units.Any(u => u.Reads.OfType<Node>().Any(r => producer[r] == u)))
        {
            var stuck = units.First(u => !order.Contains(u) || u.Reads.OfType<Node>().Any(r => producer[r] == u));
            throw new ArgumentException($"{Describe(stuck)} cannot be ordered: it depends, through nodes outside it, on its own result");
        }
        return order;
    }

    private static Graph Emit(Graph graph, List<Unit> order, Dictionary<Value, Unit> producer, IReadOnlyList<string>? kernelNames)
    {
        var builder = new GraphBuilder(graph.Name);
        var map = new Dictionary<Value, Value>();
        foreach (var input in graph.Inputs)
        {
            map[input] = builder.AddInput(input.Name, input.Type, input.Role);
        }
        Value Mapped(Value value) => value is Literal ? value : map[value];
        foreach (var unit in order)
        {
            if (unit.Index < 0)
            {
                var node = unit.Root;
                using (builder.At(node.Loc))
                {
                    map[node] = builder.Emit(node.Op, node.Operands.Select(Mapped).ToArray(), node.Attributes);
                }
                continue;
            }
            var fused = builder.Fused(unit.Reads.Select(Mapped).ToArray(), Body(unit), kernelNames?[unit.Index]);
            if (producer[unit.Root] == unit)
            {
                map[unit.Root] = fused;
            }
        }
        foreach (var output in graph.Outputs)
        {
            builder.Output(Mapped(output.Value), output.Name, output.Aliases is null ? null : (GraphInput)map[output.Aliases]);
        }
        return builder.Build();
    }

    /// <summary>The group's members copied into an isolated graph with one input per external read, returning the root.</summary>
    private static Graph Body(Unit unit)
    {
        var body = new GraphBuilder("body");
        var map = new Dictionary<Value, Value>();
        for (int k = 0; k < unit.Reads.Count; k++)
        {
            var read = unit.Reads[k];
            string name = read is GraphInput input && body.Inputs.All(i => i.Name != input.Name) ? input.Name : $"in{k}";
            while (body.Inputs.Any(i => i.Name == name))
            {
                name += "_";
            }
            map[read] = body.AddInput(name, read.Type);
        }
        foreach (var node in unit.Members)
        {
            using (body.At(node.Loc))
            {
                map[node] = body.Emit(node.Op, node.Operands.Select(o => o is Literal ? o : map[o]).ToArray(), node.Attributes);
            }
        }
        body.Output(map[unit.Root]);
        return body.Build();
    }

    private static string Describe(Unit unit) =>
        unit.Index >= 0 ? $"group {unit.Index}" : $"{unit.Root.Op.Name} (node {unit.Position})";
}
