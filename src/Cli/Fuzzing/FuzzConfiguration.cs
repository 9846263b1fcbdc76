using GraphDL.Runtime;

namespace GraphDL.Cli.Fuzzing;

/// <summary>
/// One configuration of the compiled CPU backend that differential checks run: fused or one kernel per primitive,
/// bit-exact or fast, intermediates in the planned arena or each in a buffer of its own
/// (<c>new CpuBackend(fuse, exact, planMemory)</c>). Named <c>fused-exact-planned</c>, <c>unfused-fast-unplanned</c>, ...
/// </summary>
internal readonly record struct FuzzConfiguration(bool Fuse, bool Exact, bool PlanMemory)
{
    /// <summary>All eight, bit-exact ones first.</summary>
    public static IReadOnlyList<FuzzConfiguration> All { get; } =
    [
        .. from exact in new[] { true, false }
           from fuse in new[] { true, false }
           from plan in new[] { true, false }
           select new FuzzConfiguration(fuse, exact, plan),
    ];

    /// <summary>The words a configuration's name is made of, in order.</summary>
    public static IReadOnlyList<string> Words { get; } = ["fused", "unfused", "exact", "fast", "planned", "unplanned"];

    public string Name => $"{(Fuse ? "fused" : "unfused")}-{(Exact ? "exact" : "fast")}-{(PlanMemory ? "planned" : "unplanned")}";

    public IBackend Backend => new CpuBackend(Fuse, Exact, PlanMemory);

    /// <summary>The flags of <c>graphdl diff</c> that choose this configuration (empty for the default backend).</summary>
    public string DiffFlags => string.Concat(Exact ? " --exact" : "", Fuse ? "" : " --no-fuse", PlanMemory ? "" : " --no-plan");

    public override string ToString() => Name;

    /// <summary>
    /// The configurations matching every pattern's words, in <see cref="All"/>'s order: <c>fast</c> is the four fast
    /// ones, <c>unfused-exact</c> two, <c>fused-fast-planned</c> one (the default backend). Patterns are separated by
    /// commas; an unknown word is an error.
    /// </summary>
    /// <exception cref="ArgumentException">A pattern has a word that is not one of <see cref="Words"/>.</exception>
    public static IReadOnlyList<FuzzConfiguration> Select(IEnumerable<string> patterns)
    {
        var chosen = new HashSet<FuzzConfiguration>();
        foreach (var pattern in patterns.SelectMany(p => p.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            var words = pattern.Split('-');
            if (words.FirstOrDefault(w => !Words.Contains(w)) is { } unknown)
            {
                throw new ArgumentException($"'{unknown}' in configuration '{pattern}' is not one of {string.Join(", ", Words)}");
            }
            chosen.UnionWith(All.Where(c => words.All(c.Name.Split('-').Contains)));
        }
        return All.Where(chosen.Contains).ToArray();
    }
}
