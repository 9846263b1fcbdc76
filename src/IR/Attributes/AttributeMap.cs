using System.Collections;

namespace GraphDL.IR;

/// <summary>
/// A node's attributes in the order its op declares them. Immutable and compared by value.
/// Read them with the typed getters (<see cref="Int"/>, <see cref="Ints"/>, ...), which name the attribute on misuse.
/// </summary>
public sealed class AttributeMap : IReadOnlyList<KeyValuePair<string, Attr>>, IEquatable<AttributeMap>
{
    private readonly KeyValuePair<string, Attr>[] _entries;
    private string? _text;

    public AttributeMap(IEnumerable<KeyValuePair<string, Attr>> entries) => _entries = entries.ToArray();

    /// <summary>
    /// The op whose canonical form this map is, when <see cref="AttributeSchema.Normalize"/> made it (maps are
    /// immutable): normalizing it again for that op returns it as it is. Every pass re-emits every node with its
    /// attributes, so this saves re-checking them against the op's specs thousands of times per pass.
    /// </summary>
    internal OpDef? NormalizedFor { get; init; }

    public static AttributeMap Empty { get; } = new([]);

    /// <summary>Builds a map from name/value pairs: <c>AttributeMap.Of(("axis", new IntAttr(1)))</c>.</summary>
    public static AttributeMap Of(params (string Name, Attr Value)[] entries) =>
        new(entries.Select(e => KeyValuePair.Create(e.Name, e.Value)));

    public int Count => _entries.Length;

    public KeyValuePair<string, Attr> this[int index] => _entries[index];

    public Attr? Find(string name)
    {
        foreach (var entry in _entries)
        {
            if (entry.Key == name)
            {
                return entry.Value;
            }
        }
        return null;
    }

    public Attr Get(string name) => Find(name) ?? throw new KeyNotFoundException($"attribute '{name}' is not set");

    public long Int(string name) => Get<IntAttr>(name).Value;

    public IReadOnlyList<int> Ints(string name) => Get<IntListAttr>(name).Values;

    public double Float(string name) => Get<FloatAttr>(name).Value;

    public bool Bool(string name) => Get<BoolAttr>(name).Value;

    public string String(string name) => Get<StringAttr>(name).Value;

    public DType DType(string name) => Get<DTypeAttr>(name).Value;

    public Scalar Scalar(string name) => Get<ScalarAttr>(name).Value;

    public HostTensor Tensor(string name) => Get<TensorAttr>(name).Value;

    public Graph Graph(string name) => Get<GraphAttr>(name).Value;

    private T Get<T>(string name) where T : Attr => Get(name) as T
        ?? throw new InvalidCastException($"attribute '{name}' is {Get(name).Kind}, not {typeof(T).Name}");

    public bool Equals(AttributeMap? other) => other is not null && _entries.SequenceEqual(other._entries);

    public override bool Equals(object? obj) => obj is AttributeMap other && Equals(other);

    public override int GetHashCode() => _entries.Aggregate(0, (h, e) => HashCode.Combine(h, e.Key, e.Value));

    /// <summary>Text form: <c>{shape=[64, 128], dims=[1]}</c>, or empty when there are none (kept once made: a map is immutable).</summary>
    public override string ToString() => _text ??= Count == 0 ? "" : "{" + string.Join(", ", _entries.Select(e => $"{e.Key}={e.Value.Format()}")) + "}";

    public IEnumerator<KeyValuePair<string, Attr>> GetEnumerator() => ((IEnumerable<KeyValuePair<string, Attr>>)_entries).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => _entries.GetEnumerator();
}
