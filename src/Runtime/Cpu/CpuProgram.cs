using GraphDL.Codegen.CSharp;
using GraphDL.Codegen.KernelIR;
using GraphDL.IR;
using GraphDL.Passes.Fusion;
using GraphDL.Passes.Memory;

namespace GraphDL.Runtime;

/// <summary>
/// A compiled graph: the fusion plan's kernels in schedule order (<see cref="KernelOrder"/>), each a step — a
/// generated kernel, a GEMM with its epilogue run on each tile, a hand-written kernel (conv2d, batched matmul,
/// movement, pooling, gather/scatter), or a node run by its reference evaluation. All generated kernels share one
/// Roslyn compilation with the schedule's <c>Run</c> method (<see cref="CompiledSchedule"/>), which calls them in
/// order, so a run is one call into generated code. A program without generated kernels compiles nothing: its steps
/// are walked here.
/// </summary>
public sealed class CpuProgram : IExecutable
{
    private readonly List<CpuStep> _steps = [];
    private readonly CompiledProgram? _compiled;
    private readonly CompiledSchedule? _schedule;
    private bool _disposed;
    private readonly List<Kernel> _kernels = [];
    private readonly ProgramBuffers _buffers;
    private readonly Lock _running = new();

    internal CpuProgram(Graph graph, bool fuse, bool exact = false, bool planMemory = true)
    {
        bool gemm = !exact;
        var renderOptions = exact ? KernelOptions.Exact : KernelOptions.Fast;
        Plan = new CpuBackend(fuse, exact).PlanFusion(graph);
        // A fused graph is compiled from its flat form, one kernel per fused node.
        Graph = graph = Plan.Graph;
        var consumers = FusionPlanner.Consumers(graph);
        var outputs = graph.Outputs.Select(o => o.Value).OfType<Node>().ToHashSet<Node>(ReferenceEqualityComparer.Instance);
        var absorbed = gemm ? GemmStep.AbsorbedTransposes(graph, consumers, outputs) : [];
        var methods = new List<(string, string)>();
        // Each kernel's header names its nodes as the fusion report does (%12: the node's index in the graph).
        var nodeIds = graph.Nodes.Select((n, i) => (n, i)).ToDictionary(p => p.n, p => $"%{p.i}", (IEqualityComparer<Node>)ReferenceEqualityComparer.Instance);
        LoweredKernel? Generate(string name, IReadOnlyList<Node> members, Node root, bool tile = false)
        {
            if (!CpuCapabilities.TryLower(KernelBody.Build(name, members, root), root, out var lowered, out _))
            {
                return null;
            }
            _kernels.Add(lowered!.Kernel);
            methods.Add((name, CSharpKernelRenderer.Render(lowered.Kernel, tile ? renderOptions with { TileEntry = true } : renderOptions,
                members.Select(m => nodeIds[m]).ToArray())));
            return lowered;
        }
        // A lone matmul read only by a transpose is computed transposed, in the transpose's step.
        var transposedProducts = gemm
            ? Plan.Kernels.Where(k => k.Members.Count == 1 && GemmStep.IsTranspose(k.Root) && !absorbed.Contains(k.Root) && k.Root.Operands[0] is Node p
                    && GemmStep.IsGemm(p) && !outputs.Contains(p) && consumers[p].Count == 1 && Plan.Kernels.Any(q => q.Root == p && q.Members.Count == 1))
                .ToDictionary(k => (Node)k.Root.Operands[0], k => k.Root, (IEqualityComparer<Node>)ReferenceEqualityComparer.Instance)
            : [];
        Order = KernelOrder.Schedule(Plan);
        // The graph nodes behind each step (a generated step's sources are its body's copies of them).
        var stepMembers = new Dictionary<CpuStep, IReadOnlyList<Node>>();
        foreach (var kernel in Order.Kernels)
        {
            int first = _steps.Count;
            AddSteps(kernel);
            foreach (var step in _steps.Skip(first))
            {
                stepMembers[step] = kernel.Members;
            }
        }

        void AddSteps(FusionKernel kernel)
        {
            var root = kernel.Root;
            if (absorbed.Contains(root) || transposedProducts.ContainsKey(root))
            {
                return;
            }
            if (kernel.Members.Count == 1 && GemmStep.IsTranspose(root) && root.Operands[0] is Node t && transposedProducts.ContainsKey(t))
            {
                _steps.Add(new GemmStep(t, null, transposed: root));
            }
            else if (gemm && kernel.Members.FirstOrDefault(GemmStep.IsGemm) is { } product)
            {
                var epilogue = kernel.Members.Where(m => m != product).ToArray();
                var lowered = epilogue.Length == 0 ? null : Generate(kernel.Name, epilogue, root, tile: true);
                _steps.Add(new GemmStep(product, lowered));
                if (lowered is null)
                {
                    _steps.AddRange(epilogue.Select(m => new ReferenceStep(m)));
                }
            }
            else if (gemm && kernel.Members.Count == 1 && !outputs.Contains(root) && AliasStep.Applies(root))
            {
                _steps.Add(new AliasStep(root));
            }
            else if (gemm && kernel.Members.Count == 1 && KernelCallStep.For(root) is { } call)
            {
                _steps.Add(new KernelCallStep(call));
            }
            else if (Generate(kernel.Name, kernel.Members, root) is { } lowered)
            {
                _steps.Add(new GeneratedStep(lowered));
            }
            else
            {
                // No generated code for this kernel (only possible for a fused graph built elsewhere): its nodes
                // run one by one.
                _steps.AddRange(kernel.Members.Select(m => new ReferenceStep(m)));
            }
        }
        HoistConstants(graph, stepMembers);
        // Every compiled program's plan is proved safe before its buffers are laid out by it, so every program the
        // tests compile checks the planner.
        Memory = ProgramMemory.Plan(graph, _hoisted, _steps, stepMembers);
        MemoryPlanChecker.Check(Memory);
        _buffers = new ProgramBuffers(planMemory ? Memory.ArenaBytes : 0);
        var offsets = planMemory
            ? Memory.Buffers.ToDictionary(b => b.Value, b => b.Offset, (IEqualityComparer<Node>)ReferenceEqualityComparer.Instance)
            : [];
        foreach (var step in _hoisted.Concat(_steps).Where(s => s is not AliasStep))
        {
            if (outputs.Contains(step.Output))
            {
                _buffers.AllocatePerRun(step.Output);
            }
            else if (offsets.TryGetValue(step.Output, out long offset))
            {
                _buffers.Place(step.Output, offset);
            }
            else
            {
                _buffers.Allocate(step.Output);
            }
        }
        if (methods.Count > 0)
        {
            _schedule = new CompiledSchedule(_steps, _buffers);
            methods.Add((ScheduleRenderer.MethodName, ScheduleRenderer.Render(graph.Name, _schedule.Calls)));
            _compiled = CompiledProgram.Compile(methods, graph.Name);
            foreach (var step in _hoisted.Concat(_steps))
            {
                step.Bind(_compiled);
            }
        }
        foreach (var step in _hoisted)
        {
            step.Run(_buffers);
        }
        _schedule?.Bind(_compiled!);
    }

