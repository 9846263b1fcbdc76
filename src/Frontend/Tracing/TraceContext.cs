using GraphDL.IR;

namespace GraphDL;

/// <summary>
/// The graph being traced on this thread: its builder, and the user's source line for the DSL call in progress.
/// The outermost DSL call sets the line, so a composite like <c>F.Softmax</c> stamps every node it emits with the
/// user's line, not with lines inside GraphDL.
/// </summary>
internal sealed class TraceContext
{
    [ThreadStatic]
    private static TraceContext? _current;

    private int _depth;

    public TraceContext(string name) => Builder = new GraphBuilder(name);

    /// <summary>A trace that extends an existing builder (passes written with the Tensor API, e.g. optimizers).</summary>
    public TraceContext(GraphBuilder builder) => Builder = builder;

    /// <summary>Nodes built under NoGrad, for passes that differentiate the finished graph.</summary>
    public IReadOnlySet<Node> Constants => _constants;

    public GraphBuilder Builder { get; }

    public bool Finished { get; set; }

    public static TraceContext? Current
    {
        get => _current;
        set => _current = value;
    }

    /// <summary>The trace a DSL call without tensor operands (e.g. <c>F.Full</c>) belongs to.</summary>
    public static TraceContext Ambient(string what) =>
        _current ?? throw new InvalidOperationException($"{what} creates a tensor, so it must be called inside Trace.Function(...)");

    /// <summary>Enters a DSL call at the caller's line (given by caller info); nested calls keep the outer line.</summary>
    public Scope At(string file, int line)
    {
        if (_depth++ == 0)
        {
            Builder.Location = file.Length == 0 ? SourceLoc.Unknown : new SourceLoc(Path.GetFileName(file), line);
        }
        return new Scope(this);
    }

    /// <summary>Enters a DSL call that has no caller info (operators): the user's frame is found on the stack, only when outermost.</summary>
    public Scope AtUserFrame()
    {
        if (_depth++ == 0)
        {
            Builder.Location = SourceLocator.UserFrame();
        }
        return new Scope(this);
    }

    private void Exit()
    {
        if (--_depth == 0)
        {
            Builder.Location = SourceLoc.Unknown;
        }
    }

    public readonly struct Scope(TraceContext context) : IDisposable
    {
        public void Dispose() => context.Exit();
    }

    /// <summary>Emits a node, wrapping it as a tensor of this trace.</summary>
    public Tensor Emit(OpDef op, IReadOnlyList<Value> operands, AttributeMap? attributes = null)
    {
        if (_checkpointRegion is { } region)
        {
            attributes = new AttributeMap((attributes ?? AttributeMap.Empty).Append(KeyValuePair.Create<string, Attr>(AttributeSchema.CheckpointRegion, new IntAttr(region))));
        }
        var node = Open().Emit(op, operands, attributes);
        if (_noGrad > 0)
        {
            _constants.Add(node);
        }
        return new(this, node);
    }

    private int _noGrad;
    private int? _checkpointRegion;
    private int _checkpointRegions;

    /// <summary>
    /// Marks the nodes emitted until the result is disposed as region K of <c>F.Checkpoint</c> (attribute
    /// <c>{checkpoint=K}</c>, see <see cref="AttributeSchema.CheckpointRegion"/>). A nested region joins the outer one.
    /// </summary>
    public IDisposable EnterCheckpoint()
    {
        var outer = _checkpointRegion;
        _checkpointRegion ??= _checkpointRegions++;
        return new Leave(() => _checkpointRegion = outer);
    }
    private readonly HashSet<Node> _constants = new(ReferenceEqualityComparer.Instance);

    /// <summary>Nodes built under <see cref="Autodiff.NoGrad"/>: autodiff treats them as constants.</summary>
    public bool IsConstant(Node node) => _constants.Contains(node);

    public IDisposable EnterNoGrad()
    {
        _noGrad++;
        return new Leave(() => _noGrad--);
    }

    private sealed class Leave(Action action) : IDisposable
    {
        public void Dispose() => action();
    }

    private readonly Dictionary<Parameter, GraphInput> _bound = [];
    private readonly List<(Parameter Buffer, Value NewValue)> _bufferUpdates = [];

    /// <summary>The input standing for <paramref name="parameter"/> in this trace, added on first use.</summary>
    public GraphInput Bind(Parameter parameter)
    {
        if (!_bound.TryGetValue(parameter, out var input))
        {
            input = Open().AddInput(parameter.Name, parameter.Type, parameter.Role);
            _bound[parameter] = input;
        }
        return input;
    }

    /// <summary>The parameters and buffers this trace has bound, in input order.</summary>
    public IReadOnlyCollection<KeyValuePair<Parameter, GraphInput>> Bound => _bound;

    /// <summary>Records that a buffer (running statistics) takes a new value when the graph runs.</summary>
    public void UpdateBuffer(Parameter buffer, Value newValue)
    {
        if (_bufferUpdates.Any(u => u.Buffer == buffer))
        {
            throw new InvalidOperationException($"buffer '{buffer.Name}' is updated twice in one trace");
        }
        _bufferUpdates.Add((buffer, newValue));
    }

    public IReadOnlyList<(Parameter Buffer, Value NewValue)> BufferUpdates => _bufferUpdates;

    private GraphInput? _rngSeed, _rngOffset;

    /// <summary>Philox blocks consumed by the random ops of this trace; a training step advances its offset by this much.</summary>
    public long RandomBlocks { get; private set; }

    /// <summary>
    /// The (seed, offset) operands for a new random op needing <paramref name="blocks"/> Philox blocks: the trace's
    /// <c>rng.seed</c> and <c>rng.offset</c> inputs (added on first use), the offset advanced past earlier random
    /// ops so that no two ops of one graph share numbers.
    /// </summary>
    public (Value Seed, Value Offset) RandomKey(long blocks)
    {
        var builder = Open();
        _rngSeed ??= builder.AddInput("rng.seed", new TensorType(DType.I64, Shape.Scalar));
        _rngOffset ??= builder.AddInput("rng.offset", new TensorType(DType.I64, Shape.Scalar));
        Value offset = RandomBlocks == 0 ? _rngOffset
            : builder.Emit(Prim.Add, [_rngOffset, builder.Literal(Scalar.FromInt64(DType.I64, RandomBlocks), _rngOffset.Type)]);
        RandomBlocks += blocks;
        return (_rngSeed, offset);
    }

    /// <summary>Checks this trace is still open and returns its builder.</summary>
    public GraphBuilder Open()
    {
        if (Finished)
        {
            throw new InvalidOperationException($"this tensor belongs to trace @{Builder.Name}, which has ended; tensors cannot outlive their Trace.Function call");
        }
        return Builder;
    }
}
