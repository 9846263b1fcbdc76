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
        var node = Open().Emit(op, operands, attributes);
        if (_noGrad > 0)
        {
            _constants.Add(node);
        }
        return new(this, node);
    }

    private int _noGrad;
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