    /// <summary>
    /// Moves every step that reads no graph input (iotas, fills and what is computed from them alone: ops are pure) from
    /// the steps a run walks to <see cref="_hoisted"/>, run once when the program is built, leaving its result in the
    /// step's persistent buffer. Graph outputs are not hoisted: each run hands the caller fresh storage.
    /// </summary>
    private void HoistConstants(Graph graph, Dictionary<CpuStep, IReadOnlyList<Node>> members)
    {
        // The same values the remat pass's memory estimate keeps out of the arena.
        var constant = MemoryEstimate.ComputedOnce(graph);
        // A constant value's producers are constant too, so the steps that compute what a hoisted step reads are
        // hoisted as well, and run before it (the schedule is topological).
        _hoisted = _steps.Where(s => members[s].All(constant.Contains)).ToArray();
        foreach (var step in _hoisted)
        {
            _steps.Remove(step);
        }
    }

    private CpuStep[] _hoisted = [];

    /// <summary>The graph this program runs: the one compiled, or for a fused graph its flat form (same inputs and outputs).</summary>
    public Graph Graph { get; }

    /// <summary>The kernels chosen by the fusion planner, with the report of what was not fused and why.</summary>
    public FusionPlan Plan { get; }

    /// <summary>The order the kernels run in, chosen to keep peak memory low, and that peak.</summary>
    public KernelOrder Order { get; }

    /// <summary>
    /// Where the intermediates of a run live in the program's arena, proved by <see cref="MemoryPlanChecker"/> when
    /// the program is built. With planning off (<see cref="CpuBackend.PlanMemory"/>) the plan is still made and
    /// checked, but every value gets a buffer of its own.
    /// </summary>
    public MemoryPlan Memory { get; }

    /// <summary>Bytes this program holds for its intermediates: the arena, and the pinned buffers of values outside it.</summary>
    public long BufferBytes => _buffers.ArenaBytes + _buffers.OwnBufferBytes;

    /// <summary>The generated loop kernels of this program, in schedule order.</summary>
    public IReadOnlyList<Kernel> Kernels => _kernels;

    /// <summary>The generated C# source (empty when no kernel was generated).</summary>
    public string Source => _compiled?.Source ?? "";

    /// <summary>A weak reference to the generated code's load context (null when nothing was generated), so a test can prove it unloads.</summary>
    internal WeakReference? LoadContext => _compiled?.Context;

