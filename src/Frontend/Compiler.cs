using GraphDL.IR;
using GraphDL.Passes;
using GraphDL.Passes.Memory;
using GraphDL.Runtime;

namespace GraphDL;

/// <summary>How graphs are compiled and run.</summary>
public sealed record CompileOptions
{
    /// <summary>The backend that runs the graphs: <see cref="GraphDL.Backend.Cpu"/> (compiled, the default) or <see cref="GraphDL.Backend.Reference"/>.</summary>
    public IBackend Backend { get; init; } = GraphDL.Backend.Cpu;

    /// <summary>Seed of the Philox stream used by dropout and other random ops.</summary>
    public long Seed { get; init; }

    /// <summary>
    /// The passes run after autodiff and the optimizer update, as a recipe (see <see cref="PassRegistry"/>);
    /// empty for none.
    /// </summary>
    public string Pipeline { get; init; } = Pipelines.Simplify;

    /// <summary>
    /// Instrumentation: IR printing, dumps, verification, statistics. Defaults to <see cref="PassOptions.Ambient"/>
    /// (set by <c>graphdl compile</c> around a script), else to the GRAPHDL_* environment variables.
    /// </summary>
    public PassOptions Passes { get; init; } = PassOptions.Ambient ?? PassOptions.FromEnvironment();

    /// <summary>
    /// Rematerialization (activation checkpointing) of training steps: <see cref="RematPolicy.None"/> (the default),
    /// <see cref="RematPolicy.Sqrt"/> or <see cref="RematPolicy.Budget"/>; parse <c>"none"</c>, <c>"sqrt"</c> or
    /// <c>"budget=64MB"</c> with <see cref="RematPolicy.Parse"/>. The <c>remat</c> pass runs after <see cref="Pipeline"/>
    /// (so CSE cannot merge recomputed values back); it also recomputes <c>F.Checkpoint</c> regions under any policy.
    /// Defaults to <see cref="RematPolicy.Ambient"/> (set by <c>graphdl compile --remat=</c> around a script).
    /// </summary>
    public RematPolicy Remat { get; init; } = RematPolicy.Ambient ?? RematPolicy.None;

    /// <summary>
    /// The most bytes the compiled program's arena may take (its intermediate values: parameters, optimizer state,
    /// inputs and outputs live outside it), or null for no limit. With <see cref="Remat"/> at <c>none</c>, the
    /// <c>remat</c> pass runs as <c>budget=MemoryBudget</c>, recomputing activations until the backend's estimated arena
    /// fits; an explicit <c>sqrt</c> or <c>budget=B</c> policy runs as given (a B below the budget leaves headroom).
    /// Either way the compiled program's own arena is checked afterwards. Compilation fails with
    /// <see cref="RematBudgetException"/> when remat finds no plan that fits, or <see cref="MemoryBudgetException"/>
    /// when the program's arena exceeds the budget; both name the budget, the arena, and the values live at the peak.
    /// Backends that plan no arena (the reference interpreter) get the remat pass only.
    /// </summary>
    public long? MemoryBudget
    {
        get;
        init => field = value is <= 0 ? throw new ArgumentOutOfRangeException(nameof(MemoryBudget), $"a memory budget must be positive, got {value}") : value;
    }

    /// <summary>
    /// How many input shapes one compiled function (a training step, an inference function) may hold, as
    /// torch._dynamo's <c>cache_size_limit</c> (also 8): a call with a new shape of the same ranks and dtypes compiles
    /// for it and keeps it; one past the limit fails with <see cref="RecompileLimitException"/>, since a function fed
    /// ever-new shapes would compile on every call.
    /// </summary>
    public int MaxShapes
    {
        get;
        init => field = value < 1 ? throw new ArgumentOutOfRangeException(nameof(MaxShapes), $"a compiled function holds at least one shape, got {value}") : value;
    } = 8;

    /// <summary>Where a compiled function reports each recompile for a new input shape (one line each); standard error by default.</summary>
    public Action<string> Log { get; init; } = message => Console.Error.WriteLine(message);

