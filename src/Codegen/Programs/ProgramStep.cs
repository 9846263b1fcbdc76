using GraphDL.Codegen.KernelIR;
using GraphDL.IR;
using GraphDL.Passes.Memory;

namespace GraphDL.Codegen.Programs;

/// <summary>
/// One step of a <see cref="ProgramDescription"/>: what it computes (<see cref="Sources"/>), the one buffer it writes
/// (<see cref="Output"/>'s) and exactly the buffers it reads (<see cref="Reads"/>). A step that reads an operand
/// through an index map (a GEMM reading a transpose, a kernel reading a broadcast) names the buffer the map is
/// applied to, never the value the map would have produced: that is the buffer whose bytes must still be there when
/// the step runs, and the one the runtime hands it. Every consumer of the description — memory planning, its
/// checker, the scheduler's cost model, renderers and the runtime — reads these facts from here.
/// </summary>
public abstract record ProgramStep
{
    /// <summary>The graph nodes this step computes, in graph order (for a generated kernel, the fusion kernel's members).</summary>
    public abstract IReadOnlyList<Node> Sources { get; }

    /// <summary>The node whose value the step leaves in its buffer.</summary>
    public abstract Node Output { get; }

    /// <summary>The distinct values whose buffers the step reads (graph inputs, or outputs of earlier steps); literals are not buffers.</summary>
    public abstract IReadOnlyList<Value> Reads { get; }

    /// <summary>
    /// The in-place claim: reads made only at the flat index the step writes, so <see cref="Output"/> may take over
    /// such a read's buffer when this step is its last reader (see <see cref="MemoryStep.AlignedReads"/>).
    /// </summary>
    public virtual IReadOnlyList<Value> AlignedReads => [];

    /// <summary>For a view, the value whose buffer <see cref="Output"/> names (no code runs); null for a step that computes.</summary>
    public virtual Value? ViewOf => null;

    /// <summary>One line naming the step's kind and what it computes, as the program listing and profiles print it.</summary>
    public abstract string Describe();

    /// <summary>The step as the memory planner sees it.</summary>
    public MemoryStep ToMemoryStep(bool persistent) => new(Output, Reads) { AliasOf = ViewOf, Persistent = persistent, AlignedReads = AlignedReads };

    public sealed override string ToString() => Describe();

    /// <summary>The distinct non-literal operands of <paramref name="nodes"/> not computed among them.</summary>
    protected static Value[] ExternalOperands(IReadOnlyList<Node> nodes)
    {
        var inside = nodes.ToHashSet<Node>(ReferenceEqualityComparer.Instance);
        return nodes.SelectMany(n => n.Operands).Where(o => o is not Literal && !(o is Node n && inside.Contains(n)))
            .Distinct(ReferenceEqualityComparer.Instance).Cast<Value>().ToArray();
    }
}

/// <summary>
/// A generated loop kernel (<see cref="Kernel"/>), called with its buffers' addresses: <see cref="LoweredKernel.Inputs"/>
/// in order, then the output's. Several steps may share one <see cref="Kernel"/> (structurally identical bodies:
/// same ops, shapes and dtypes), each with its own buffers.
/// </summary>
public sealed record KernelStep(LoweredKernel Lowered, IReadOnlyList<Node> Members) : ProgramStep
{
    public override IReadOnlyList<Node> Sources => Members;

    public override Node Output => Lowered.Outputs[0];

    public override IReadOnlyList<Value> Reads => Lowered.Inputs;

    public override IReadOnlyList<Value> AlignedReads { get; } = MemoryStep.AlignedReadsOf(Members, Lowered.Outputs[0]);

    public override string Describe() => $"kernel {Lowered.Kernel.Name}: " + string.Join(", ", Members.Select(s => s.Op.Name));
}

