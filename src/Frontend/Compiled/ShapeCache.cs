using GraphDL.IR;

namespace GraphDL;

/// <summary>
/// The programs of one compiled function, one per input shape it has been called with, as torch.compile's guards
/// keep one graph per shape: a new shape of the same ranks and dtypes (a partial last batch, a longer prompt) is traced
/// and compiled on first use and kept, with one log line (<see cref="CompileOptions.Log"/>), up to
/// <see cref="CompileOptions.MaxShapes"/> shapes (torch._dynamo's cache_size_limit, also 8); past that, a
/// <see cref="RecompileLimitException"/>. A different rank or dtype is a mistake rather than a new shape: it is
/// refused with an error naming the caller's line, before anything is traced.
/// </summary>
/// <typeparam name="T">What one compilation produced (its graph, its program).</typeparam>
internal sealed class ShapeCache<T> : IDisposable where T : class, IDisposable
{
    private readonly string _function;
    private readonly SourceLoc _compiledAt;
    private readonly IReadOnlyList<string> _inputNames;
    private readonly Func<TensorType[], T> _compile;
    private readonly CompileOptions _options;
    private readonly TensorType[] _sampleTypes;
    private readonly List<(TensorType[] Types, T Value)> _entries = [];
    private readonly Lock _lock = new();

    /// <summary>Compiles for <paramref name="sampleTypes"/> at once, so that errors in the model show where it is built.</summary>
    public ShapeCache(string function, SourceLoc compiledAt, IReadOnlyList<string> inputNames, TensorType[] sampleTypes,
        CompileOptions options, Func<TensorType[], T> compile)
    {
        _function = function;
        _compiledAt = compiledAt;
        _inputNames = inputNames;
        _options = options;
        _compile = compile;
        _sampleTypes = sampleTypes;
        _entries.Add((sampleTypes, compile(sampleTypes)));
    }

    /// <summary>The program compiled for the sample shapes.</summary>
    public T First => _entries[0].Value;

    /// <summary>The input types of each compiled shape, in the order they were compiled.</summary>
    public IReadOnlyList<IReadOnlyList<TensorType>> Shapes
    {
        get
        {
            lock (_lock)
            {
                return _entries.Select(e => (IReadOnlyList<TensorType>)e.Types).ToArray();
            }
        }
    }

    /// <summary>
    /// The program for <paramref name="inputs"/>' shapes, compiled now if it is the first call with them.
    /// <paramref name="caller"/> is the user's line that made the call, for errors.
    /// </summary>
    public T For(IReadOnlyList<HostTensor> inputs, SourceLoc caller)
    {
        var types = CheckKinds(inputs, caller);
        lock (_lock)
        {
            // A linear search: there are at most MaxShapes entries, and the common call matches the first.
            foreach (var (known, value) in _entries)
            {
                if (known.AsSpan().SequenceEqual(types))
                {
                    return value;
                }
            }
            if (_entries.Count >= _options.MaxShapes)
            {
                throw new RecompileLimitException(
                    $"{Where(caller)}error: {_function} (compiled at {_compiledAt}) already holds {_entries.Count} compiled shapes, the limit "
                    + $"(CompileOptions.MaxShapes = {_options.MaxShapes}), and {Describe(types)} would be one more. It holds: "
                    + string.Join("; ", _entries.Select(e => Describe(e.Types)))
                    + ". Feed fewer distinct shapes (pad the inputs, or drop the last partial batch) or raise MaxShapes.");
            }
            _options.Log($"graphdl: recompiling {_function} (compiled at {_compiledAt}) for {Describe(types)}: "
                + $"shape {_entries.Count + 1} of at most {_options.MaxShapes}");
            var compiled = _compile(types);
            _entries.Add((types, compiled));
            return compiled;
        }
    }

    /// <summary>The inputs' types, after checking their count, ranks and dtypes against the sample's.</summary>
    private TensorType[] CheckKinds(IReadOnlyList<HostTensor> inputs, SourceLoc caller)
    {
        var expected = _sampleTypes;
        if (inputs.Count != expected.Length)
        {
            throw new ArgumentException($"{Where(caller)}error: {_function} takes {expected.Length} input{(expected.Length == 1 ? "" : "s")} "
                + $"({string.Join(", ", _inputNames)}, as compiled at {_compiledAt}), got {inputs.Count}");
        }
        var types = new TensorType[inputs.Count];
        for (int i = 0; i < types.Length; i++)
        {
            ArgumentNullException.ThrowIfNull(inputs[i], _inputNames[i]);
            types[i] = inputs[i].Type;
            if (types[i].DType != expected[i].DType || types[i].Rank != expected[i].Rank)
            {
                throw new ArgumentException($"{Where(caller)}error: {_function}: {_inputNames[i]} must be {expected[i].DType.Name()} of rank "
                    + $"{expected[i].Rank} (compiled at {_compiledAt} for {expected[i]}; only sizes may change), got {types[i]}");
            }
        }
        return types;
    }

    private static string Where(SourceLoc caller) => caller.IsKnown ? $"{caller}: " : "";

    private string Describe(TensorType[] types) => string.Join(", ", types.Select((t, i) => $"{_inputNames[i]}: {t}"));

    public void Dispose()
    {
        lock (_lock)
        {
            foreach (var (_, value) in _entries)
            {
                value.Dispose();
            }
            _entries.Clear();
        }
    }
}
