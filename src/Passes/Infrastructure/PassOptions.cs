namespace GraphDL.Passes;

/// <summary>
/// Instrumentation of a pass pipeline, shared by the library (<c>CompileOptions</c>), the CLI flags and tests;
/// modelled on MLIR's <c>--mlir-print-ir-after-all</c>, XLA's dump flags and TVM's pass instruments.
/// </summary>
public sealed record PassOptions
{
    /// <summary>Passes whose input IR is printed (names, or "all").</summary>
    public IReadOnlySet<string> PrintIrBefore { get; init; } = new HashSet<string>();

    /// <summary>Passes whose output IR is printed (names, or "all").</summary>
    public IReadOnlySet<string> PrintIrAfter { get; init; } = new HashSet<string>();

    /// <summary>Print after a pass only when it changed the IR.</summary>
    public bool PrintOnlyChanges { get; init; }

    /// <summary>Where printed IR, statistics and sanitizer reports go (default: standard error).</summary>
    public TextWriter? Log { get; init; }

    /// <summary>A directory receiving <c>00-input.gir</c>, <c>01-NAME.gir</c> + <c>01-NAME.diff</c>, ... (created if missing).</summary>
    public string? DumpDirectory { get; init; }

    /// <summary>
    /// Whether each compilation dumps into a subdirectory of <see cref="DumpDirectory"/> named after the compiled
    /// function (<c>GRAPHDL_DUMP</c> sets it: a process may compile many functions).
    /// </summary>
    public bool DumpPerCompilation { get; init; }

    /// <summary>The dump directories compilations under these options (and their copies) have written, so none is overwritten.</summary>
    private HashSet<string> ClaimedDumps { get; init; } = [];

    private static readonly HashSet<string> ProcessDumps = [];

    /// <summary>
    /// The options for one compilation of <paramref name="function"/>: its dumps go to <see cref="DumpDirectory"/>
    /// (or its subdirectory <c>function</c> with <see cref="DumpPerCompilation"/>), unless an earlier compilation
    /// under these options already wrote there: then to <c>function-2</c>, <c>function-3</c>, ... beside it, with a
    /// line in the log saying where. Dumps of two compilations never overwrite each other.
    /// </summary>
    public PassOptions ForCompilation(string function)
    {
        if (DumpDirectory is not { } dir)
        {
            return this;
        }
        var claimed = DumpPerCompilation ? ProcessDumps : ClaimedDumps;
        lock (claimed)
        {
            var target = DumpPerCompilation ? Path.Combine(dir, function) : dir;
            for (int k = 2; !claimed.Add(Path.GetFullPath(target)); k++)
            {
                target = Path.Combine(dir, $"{function}-{k}");
            }
            if (!DumpPerCompilation && target != dir)
            {
                (Log ?? Console.Error).WriteLine($"// dumps of @{function} go to {target}: {dir} holds an earlier compilation's");
            }
            return this with { DumpDirectory = target };
        }
    }

    /// <summary>Run the verifier after every pass (on by default in debug builds; tests switch it on).</summary>
    public bool VerifyEach { get; init; } =
#if DEBUG
        true;
#else
        false;
#endif

    /// <summary>Called with each pass's and stage's name as it starts (a progress display); null for none.</summary>
    public Action<string>? Progress { get; init; }

    /// <summary>Print a table of per-pass wall time, node counts, ops by trait, flops and bytes.</summary>
    public bool Statistics { get; init; }

    /// <summary>Stop after this pass (bisection).</summary>
    public string? StopAfter { get; init; }

    /// <summary>Passes to skip (bisection).</summary>
    public IReadOnlySet<string> Skip { get; init; } = new HashSet<string>();

    /// <summary>After each pass, run input and output graphs on seeded random inputs and fail at the first pass whose outputs differ.</summary>
    public bool Sanitize { get; init; }

    /// <summary>Tolerance of the numerical sanitizer (relative and absolute).</summary>
    public double SanitizeTolerance { get; init; } = 1e-5;

    public static PassOptions Default { get; } = new();

    private static readonly AsyncLocal<PassOptions?> AmbientOptions = new();

    /// <summary>
    /// Options set for a scope (by the CLI around a user script), used by compilations that do not pass their own;
    /// null outside such a scope.
    /// </summary>
    public static PassOptions? Ambient => AmbientOptions.Value;

    /// <summary>Makes <paramref name="options"/> the <see cref="Ambient"/> options until the result is disposed.</summary>
    public static IDisposable Use(PassOptions options)
    {
        var outer = AmbientOptions.Value;
        AmbientOptions.Value = options;
        return new Scope(() => AmbientOptions.Value = outer);
    }

    private sealed class Scope(Action restore) : IDisposable
    {
        public void Dispose() => restore();
    }

    /// <summary>
    /// Options from the environment: <c>GRAPHDL_DUMP=dir</c> (each compiled function in its own subdirectory), <c>GRAPHDL_PRINT_IR_AFTER=all|p1,p2</c>,
    /// <c>GRAPHDL_PRINT_IR_BEFORE=...</c>, <c>GRAPHDL_VERIFY_EACH=1</c>, <c>GRAPHDL_PASS_STATS=1</c>, <c>GRAPHDL_SANITIZE=1</c>.
    /// </summary>
    public static PassOptions FromEnvironment(PassOptions? baseline = null)
    {
        var options = baseline ?? Default;
        static HashSet<string>? Names(string variable) =>
            Environment.GetEnvironmentVariable(variable) is { Length: > 0 } text
                ? text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet()
                : null;
        static bool Flag(string variable) => Environment.GetEnvironmentVariable(variable) is "1" or "true";
        return options with
        {
            DumpDirectory = Environment.GetEnvironmentVariable("GRAPHDL_DUMP") is { Length: > 0 } dir ? dir : options.DumpDirectory,
            DumpPerCompilation = options.DumpPerCompilation || Environment.GetEnvironmentVariable("GRAPHDL_DUMP") is { Length: > 0 },
            PrintIrAfter = Names("GRAPHDL_PRINT_IR_AFTER") ?? options.PrintIrAfter,
            PrintIrBefore = Names("GRAPHDL_PRINT_IR_BEFORE") ?? options.PrintIrBefore,
            VerifyEach = options.VerifyEach || Flag("GRAPHDL_VERIFY_EACH"),
            Statistics = options.Statistics || Flag("GRAPHDL_PASS_STATS"),
            Sanitize = options.Sanitize || Flag("GRAPHDL_SANITIZE"),
        };
    }

    internal static bool Selects(IReadOnlySet<string> names, string pass) => names.Contains("all") || names.Contains(pass);
}