    /// <summary>The policy the <c>remat</c> pass runs with: <see cref="Remat"/>, or <c>budget=</c><see cref="MemoryBudget"/> in place of <c>none</c>.</summary>
    public RematPolicy EffectiveRemat => MemoryBudget is { } budget && Remat.Kind == RematKind.None ? RematPolicy.Budget(budget) : Remat;
}

/// <summary>
/// Builds whole programs from models: a training step (forward, backward and optimizer update in one graph) and
/// an inference function. The API does not depend on the backend that runs them.
/// </summary>
public static partial class Compiler
{
    /// <summary>Runs <paramref name="body"/> as the trace of a new graph and returns the finished context.</summary>
    internal static TraceContext TraceWith(string name, Action<TraceContext> body)
    {
        var context = new TraceContext(name);
        var outer = TraceContext.Current;
        TraceContext.Current = context;
        try
        {
            body(context);
        }
        finally
        {
            context.Finished = true;
            TraceContext.Current = outer;
        }
        return context;
    }

    /// <summary>
    /// The recipe from a traced graph to the graph a backend compiles, one line per step; the backend's own stages
    /// follow under the same instrumentation (<see cref="IBackend.Compile(Graph, PassManager)"/>; the CPU backend's:
    /// fuse, lower, schedule, plan-memory, codegen). <c>graphdl compile</c> runs the same recipe.
    /// </summary>
    public static IReadOnlyList<IPass> Recipe(Graph traced, IEnumerable<IPass> first, CompileOptions options) =>
        Recipe(first, options, checkpointRegions: traced.Nodes.Any(n => n.Attributes.Find(AttributeSchema.CheckpointRegion) is not null));

    /// <summary>The recipe for graphs that do (<paramref name="checkpointRegions"/>) or do not mark <c>F.Checkpoint</c> regions, which remat recomputes under any policy.</summary>
    public static IReadOnlyList<IPass> Recipe(IEnumerable<IPass> first, CompileOptions options, bool checkpointRegions)
    {
        var policy = options.EffectiveRemat;
        bool remat = policy.Kind != RematKind.None || checkpointRegions;
        return
        [
            // autodiff, optimizer (a training step's): gradients and the update in one joint graph, as AOTAutograd does.
            .. first,
            // simplify (cse, dce, fold, algebra): fewer, simpler nodes for every later stage.
            .. options.Pipeline.Length == 0 ? [] : PassRegistry.Parse(options.Pipeline),
            // remat: after simplify, whose CSE would merge recomputed values back; before fusion, so recomputation fuses.
            .. remat ? [RematFor(policy, options.Backend)] : Array.Empty<IPass>(),
        ];
    }

    /// <summary>
    /// Runs <see cref="Recipe(Graph, IEnumerable{IPass}, CompileOptions)"/> on <paramref name="traced"/> and compiles the result on the configured backend under
    /// one pass manager, so dumps number the passes and the backend's stages as one sequence (in a directory of
    /// their own per compiled function, see <see cref="PassOptions.ForCompilation"/>). Returns the graph the backend
    /// compiled and its program, held to <see cref="CompileOptions.MemoryBudget"/>: a program whose arena exceeds it
    /// is disposed and reported.
    /// </summary>
    internal static (Graph Graph, IExecutable Executable) Compile(Graph traced, IEnumerable<IPass> first, CompileOptions options)
    {
        using var progress = CompileProgress.For(traced.Name);
        var manager = new PassManager(Recipe(traced, first, options), options.Passes.ForCompilation(traced.Name) with { Progress = progress.Report });
        var graph = manager.Run(traced);
        var executable = options.Backend.Compile(graph, manager);
        if (options.MemoryBudget is { } budget && executable.Memory is { } plan && plan.ArenaBytes > budget)
        {
            executable.Dispose();
            throw new MemoryBudgetException(budget, plan);
        }
        return (graph, executable);
    }

    /// <summary>The remat pass judging budgets on the arena <paramref name="backend"/>'s program will get, where it plans one.</summary>
    internal static RematPass RematFor(RematPolicy policy, IBackend backend) =>
        new(policy, graph => backend.EstimateMemory(graph) ?? MemoryEstimate.Of(graph));

    /// <summary>The arena plan of a compiled program, or null for a backend that plans none (the reference interpreter).</summary>
    internal static MemoryPlan? MemoryOf(IExecutable executable) => executable.Memory;
}
