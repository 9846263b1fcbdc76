using GraphDL.Codegen.KernelIR;
using GraphDL.IR;
using GraphDL.IR.Ops;
using GraphDL.Passes;
using GraphDL.Passes.Fusion;
using GraphDL.Passes.Memory;

namespace GraphDL.Codegen.Programs;

/// <summary>
/// How a graph is lowered for the CPU: <see cref="Fuse"/> groups nodes into kernels (off: one kernel per node);
/// <see cref="LibraryKernels"/> lets GEMMs, hand-written library kernels and buffer-sharing views run nodes (off:
/// every kernel is generated or interpreted, so results can be bit-exact against the interpreter).
/// </summary>
public sealed record LoweringOptions(bool Fuse = true, bool LibraryKernels = true);

/// <summary>
/// Lowering: a graph (flat, or fused by the <c>fuse</c> pass) becomes a <see cref="ProgramDescription"/>. The recipe,
/// one line per stage:
/// <list type="number">
/// <item>kernels — the fusion plan: the fused graph's own kernels, or <see cref="FusionPlanner"/> under
/// <see cref="CpuCapabilities"/>;</item>
/// <item>steps — each kernel becomes steps: a GEMM with its epilogue, a library kernel, a view, a generated kernel,
/// or, failing all, its nodes interpreted one by one; a transpose every reader of which reads it in place gets no
/// step at all;</item>
/// <item>hoist — the steps that read no graph input run once when the program is built;</item>
/// <item>schedule — <see cref="StepSchedule"/> orders the other steps to keep peak memory low, judging each by its
/// own reads and writes;</item>
/// <item>plan memory — <see cref="MemoryPlanner"/> places every buffer in one arena, and
/// <see cref="MemoryPlanChecker"/> proves the plan from the same steps.</item>
/// </list>
/// </summary>
public static class ProgramLowering
{
    /// <summary>The kernels <paramref name="graph"/> lowers to: a fused graph's own, else the fusion planner's under the CPU capabilities.</summary>
    public static FusionPlan PlanFusion(Graph graph, LoweringOptions options) => graph.Nodes.Any(n => n.Op == Fused.Instance)
        ? Passes.Fusion.FusePass.PlanOf(graph)
        : FusionPlanner.Plan(graph, CpuCapabilities.For(gemm: options.LibraryKernels), options.Fuse);

    /// <summary>The <c>fuse</c> pass with the CPU's capabilities: the graph with each kernel as a <c>fused</c> node.</summary>
    public static FusePass FusePassFor(LoweringOptions options) => new(CpuCapabilities.For(gemm: options.LibraryKernels), options.Fuse);

    /// <summary>
    /// Lowers <paramref name="graph"/> to its program, each stage run under <paramref name="instrumentation"/> when
    /// given (timed, printed and dumped as the next numbered steps after the graph passes).
    /// </summary>
    public static ProgramDescription Lower(Graph graph, LoweringOptions options, PassManager? instrumentation = null)
    {
        // fuse: the kernels (a fused graph keeps its own), dumped as the graph with each kernel a fused node.
        var kernels = Stage(instrumentation, "fuse", () => PlanFusion(graph, options), plan => Passes.Fusion.FusePass.Outlined(plan).ToString(), "gir");
        // lower: each kernel becomes steps naming exactly the buffers they read and write.
        var lowered = Stage(instrumentation, "lower", () => LowerSteps(kernels, options), l => l.Format());
        // schedule: the steps of a run ordered to keep peak memory low.
        var scheduled = Stage(instrumentation, "schedule", () => Schedule(lowered), l => l.Format());
        // plan-memory: every buffer placed in one arena, donations found, the plan proved.
        return Stage(instrumentation, "plan-memory", () => PlanMemory(scheduled), p => p.Format());
    }

    /// <summary>Runs <paramref name="run"/> as a stage of <paramref name="instrumentation"/>'s pipeline, or just runs it.</summary>
    public static T Stage<T>(PassManager? instrumentation, string name, Func<T> run, Func<T, string> print, string extension = "txt") =>
        instrumentation is null ? run() : instrumentation.Stage(name, run, print, extension);

    /// <summary>
    /// The <c>lower</c> stage: the steps of every kernel, in the fusion plan's order, with the steps that read no
    /// graph input (<see cref="MemoryEstimate.ComputedOnce"/>) set apart to run once.
    /// </summary>
    public static LoweredSteps LowerSteps(Graph graph, LoweringOptions options) => LowerSteps(PlanFusion(graph, options), options);

