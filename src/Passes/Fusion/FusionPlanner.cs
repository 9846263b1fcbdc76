using GraphDL.IR;

namespace GraphDL.Passes.Fusion;

/// <summary>
/// What a backend can generate, so the planner proposes only kernels the backend can build (passes cannot see
/// codegen). <see cref="CanGenerate"/> says whether a node may be part of a generated kernel at all (dtype and op
/// support); <see cref="Check"/> inspects a proposed kernel body and says why it cannot be generated, or null.
/// </summary>
public sealed record FusionCapabilities(Func<Node, bool> CanGenerate, Func<Graph, KernelRejection?> Check)
{
    /// <summary>Everything the traits allow: for printing plans and for tests without a backend.</summary>
    public static FusionCapabilities Any { get; } = new(_ => true, _ => null);
}

/// <summary>
/// Why a backend cannot generate a proposed kernel body, and optionally which body nodes to store so it can (for
/// example the operand of a broadcast the backend only reads from memory); otherwise the planner splits the kernel.
/// </summary>
public sealed record KernelRejection(string Reason, IReadOnlyList<Node>? Store = null)
{
    public static implicit operator KernelRejection(string reason) => new(reason);
}

/// <summary>How the planner treats a node.</summary>
public enum FusionRole
{
    /// <summary>Elementwise ops and index-math movement (broadcast_in_dim, reshape): recomputed freely where cheap.</summary>
    Loop,

    /// <summary>A reduction: fused with its elementwise producers and consumers, never duplicated.</summary>
    Reduction,

    /// <summary>matmul / conv2d: may take an elementwise epilogue, never duplicated, never fused into a prologue.</summary>
    Contraction,

    /// <summary>Everything else runs as a kernel of its own.</summary>
    Opaque,
}

/// <summary>One kernel of a plan: the root it computes and every node it evaluates on the way (graph order, root last).</summary>
public sealed record FusionKernel(int Index, Node Root, IReadOnlyList<Node> Members)
{
    public string Name => $"k{Index}";
}

/// <summary>A producer → consumer edge that crosses kernels: the producer is stored and read back, for <see cref="Reason"/>.</summary>
public sealed record UnfusedEdge(Node Producer, Node Consumer, string Reason);

/// <summary>
/// Decides which nodes become kernels (Inductor's scheduler nodes, XLA's fusion roots). Working backwards from the
/// outputs, a node is <em>materialized</em> (the root of a kernel) when it must be — a graph output, an op with no
/// fusible form, the input of a matmul, a reduction or matmul wanted by several kernels, an expensive elementwise
/// op wanted by several kernels — and is otherwise folded into every kernel that reads it, recomputed where several
/// do (cheap producers are cheaper to recompute than to store and load). A kernel is its root plus the
/// unmaterialized nodes it reaches through operands. Proposed kernels the backend cannot generate are repaired by
/// materializing their contractions, then reductions, then movement, then everything, until all are accepted.
/// </summary>
public static class FusionPlanner
{
    /// <summary>Elementwise ops costing at least this many flops per element are stored rather than recomputed.</summary>
    public const double RecomputeFlopsLimit = 8;

    /// <summary>
    /// A cheap node that computes (a broadcast or reshape is only index math) is recomputed in at most this many
    /// kernels, else stored (TorchInductor's <c>realize_reads_threshold</c> is 4 too). Without a bound, a chain of cheap values each read by two kernels — the cell-state gradient of an
    /// unrolled LSTM — is recomputed whole in every kernel along it: quadratic work, and a kernel of a different
    /// length, so different code to generate, per time step.
    /// </summary>
    public const int MaxRecomputingKernels = 4;

