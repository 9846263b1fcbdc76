using GraphDL.Codegen.CSharp;
using GraphDL.Codegen.Kernels;
using GraphDL.Codegen.Programs;
using GraphDL.IR;

namespace GraphDL.Runtime;

/// <summary>
/// A step of a <see cref="ProgramDescription"/> bound to the CPU: it runs its <see cref="Step"/> on the addresses the
/// program's <see cref="ProgramBuffers"/> give the values it reads and writes. What a step reads is the
/// description's; this only calls the code.
/// </summary>
internal abstract class CpuStep(ProgramStep step)
{
    public ProgramStep Step { get; } = step;

    /// <summary>Binds generated kernels once the program's compilation is loaded.</summary>
    public virtual void Bind(CompiledProgram program)
    {
    }

    public abstract void Run(ProgramBuffers buffers);

    public override string ToString() => Step.Describe();

    /// <summary>The runner of <paramref name="step"/>.</summary>
    public static CpuStep For(ProgramStep step) => step switch
    {
        KernelStep kernel => new KernelRun(kernel),
        GemmStep gemm => new GemmRun(gemm),
        ViewStep view => new ViewRun(view),
        InterpretedStep interpreted => new InterpretedRun(interpreted),
        BatchedGemmStep batched => new BatchedGemmRun(batched),
        Conv2dStep conv => new Conv2dRun(conv),
        WindowReductionStep window => new WindowReductionRun(window),
        MovementStep movement => new MovementRun(movement),
        IndexingStep indexing => new IndexingRun(indexing),
        IotaStep iota => new IotaRun(iota),
        _ => throw new NotSupportedException($"the CPU runtime cannot run a {step.GetType().Name} ({step})"),
    };
}

/// <summary>A node run by its reference evaluation on copies of its operands.</summary>
internal sealed class InterpretedRun(InterpretedStep step) : CpuStep(step)
{
    public override void Run(ProgramBuffers buffers)
    {
        var node = step.Node;
        var operands = node.Operands.Select(buffers.Read).ToArray();
        buffers.Store(node, node.Op.Evaluate(new EvalContext(node.Op, operands, node.Attributes, node.Type, node.Loc)));
    }
}

/// <summary>A view: its node names its operand's buffer for this run.</summary>
internal sealed class ViewRun(ViewStep step) : CpuStep(step)
{
    public override void Run(ProgramBuffers buffers) => buffers.Alias(step.Node, step.ViewOf);
}

/// <summary>A generated loop kernel called through its function pointer.</summary>
internal sealed unsafe class KernelRun(KernelStep step) : CpuStep(step)
{
    private delegate*<nint*, void> _entry;

    public override void Bind(CompiledProgram program) => _entry = (delegate*<nint*, void>)program[step.Lowered.Kernel.Name];

    public override void Run(ProgramBuffers buffers) => Call(_entry, step, buffers, null, 0);

    /// <summary>
    /// Calls a kernel with its buffers' addresses: each read's, then the output's. With <paramref name="replaced"/>
    /// set, that value's buffer is <paramref name="replacement"/> instead (a GEMM epilogue reading the product in C).
    /// </summary>
    internal static void Call(delegate*<nint*, void> entry, KernelStep kernel, ProgramBuffers buffers, Value? replaced, nint replacement)
    {
        var pointers = stackalloc nint[kernel.Lowered.Inputs.Count + 1];
        Fill(pointers, kernel, buffers, replaced, replacement);
        entry(pointers);
    }

    internal static void Fill(nint* pointers, KernelStep kernel, ProgramBuffers buffers, Value? replaced, nint replacement)
    {
        var inputs = kernel.Lowered.Inputs;
        for (int i = 0; i < inputs.Count; i++)
        {
            pointers[i] = inputs[i] == replaced ? replacement : buffers.Address(inputs[i]);
        }
        pointers[inputs.Count] = buffers.Address(kernel.Output);
    }
}

/// <summary>A <see cref="GemmStep"/>: the packed GEMM, then its epilogue, tile by tile when the step says so.</summary>
internal sealed unsafe class GemmRun(GemmStep step) : CpuStep(step)
{
    private delegate*<nint*, void> _epilogueEntry;
    private delegate*<nint*, long, long, long, long, void> _tileEntry;

    public override void Bind(CompiledProgram program)
    {
        if (step.Epilogue is { } epilogue)
        {
            _epilogueEntry = (delegate*<nint*, void>)program[epilogue.Lowered.Kernel.Name];
            if (step.Tiled)
            {
                _tileEntry = (delegate*<nint*, long, long, long, long, void>)program.Entry(epilogue.Lowered.Kernel.Name + "_tile");
            }
        }
    }

    public override void Run(ProgramBuffers buffers)
    {
        var c = buffers.Address(step.Output);
        if (step.Epilogue is not { } epilogue)
        {
            Multiply(buffers, c, default);
            return;
        }
        if (!step.Tiled)
        {
            // The product goes to the epilogue's output buffer, which the epilogue then rewrites in place.
            Multiply(buffers, c, default);
            KernelRun.Call(_epilogueEntry, epilogue, buffers, step.Product, c);
            return;
        }
        // The epilogue reads the product from C and writes its result over it, tile by tile, while it is in cache.
        var pointers = stackalloc nint[epilogue.Lowered.Inputs.Count + 1];
        KernelRun.Fill(pointers, epilogue, buffers, step.Product, c);
        Multiply(buffers, c, new GemmEpilogue(_tileEntry, pointers));
    }

    private void Multiply(ProgramBuffers buffers, nint c, GemmEpilogue epilogue)
    {
        int m = step.M, n = step.N, k = step.K;
        Gemm.Sgemm(m, n, k,
            (float*)buffers.Address(step.A), Math.Max(1, step.TransA ? m : k), step.TransA,
            (float*)buffers.Address(step.B), Math.Max(1, step.TransB ? k : n), step.TransB,
            (float*)c, Math.Max(1, n), accumulate: false, threads: Environment.ProcessorCount, epilogue);
    }
}