    /// <summary>The <c>lower</c> stage on the kernels of <paramref name="plan"/> (see <see cref="PlanFusion"/>).</summary>
    public static LoweredSteps LowerSteps(FusionPlan plan, LoweringOptions options)
    {
        var steps = new StepBuilder(plan, options.LibraryKernels).Build();
        var constant = MemoryEstimate.ComputedOnce(plan.Graph);
        var hoisted = steps.Where(s => s.Sources.All(constant.Contains)).ToArray();
        return new LoweredSteps(plan, hoisted, steps.Where(s => !s.Sources.All(constant.Contains)).ToArray(), null);
    }

    /// <summary>The <c>schedule</c> stage: <see cref="StepSchedule"/> orders the steps of a run by their own reads and writes.</summary>
    public static LoweredSteps Schedule(LoweredSteps lowered)
    {
        var schedule = StepSchedule.Of(lowered.Fusion.Graph, lowered.Steps.Select(s => s.ToMemoryStep(persistent: false)).ToArray());
        return lowered with { Steps = schedule.Order.Select(i => lowered.Steps[i]).ToArray(), Schedule = schedule };
    }

    /// <summary>The <c>plan-memory</c> stage: the description, its arena planned and proved (see <see cref="ProgramDescription"/>).</summary>
    public static ProgramDescription PlanMemory(LoweredSteps scheduled) =>
        new(scheduled.Fusion, scheduled.Hoisted, scheduled.Steps,
            scheduled.Schedule ?? throw new InvalidOperationException("plan-memory follows schedule: the steps have no order yet"));

    /// <summary>Whether <paramref name="node"/> is a matmul the packed GEMM runs: rank-2 f32 operands.</summary>
    public static bool IsGemm(Node node) =>
        node.Op.Name == "matmul" && node.Type.DType == DType.F32 && node.Operands[0].Type.Rank == 2 && node.Operands[1].Type.Rank == 2;

    /// <summary>A rank-2 permute with perm [1, 0].</summary>
    public static bool IsTranspose(Value value) =>
        value is Node { Op.Name: "permute" } p && p.Type.Rank == 2 && p.Attributes.Ints("perm") is [1, 0];

    /// <summary>The steps of each kernel of a plan, in the plan's order.</summary>
    private sealed class StepBuilder
    {
        private readonly FusionPlan _plan;
        private readonly bool _library;
        private readonly HashSet<Node> _outputs;
        private readonly HashSet<Node> _absorbed;
        private readonly Dictionary<Node, Node> _transposedProducts;
        private readonly List<ProgramStep> _steps = [];

        public StepBuilder(FusionPlan plan, bool library)
        {
            _plan = plan;
            _library = library;
            var graph = plan.Graph;
            var consumers = FusionPlanner.Consumers(graph);
            _outputs = graph.Outputs.Select(o => o.Value).OfType<Node>().ToHashSet<Node>(ReferenceEqualityComparer.Instance);
            // GEMM and batched GEMM steps read a transposed operand in place: they read the transpose's operand.
            bool readsThrough(Node consumer) => IsGemm(consumer) || BatchedGemmStep.TryCreate(consumer) is not null;
            // Transposes read in place by every reader need not be computed.
            _absorbed = library
                ? graph.Nodes.Where(n => (IsTranspose(n) || BatchedGemmStep.IsLastAxesSwap(n)) && !_outputs.Contains(n) && consumers[n].Count > 0
                        && consumers[n].All(readsThrough))
                    .ToHashSet<Node>(ReferenceEqualityComparer.Instance)
                : new HashSet<Node>(ReferenceEqualityComparer.Instance);
            // A lone matmul read only by a transpose is computed transposed, in the transpose's step, so the product
            // itself is never stored: not where a reader of the transpose would read the product through it.
            _transposedProducts = library
                ? plan.Kernels.Where(k => k.Members.Count == 1 && IsTranspose(k.Root) && !_absorbed.Contains(k.Root) && k.Root.Operands[0] is Node p
                        && IsGemm(p) && !_outputs.Contains(p) && consumers[p].Count == 1 && plan.Kernels.Any(q => q.Root == p && q.Members.Count == 1)
                        && !consumers[k.Root].Any(readsThrough))
                    .ToDictionary(k => (Node)k.Root.Operands[0], k => k.Root, (IEqualityComparer<Node>)ReferenceEqualityComparer.Instance)
                : new Dictionary<Node, Node>(ReferenceEqualityComparer.Instance);
        }