    public static FusionPlan Plan(Graph graph, FusionCapabilities capabilities, bool fuse = true)
    {
        var consumers = Consumers(graph);
        var forced = new Dictionary<Node, string>(ReferenceEqualityComparer.Instance);
        // The backend's verdict per body signature, with the members it asks to store by position: a training step
        // repeats a few kernels thousands of times, and each round of repairs proposes most kernels again.
        var verdicts = new Dictionary<string, (KernelRejection Rejection, int[] Store)?>();
        while (true)
        {
            var plan = Propose(graph, capabilities, fuse, consumers, forced);
            bool repaired = false;
            foreach (var kernel in plan.Kernels.Where(k => k.Members.Count > 1))
            {
                var signature = KernelBody.Signature(kernel.Members, kernel.Root, []);
                if (!verdicts.TryGetValue(signature, out var verdict))
                {
                    var body = KernelBody.Build(kernel.Name, kernel.Members, kernel.Root).Body;
                    // Body nodes are copies of the members in the same order.
                    verdicts[signature] = verdict = capabilities.Check(body) is { } found
                        ? (found, (found.Store ?? []).Select(n => IndexOf(body, n)).ToArray())
                        : null;
                }
                if (verdict is not { } v)
                {
                    continue;
                }
                var rejection = v.Rejection;
                var inner = kernel.Members.Where(m => m != kernel.Root).ToArray();
                var store = v.Store.Select(i => kernel.Members[i]).Where(m => m != kernel.Root).ToArray();
                var split = new[]
                {
                    store,
                    inner.Where(m => RoleOf(m, capabilities) == FusionRole.Contraction),
                    inner.Where(m => RoleOf(m, capabilities) == FusionRole.Reduction),
                    inner.Where(m => !m.Op.Has(OpTraits.Elementwise)),
                    inner,
                }.Select(s => s.ToArray()).First(s => s.Length > 0);
                foreach (var node in split)
                {
                    forced.TryAdd(node, $"the kernel of {kernel.Root.Op.Name} cannot include it: {rejection.Reason}");
                }
                repaired = true;
            }
            if (!repaired)
            {
                return plan;
            }
        }
    }

    private static int IndexOf(Graph body, Node node)
    {
        for (int i = 0; i < body.Nodes.Count; i++)
        {
            if (body.Nodes[i] == node)
            {
                return i;
            }
        }
        throw new ArgumentException($"{node} is not a node of kernel body @{body.Name}", nameof(node));
    }

    public static FusionRole RoleOf(Node node, FusionCapabilities capabilities)
    {
        if (!capabilities.CanGenerate(node))
        {
            return FusionRole.Opaque;
        }
        if (node.Op.Has(OpTraits.Elementwise) || node.Op.Has(OpTraits.Broadcast) || node.Op.Has(OpTraits.View))
        {
            return FusionRole.Loop;
        }
        if (node.Op.Has(OpTraits.RowReduction))
        {
            return FusionRole.Reduction;
        }
        return node.Op.Has(OpTraits.Contraction) ? FusionRole.Contraction : FusionRole.Opaque;
    }

