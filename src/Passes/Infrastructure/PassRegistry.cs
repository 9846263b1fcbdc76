namespace GraphDL.Passes;

/// <summary>
/// Passes by name, for pipelines written as recipes (<c>"canonicalize,fold,cse,dce"</c>) and the
/// <c>--passes=</c> flag. Passes that need arguments (autodiff with respect to given inputs) are built in code.
/// </summary>
public static class PassRegistry
{
    private static readonly Dictionary<string, Func<IPass>> Factories = new(StringComparer.Ordinal);

    static PassRegistry() => BuiltinPasses.RegisterAll();

    /// <summary>Makes <paramref name="name"/> available to recipes.</summary>
    public static void Register(string name, Func<IPass> factory)
    {
        lock (Factories)
        {
            Factories[name] = factory;
        }
    }

    public static IReadOnlyList<string> Names
    {
        get
        {
            lock (Factories)
            {
                return Factories.Keys.Order(StringComparer.Ordinal).ToArray();
            }
        }
    }

    public static IPass Create(string name)
    {
        lock (Factories)
        {
            return Factories.TryGetValue(name, out var factory)
                ? factory()
                : throw new ArgumentException($"unknown pass '{name}' (known: {string.Join(", ", Factories.Keys.Order(StringComparer.Ordinal))})", nameof(name));
        }
    }

    /// <summary>Passes from a comma-separated recipe; named pipelines (see <see cref="Pipelines"/>) expand in place.</summary>
    public static IReadOnlyList<IPass> Parse(string recipe) =>
        recipe.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .SelectMany(name => Pipelines.Named.TryGetValue(name, out var expansion) ? Parse(expansion) : [Create(name)])
            .ToArray();
}

/// <summary>The named pipelines, as recipes.</summary>
public static class Pipelines
{
    /// <summary>Simplification to a fixed point of the cheap passes.</summary>
    public const string Simplify = "canonicalize,fold,cse,dce";

    public static IReadOnlyDictionary<string, string> Named { get; } = new Dictionary<string, string>
    {
        ["simplify"] = Simplify,
    };
}

/// <summary>The passes of this assembly, registered by name.</summary>
internal static class BuiltinPasses
{
    public static void RegisterAll()
    {
        PassRegistry.Register("canonicalize", () => new Simplify.Canonicalize());
        PassRegistry.Register("canonicalize-fast-math", () => new Simplify.Canonicalize(fastMath: true));
        PassRegistry.Register("fold", () => new Simplify.ConstantFolding());
        PassRegistry.Register("cse", () => new Simplify.CommonSubexpressionElimination());
        PassRegistry.Register("dce", () => new Simplify.DeadCodeElimination());
        PassRegistry.Register("decompose", () => new Simplify.Decompose());
        PassRegistry.Register("fuse", () => new Fusion.FusePass(Fusion.FusionCapabilities.Any));
        PassRegistry.Register("remat", () => new Memory.RematPass(Memory.RematPolicy.Sqrt));
    }
}