        public IReadOnlyList<ProgramStep> Build()
        {
            foreach (var kernel in _plan.Kernels)
            {
                Add(kernel);
            }
            return _steps;
        }

        private void Add(FusionKernel kernel)
        {
            var root = kernel.Root;
            if (_absorbed.Contains(root) || _transposedProducts.ContainsKey(root))
            {
                return;
            }
            if (kernel.Members.Count == 1 && IsTranspose(root) && root.Operands[0] is Node t && _transposedProducts.ContainsKey(t))
            {
                _steps.Add(Gemm(t, null, transposed: root));
            }
            else if (_library && kernel.Members.FirstOrDefault(IsGemm) is { } product)
            {
                var epilogue = kernel.Members.Where(m => m != product).ToArray();
                var lowered = epilogue.Length == 0 ? null : Generate(kernel.Name, epilogue, root);
                _steps.Add(Gemm(product, lowered, transposed: null));
                if (lowered is null)
                {
                    _steps.AddRange(epilogue.Select(m => new InterpretedStep(m)));
                }
            }
            else if (_library && kernel.Members.Count == 1 && !_outputs.Contains(root) && root.Op.Has(OpTraits.View) && root.Operands[0] is not Literal)
            {
                _steps.Add(new ViewStep(root));
            }
            else if (_library && kernel.Members.Count == 1 && LibraryStep.For(root) is { } call)
            {
                _steps.Add(call);
            }
            else if (Generate(kernel.Name, kernel.Members, root) is { } lowered)
            {
                _steps.Add(lowered);
            }
            else
            {
                // No generated code for this kernel (only possible for a fused graph built elsewhere): its nodes run one by one.
                _steps.AddRange(kernel.Members.Select(m => new InterpretedStep(m)));
            }
        }

        /// <summary>Generated kernels by <see cref="Kernel.StructuralKey"/>: a kernel identical to an earlier one reuses it.</summary>
        private readonly Dictionary<string, Kernel> _kernels = [];

        /// <summary>
        /// Per <see cref="KernelBody.Signature"/>: the kernel its bodies lower to and, per kernel input, which of the
        /// body's arguments it reads; null when such bodies do not lower. A body met before is not built and lowered again.
        /// </summary>
        private readonly Dictionary<string, (Kernel Kernel, int[] Arguments)?> _lowered = [];

        private KernelStep? Generate(string name, IReadOnlyList<Node> members, Node root)
        {
            var arguments = new List<Value>();
            var signature = KernelBody.Signature(members, root, arguments);
            if (!_lowered.TryGetValue(signature, out var template))
            {
                _lowered[signature] = template = Lower(name, members, root, arguments);
            }
            return template is { } t ? new KernelStep(new LoweredKernel(t.Kernel, t.Arguments.Select(a => arguments[a]).ToArray(), [root]), members) : null;
        }

        private (Kernel, int[])? Lower(string name, IReadOnlyList<Node> members, Node root, List<Value> arguments)
        {
            if (!CpuCapabilities.TryLower(KernelBody.Build(name, members, root), root, out var lowered, out _))
            {
                return null;
            }
            var kernel = lowered!.Kernel;
            if (!_kernels.TryAdd(kernel.StructuralKey, kernel))
            {
                kernel = _kernels[kernel.StructuralKey];
            }
            return (kernel, lowered.Inputs.Select(input => arguments.FindIndex(a => ReferenceEquals(a, input))).ToArray());
        }

        /// <summary>Computes <paramref name="product"/>, or with <paramref name="transposed"/> the transpose node reading it.</summary>
        private static GemmStep Gemm(Node product, KernelStep? epilogue, Node? transposed)
        {
            Value a = product.Operands[0], b = product.Operands[1];
            bool transA = IsTranspose(a), transB = IsTranspose(b);
            (a, b) = (transA ? ((Node)a).Operands[0] : a, transB ? ((Node)b).Operands[0] : b);
            return transposed is null
                ? new GemmStep(product, product, a, transA, b, transB, epilogue, epilogue is not null && epilogue.Lowered.Kernel.SupportsTiles)
                : new GemmStep(product, transposed, b, !transB, a, !transA, null, false);
        }
    }
}
