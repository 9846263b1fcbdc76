using GraphDL.IR;

namespace GraphDL.Examples.Makemore;

/// <summary>
/// The characters of a set of names, each an integer: 0 is '.', which marks both the start and the end of a name
/// (a name is read as ".emma."), then every other character in sorted order.
/// </summary>
public sealed class Vocabulary
{
    public const char Boundary = '.';

    private readonly Dictionary<char, int> _index;

    public Vocabulary(IEnumerable<string> names)
    {
        var chars = names.SelectMany(n => n).Distinct().Order().ToList();
        if (chars.Contains(Boundary))
        {
            throw new ArgumentException($"a name contains '{Boundary}', which marks where names start and end", nameof(names));
        }
        Chars = [Boundary, .. chars];
        _index = Chars.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => p.i);
    }

    /// <summary>The characters by index; <c>Chars[0]</c> is the boundary.</summary>
    public IReadOnlyList<char> Chars { get; }

    public int Size => Chars.Count;

    public int this[char c] => _index.TryGetValue(c, out var i) ? i : throw new ArgumentException($"'{c}' is not in the vocabulary");

    /// <summary>
    /// The training examples of <paramref name="names"/> for a model that reads <paramref name="block"/> characters
    /// to predict the next: for ".emma." with block 3, "..." → e, "..e" → m, ".em" → m, "emm" → a, "mma" → '.'.
    /// Contexts are i64 [N, block], targets i64 [N].
    /// </summary>
    public (HostTensor Contexts, HostTensor Targets) Examples(IEnumerable<string> names, int block)
    {
        var contexts = new List<long>();
        var targets = new List<long>();
        var window = new int[block];
        foreach (var name in names)
        {
            Array.Clear(window);
            foreach (var c in name.Append(Boundary))
            {
                int next = this[c];
                contexts.AddRange(window.Select(i => (long)i));
                targets.Add(next);
                Array.Copy(window, 1, window, 0, block - 1);
                window[^1] = next;
            }
        }
        return (HostTensor.FromArray(contexts.ToArray(), targets.Count, block), HostTensor.FromArray(targets.ToArray(), targets.Count));
    }
}
