using System.Reflection;

namespace GraphDL.IR;

/// <summary>
/// Every primitive op, found once by reflection over this assembly: each non-abstract <see cref="OpDef"/> with a
/// public static <c>Instance</c>. Adding an op is adding its file; nothing else lists ops.
/// </summary>
public static class OpRegistry
{
    private static readonly Lazy<IReadOnlyDictionary<string, OpDef>> ByName = new(Discover);

    /// <summary>All primitive ops, ordered by name.</summary>
    public static IReadOnlyList<OpDef> All => ByName.Value.Values.OrderBy(op => op.Name, StringComparer.Ordinal).ToArray();

    public static OpDef? Find(string name) => ByName.Value.TryGetValue(name, out var op) ? op : null;

    private static IReadOnlyDictionary<string, OpDef> Discover()
    {
        var ops = new Dictionary<string, OpDef>(StringComparer.Ordinal);
        foreach (var type in typeof(OpDef).Assembly.GetTypes())
        {
            if (type.IsAbstract || !typeof(OpDef).IsAssignableFrom(type))
            {
                continue;
            }
            var field = type.GetField("Instance", BindingFlags.Public | BindingFlags.Static)
                ?? throw new InvalidOperationException($"op class {type.Name} needs 'public static readonly {type.Name} Instance = new();'");
            var op = (OpDef)field.GetValue(null)!;
            if (!ops.TryAdd(op.Name, op))
            {
                throw new InvalidOperationException($"two op classes are named '{op.Name}': {ops[op.Name].GetType().Name} and {type.Name}");
            }
        }
        return ops;
    }
}
