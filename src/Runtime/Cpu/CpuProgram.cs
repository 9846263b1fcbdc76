using GraphDL.Codegen.CSharp;
using GraphDL.Codegen.KernelIR;
using GraphDL.Codegen.Programs;
using GraphDL.IR;
using GraphDL.Passes.Fusion;
using GraphDL.Passes.Memory;

namespace GraphDL.Runtime;

/// <summary>
/// A <see cref="ProgramDescription"/> bound to the CPU: its buffers laid out by the description's memory plan, its
/// steps bound to their code, and its generated code (one Roslyn compilation, see <see cref="CSharpProgram"/>)
/// loaded. A run is one call into the generated schedule, which calls the kernels in order and the runtime back for
/// every other step; a program without generated kernels walks its steps here. This class compiles nothing and plans
/// nothing: <see cref="CpuBackend"/> lowers and compiles, the description decides.
/// <para>Runs are safe from many threads at once: the buffers are the program's, so runs of one program take turns
/// (a lock around the whole run), and each run's inputs and outputs live only in that run.</para>
/// </summary>
public sealed class CpuProgram : IExecutable
{
    private readonly CpuStep[] _steps;
    private readonly CpuStep[] _hoisted;
    private readonly CompiledProgram? _compiled;
    private readonly CompiledSchedule? _schedule;
    private bool _disposed;
    private readonly ProgramBuffers _buffers;
    private readonly Lock _running = new();

    internal CpuProgram(ProgramDescription program, CompiledProgram? compiled, ScheduleLayout layout, bool planMemory)
    {
        Program = program;
        _compiled = compiled;
        _hoisted = program.Hoisted.Select(CpuStep.For).ToArray();
        _steps = program.Steps.Select(CpuStep.For).ToArray();
        var outputs = Graph.Outputs.Select(o => o.Value).OfType<Node>().ToHashSet<Node>(ReferenceEqualityComparer.Instance);
        _buffers = new ProgramBuffers(planMemory ? Memory.ArenaBytes : 0);
        var offsets = planMemory
            ? Memory.Buffers.ToDictionary(b => b.Value, b => b.Offset, (IEqualityComparer<Node>)ReferenceEqualityComparer.Instance)
            : [];
        foreach (var step in program.Hoisted.Concat(program.Steps).Where(s => s.ViewOf is null))
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
        if (compiled is not null)
        {
            _schedule = new CompiledSchedule(_steps, layout, _buffers);
            foreach (var step in _hoisted.Concat(_steps))
            {
                step.Bind(compiled);
            }
        }
        foreach (var step in _hoisted)
        {
            step.Run(_buffers);
        }
        _schedule?.Bind(compiled!);
    }

    /// <summary>What this program runs: its steps, their buffers and its memory plan.</summary>
    public ProgramDescription Program { get; }

    /// <summary>The graph this program runs: the one compiled, or for a fused graph its flat form (same inputs and outputs).</summary>
    public Graph Graph => Program.Graph;

    /// <summary>The kernels chosen by the fusion planner, with the report of what was not fused and why.</summary>
    public FusionPlan Plan => Program.Fusion;

    /// <summary>
    /// Where the intermediates of a run live in the program's arena, proved by <see cref="MemoryPlanChecker"/> when
    /// the program is built. With planning off (<see cref="CpuBackend.PlanMemory"/>) the plan is still made and
    /// checked, but every value gets a buffer of its own.
    /// </summary>
    public MemoryPlan Memory => Program.Memory;

    /// <summary>Bytes this program holds for its intermediates: the arena, and the pinned buffers of values outside it.</summary>
    public long BufferBytes => _buffers.ArenaBytes + _buffers.OwnBufferBytes;

    /// <summary>The distinct generated loop kernels of this program, in first-use order.</summary>
    public IReadOnlyList<Kernel> Kernels => Program.Kernels;

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
                    for (int s = 0; s < _steps.Length; s++)
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
            var description = step.Step;
            long reads = description.Reads.Sum(v => v.Type.SizeInBytes);
            long writes = description.ViewOf is null ? description.Output.Type.SizeInBytes : 0;
            Array.Sort(times[s]);
            return new StepProfile(step.ToString(), description.Sources, times[s][repetitions / 2],
                reads + writes, description.Sources.Sum(n => NodeCost.Of(n).Flops));
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
