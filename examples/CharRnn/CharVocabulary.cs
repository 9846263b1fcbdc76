using GraphDL.IR;

namespace GraphDL.Examples.CharRnn;

/// <summary>The distinct characters of a text in sorted order, each an index: a text becomes i64 tokens and back.</summary>
public sealed class CharVocabulary
{
    private readonly Dictionary<char, int> _index;

    public CharVocabulary(string text)
    {
        if (text.Length == 0)
        {
            throw new ArgumentException("the text is empty: a vocabulary needs at least one character", nameof(text));
        }
        Chars = text.Distinct().Order().ToArray();
        _index = Chars.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => p.i);
    }

    /// <summary>The characters by index.</summary>
    public IReadOnlyList<char> Chars { get; }

    public int Size => Chars.Count;

    public long[] Encode(string text) => text.Select(c => _index.TryGetValue(c, out var i)
        ? (long)i : throw new ArgumentException($"'{c}' is not in the vocabulary")).ToArray();

    public string Decode(IEnumerable<long> tokens) => new([.. tokens.Select(t => Chars[(int)t])]);
}

/// <summary>
/// A token stream cut into <c>batch</c> contiguous streams read side by side, as truncated BPTT needs: chunk k holds
/// positions [k·T, (k+1)·T) of every stream, so the state a chunk ends in is where the next chunk of the same row
/// starts. Inputs are tokens, targets the tokens one position later; both i64 [batch, T].
/// </summary>
public sealed class StreamBatches
{
    private readonly long[] _tokens;
    private readonly int _streamLength;

    public StreamBatches(long[] tokens, int batch, int length)
    {
        if (batch < 1 || length < 1)
        {
            throw new ArgumentException($"batch ({batch}) and chunk length ({length}) must be positive");
        }
        Batch = batch;
        Length = length;
        _tokens = tokens;
        // Each stream needs one more token than its inputs: the last target.
        _streamLength = tokens.Length / batch;
        ChunkCount = (_streamLength - 1) / length;
        if (ChunkCount < 1)
        {
            throw new ArgumentException($"{tokens.Length} tokens make no chunk of {batch} streams × {length} + 1 characters");
        }
    }

    public int Batch { get; }

    public int Length { get; }

    /// <summary>How many whole chunks each pass over the streams holds.</summary>
    public int ChunkCount { get; }

    /// <summary>Chunk <paramref name="k"/> (0 ≤ k &lt; <see cref="ChunkCount"/>): inputs and targets, i64 [batch, T].</summary>
    public (HostTensor X, HostTensor Y) Chunk(int k)
    {
        if (k < 0 || k >= ChunkCount)
        {
            throw new ArgumentOutOfRangeException(nameof(k), $"chunk {k} is outside 0..{ChunkCount - 1}");
        }
        var x = new long[Batch * Length];
        var y = new long[Batch * Length];
        for (int b = 0; b < Batch; b++)
        {
            int start = b * _streamLength + k * Length;
            Array.Copy(_tokens, start, x, b * Length, Length);
            Array.Copy(_tokens, start + 1, y, b * Length, Length);
        }
        return (HostTensor.FromArray(x, Batch, Length), HostTensor.FromArray(y, Batch, Length));
    }
}