    private static FusionPlan Propose(Graph graph, FusionCapabilities capabilities, bool fuse,
        Dictionary<Node, List<Node>> consumers, Dictionary<Node, string> forced)
    {
        var outputs = graph.Outputs.Select(o => o.Value).OfType<Node>().ToHashSet<Node>(ReferenceEqualityComparer.Instance);
        var materialized = new Dictionary<Node, string>(ReferenceEqualityComparer.Instance);
        var owners = new Dictionary<Node, HashSet<Node>>(ReferenceEqualityComparer.Instance);
        var blocked = new Dictionary<(Node, Node), string>();
        for (int i = graph.Nodes.Count - 1; i >= 0; i--)
        {
            var node = graph.Nodes[i];
            var role = RoleOf(node, capabilities);
            string? reason = !fuse ? "fusion is off"
                : forced.TryGetValue(node, out var f) ? f
                : outputs.Contains(node) ? "graph output"
                : role == FusionRole.Opaque ? (capabilities.CanGenerate(node) ? $"{node.Op.Name} runs as a kernel of its own" : $"no generated code for {node.Op.Name} : {node.Type}")
                : consumers[node].Count == 0 ? "unused"
                : null;
            if (reason is null)
            {
                foreach (var consumer in consumers[node])
                {
                    if (EdgeBlocked(node, role, consumer, RoleOf(consumer, capabilities)) is { } why)
                    {
                        blocked[(node, consumer)] = why;
                        reason ??= why;
                    }
                }
            }
            if (reason is null)
            {
                var own = new HashSet<Node>(ReferenceEqualityComparer.Instance);
                foreach (var consumer in consumers[node])
                {
                    if (materialized.ContainsKey(consumer))
                    {
                        own.Add(consumer);
                    }
                    else
                    {
                        own.UnionWith(owners[consumer]);
                    }
                }
                reason = role switch
                {
                    FusionRole.Reduction when own.Count > 1 => $"would duplicate a reduction into {own.Count} kernels",
                    FusionRole.Contraction when own.Count > 1 => $"would duplicate a {node.Op.Name} into {own.Count} kernels",
                    FusionRole.Loop when own.Count > 1 && FlopsPerElement(node) >= RecomputeFlopsLimit =>
                        $"recomputing {node.Op.Name} in {own.Count} kernels costs more than storing it",
                    FusionRole.Loop when own.Count > MaxRecomputingKernels && FlopsPerElement(node) > 0 =>
                        $"recomputing {node.Op.Name} in {own.Count} kernels (more than {MaxRecomputingKernels}) costs more than storing it",
                    _ => null,
                };
                if (reason is null)
                {
                    owners[node] = own;
                }
            }
            if (reason is not null)
            {
                materialized[node] = reason;
            }
        }

        var kernels = new List<FusionKernel>();
        var membersOf = new Dictionary<Node, List<Node>>(ReferenceEqualityComparer.Instance);
        foreach (var node in graph.Nodes.Where(materialized.ContainsKey))
        {
            membersOf[node] = [];
        }
        foreach (var node in graph.Nodes)
        {
            if (materialized.ContainsKey(node))
            {
                membersOf[node].Add(node);
                kernels.Add(new FusionKernel(kernels.Count, node, membersOf[node]));
            }
            else
            {
                foreach (var root in owners[node])
                {
                    membersOf[root].Add(node);
                }
            }
        }

        var unfused = new List<UnfusedEdge>();
        foreach (var producer in graph.Nodes.Where(materialized.ContainsKey))
        {
            foreach (var consumer in consumers[producer])
            {
                // An edge that could fuse is still cut when the producer is stored for another reason.
                unfused.Add(new UnfusedEdge(producer, consumer,
                    blocked.TryGetValue((producer, consumer), out var why) ? why
                    : materialized[producer].StartsWith("consumer ", StringComparison.Ordinal) ? "stored anyway: another " + materialized[producer]
                    : materialized[producer]));
            }
        }
        return new FusionPlan(graph, kernels, unfused, materialized);
    }

    /// <summary>Why <paramref name="producer"/> cannot be computed inside the kernel of <paramref name="consumer"/>, or null.</summary>
    private static string? EdgeBlocked(Node producer, FusionRole role, Node consumer, FusionRole consumerRole) => consumerRole switch
    {
        FusionRole.Opaque => $"consumer {consumer.Op.Name} runs as a kernel of its own",
        FusionRole.Contraction => $"consumer is a {consumer.Op.Name} input",
        FusionRole.Reduction when role is FusionRole.Reduction or FusionRole.Contraction =>
            $"consumer {consumer.Op.Name} would reduce a {producer.Op.Name} in the same kernel",
        _ when role == FusionRole.Contraction && !(consumer.Op.Has(OpTraits.Elementwise) && consumer.Type.Shape == producer.Type.Shape) =>
            $"a {producer.Op.Name} epilogue takes only elementwise ops of its shape, not {consumer.Op.Name}",
        _ => null,
    };

    internal static double FlopsPerElement(Node node) =>
        node.Type.ElementCount == 0 ? 0 : NodeCost.Of(node).Flops / node.Type.ElementCount;

    /// <summary>The distinct consumers of every node, in graph order.</summary>
    public static Dictionary<Node, List<Node>> Consumers(Graph graph)
    {
        var consumers = graph.Nodes.ToDictionary(n => n, _ => new List<Node>(), (IEqualityComparer<Node>)ReferenceEqualityComparer.Instance);
        foreach (var node in graph.Nodes)
        {
            foreach (var operand in node.Operands.OfType<Node>().Distinct(ReferenceEqualityComparer.Instance).Cast<Node>())
            {
                consumers[operand].Add(node);
            }
        }
        return consumers;
    }
}