    /// <summary>The steps a run walks, in schedule order: generated kernels, GEMMs, hand-written kernels and nodes run by their reference evaluation.</summary>
    public IReadOnlyList<string> Steps => _steps.Select(s => s.ToString()!).ToArray();

    /// <summary>The steps that read no graph input, run once when the program was built.</summary>
    public IReadOnlyList<string> HoistedSteps => _hoisted.Select(s => s.ToString()!).ToArray();

    /// <summary>Runs the program. Runs of one program are serialized: its buffers are reused by every run.</summary>
    public IReadOnlyList<HostTensor> Run(IReadOnlyList<HostTensor> inputs) => Run(inputs, donate: false);

    /// <summary>
    /// Runs the program writing each output that updates an input (<see cref="MemoryPlan.Donations"/>: new
    /// parameters, optimizer state) into that input's storage: the output returned shares it, and the input tensor
    /// holds the new value afterwards.
    /// </summary>
    public IReadOnlyList<HostTensor> RunDonating(IReadOnlyList<HostTensor> inputs) => Run(inputs, donate: true);

    private IReadOnlyList<HostTensor> Run(IReadOnlyList<HostTensor> inputs, bool donate)
    {
        CheckInputs(inputs);
        lock (_running)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _buffers.Bind(Graph.Inputs, inputs, donate ? Memory.Donations : []);
            try
            {
                if (_schedule is not null)
                {
                    _schedule.Run();
                }
                else
                {
                    foreach (var step in _steps)
                    {
                        step.Run(_buffers);
                    }
                }
                return Graph.Outputs.Select(o => _buffers.CopyOut(o.Value)).ToArray();
            }
            finally
            {
                _buffers.Release();
            }
        }
    }

    /// <summary>
    /// Runs the program <paramref name="repetitions"/> times (after one warm-up run) timing every step, and returns
    /// each step's median time with its fused nodes, bytes moved and flops, in schedule order.
    /// </summary>
    public IReadOnlyList<StepProfile> Profile(IReadOnlyList<HostTensor> inputs, int repetitions)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(repetitions, 1);
        Run(inputs);
        var times = _steps.Select(_ => new double[repetitions]).ToArray();
        lock (_running)
        {
            _buffers.Bind(Graph.Inputs, inputs, []);
            try
            {
                for (int r = 0; r < repetitions; r++)
                {
                    for (int s = 0; s < _steps.Count; s++)
                    {
                        long start = System.Diagnostics.Stopwatch.GetTimestamp();
                        _steps[s].Run(_buffers);
                        times[s][r] = System.Diagnostics.Stopwatch.GetElapsedTime(start).TotalSeconds;
                    }
                }
            }
            finally
            {
                _buffers.Release();
            }
        }
        return _steps.Select((step, s) =>
        {
            // An absorbed transpose counts as its operand: the same bytes.
            var inside = step.Sources.ToHashSet<Node>(ReferenceEqualityComparer.Instance);
            long reads = step.Sources.SelectMany(n => n.Operands).Where(o => o is not Literal && !(o is Node n && inside.Contains(n)))
                .Distinct(ReferenceEqualityComparer.Instance).Cast<Value>().Sum(v => v.Type.SizeInBytes);
            Array.Sort(times[s]);
            return new StepProfile(step.ToString()!, step.Sources, times[s][repetitions / 2],
                reads + step.Output.Type.SizeInBytes, step.Sources.Sum(n => NodeCost.Of(n).Flops));
        }).ToArray();
    }

    private void CheckInputs(IReadOnlyList<HostTensor> inputs)
    {
        if (inputs.Count != Graph.Inputs.Count)
        {
            throw new ArgumentException($"graph @{Graph.Name} takes {Graph.Inputs.Count} inputs, {inputs.Count} given");
        }
        for (int i = 0; i < inputs.Count; i++)
        {
            if (inputs[i].Type != Graph.Inputs[i].Type)
            {
                throw new ArgumentException($"input %{Graph.Inputs[i].Name} of @{Graph.Name} is {Graph.Inputs[i].Type}, given {inputs[i].Type}");
            }
        }
    }

    /// <summary>Unloads the generated code; the program cannot run afterwards.</summary>
    public void Dispose()
    {
        lock (_running)
        {
            if (!_disposed)
            {
                _disposed = true;
                _compiled?.Dispose();
            }
        }
    }
}

/// <summary>One step's median time in a <see cref="CpuProgram.Profile"/> run, with what it computes and moves.</summary>
public sealed record StepProfile(string Name, IReadOnlyList<Node> Nodes, double Seconds, long Bytes, double Flops)
{
    public double GigabytesPerSecond => Seconds > 0 ? Bytes / Seconds / 1e9 : 0;

    public double GigaflopsPerSecond => Seconds > 0 ? Flops / Seconds / 1e9 : 0;
}