/// <summary>
/// A rank-2 f32 matmul on the packed GEMM, C = op(A)·op(B), reading a transposed operand in place (<see cref="TransA"/>,
/// <see cref="TransB"/>: <see cref="A"/> and <see cref="B"/> are then the transposes' operands), then its elementwise
/// <see cref="Epilogue"/>, which reads the product from C and overwrites it — tile by tile while it is in cache when
/// <see cref="Tiled"/>. A product read only through a transpose is computed transposed in that transpose's step:
/// (AB)ᵀ = BᵀAᵀ, so <see cref="Result"/> is the transpose and the product itself has no buffer.
/// </summary>
public sealed record GemmStep(Node Product, Node Result, Value A, bool TransA, Value B, bool TransB, KernelStep? Epilogue, bool Tiled) : ProgramStep
{
    public override IReadOnlyList<Node> Sources => Epilogue is not null ? [Product, .. Epilogue.Members]
        : Result == Product ? [Product] : [Product, Result];

    public override Node Output => Epilogue?.Output ?? Result;

    /// <summary>A and B, and the epilogue's inputs but the product, which it reads from C.</summary>
    public override IReadOnlyList<Value> Reads { get; } = Epilogue is null ? Distinct([A, B]) : Distinct([A, B, .. Epilogue.Reads.Where(i => i != Product)]);

    /// <summary>Rows of C.</summary>
    public int M => Result.Type.Shape[0];

    /// <summary>Columns of C.</summary>
    public int N => Result.Type.Shape[1];

    /// <summary>The contracted dimension.</summary>
    public int K => Product.Operands[0].Type.Shape[1];

    public override string Describe() => "gemm" + (Result != Product ? " (transposed)" : "") + (Epilogue is null ? ""
        : $" + {(Tiled ? "tiled epilogue" : "kernel")} {Epilogue.Lowered.Kernel.Name}: " + string.Join(", ", Epilogue.Members.Select(s => s.Op.Name)));

    private static Value[] Distinct(IEnumerable<Value> values) => values.Distinct(ReferenceEqualityComparer.Instance).Cast<Value>().ToArray();
}

/// <summary>A reshape that shares its operand's buffer (row-major order is unchanged): no code runs, nothing is copied.</summary>
public sealed record ViewStep(Node Node) : ProgramStep
{
    public override IReadOnlyList<Node> Sources => [Node];

    public override Node Output => Node;

    public override IReadOnlyList<Value> Reads => [Node.Operands[0]];

    public override Value ViewOf => Node.Operands[0];

    public override string Describe() => $"reshape (shares its operand's buffer) : {Node.Type}";
}

/// <summary>A node run by its reference evaluation: no generated or library code handles it (yet).</summary>
public sealed record InterpretedStep(Node Node) : ProgramStep
{
    public override IReadOnlyList<Node> Sources => [Node];

    public override Node Output => Node;

    public override IReadOnlyList<Value> Reads { get; } = ExternalOperands([Node]);

    public override IReadOnlyList<Value> AlignedReads { get; } = MemoryStep.AlignedReadsOf([Node], Node);

    public override string Describe() => $"reference {Node.Op.Name} : {Node.Type}";
}

/// <summary>
/// One node run by a hand-written library kernel (convolution, batched GEMM, pooling, data movement, indexing,
/// iota). Each kind carries what its kernel needs beyond the node, computed once at lowering.
/// </summary>
public abstract record LibraryStep(Node Node) : ProgramStep
{
    public override IReadOnlyList<Node> Sources => [Node];

    public override Node Output => Node;

    /// <summary>The node's operands, unless the kind reads through one.</summary>
    public override IReadOnlyList<Value> Reads { get; } = ExternalOperands([Node]);

    public override string Describe() => $"{Node.Op.Name} kernel : {Node.Type}";

    /// <summary>The library step that runs <paramref name="node"/> on its own, if any.</summary>
    public static LibraryStep? For(Node node) => (LibraryStep?)Conv2dStep.TryCreate(node) ?? BatchedGemmStep.TryCreate(node)
        ?? (LibraryStep?)WindowReductionStep.TryCreate(node) ?? (LibraryStep?)MovementStep.TryCreate(node)
        ?? (LibraryStep?)IndexingStep.TryCreate(node) ?? IotaStep.TryCreate(node);
}
