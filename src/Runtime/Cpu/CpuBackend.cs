using System.Runtime.InteropServices;
using GraphDL.Codegen.CSharp;
using GraphDL.Codegen.Kernels;
using GraphDL.Codegen.KernelIR;
using GraphDL.IR;
using GraphDL.Passes.Fusion;

namespace GraphDL.Runtime;

/// <summary>
/// The compiled CPU backend: elementwise node groups (fused chains, with broadcasts folded into index math) become
/// generated C# SIMD kernels compiled together by Roslyn; nodes it does not generate code for yet run their
/// reference evaluation as steps of the same program. With <c>fuse: false</c> every node is its own kernel.
/// <para>Everything it generates equals the interpreter bit for bit except the packed GEMM (f32 matmuls, batched
/// ones and conv2d by im2col), which accumulates in f32 in blocked order (error bounded by about k·2⁻²³ relative
/// to Σ|a||b|); <c>gemm: false</c> runs matmuls and convolutions by their reference evaluation instead, for
/// bit-exact differential testing.</para>
/// </summary>
public sealed class CpuBackend(bool fuse = true, bool gemm = true) : IBackend
{
    public static CpuBackend Instance { get; } = new();

    public string Name => (fuse ? "cpu" : "cpu-unfused") + (gemm ? "" : "-exact");

    public bool Fuse => fuse;

    public IExecutable Compile(Graph graph) => new CpuProgram(graph, fuse, gemm);
}

/// <summary>A compiled graph: a schedule of kernel calls and fallback steps.</summary>
public sealed class CpuProgram : IExecutable
{
    private readonly List<Step> _steps = [];
    private readonly CompiledProgram? _compiled;

    internal CpuProgram(Graph graph, bool fuse, bool gemm = true)
    {
        Graph = graph;
        var groups = ElementwiseFusion.Group(graph, fuse, KernelLowering.IsSupported);
        var consumers = Consumers(graph);
        var outputs = graph.Outputs.Select(o => o.Value).OfType<Node>().ToHashSet<Node>(ReferenceEqualityComparer.Instance);
        var kernels = new List<(string, string)>();
        var absorbed = gemm ? AbsorbedTransposes(graph, consumers, outputs) : [];
        foreach (var group in groups)
        {
            if (group.IsFusible)
            {
                var members = group.Nodes.ToHashSet<Node>(ReferenceEqualityComparer.Instance);
                bool NeededOutside(Node n) => outputs.Contains(n) || consumers[n].Any(c => !members.Contains(c));
                var lowered = KernelLowering.Lower($"k{group.Index}", group, NeededOutside);
                _kernels.Add(lowered.Kernel);
                kernels.Add((lowered.Kernel.Name, CSharpKernelRenderer.Render(lowered.Kernel)));
                _steps.Add(new Step(null, lowered));
            }
            else if (gemm && Gemm2d(group.Nodes[0]) is { } product)
            {
                _steps.Add(new Step(null, null, product));
            }
            else if (gemm && KernelStep(group.Nodes[0]) is { } call)
            {
                _steps.Add(new Step(null, null, Call: call));
            }
            else if (!absorbed.Contains(group.Nodes[0]))
            {
                _steps.Add(new Step(group.Nodes[0], null));
            }
        }
        if (kernels.Count > 0)
        {
            _compiled = CompiledProgram.Compile(kernels, graph.Name);
        }
    }

    public Graph Graph { get; }

    /// <summary>The loop kernels of this program, in schedule order.</summary>
    public IReadOnlyList<Kernel> Kernels => _kernels;

    private readonly List<Kernel> _kernels = [];

    /// <summary>The generated C# source (empty when no kernel was generated).</summary>
    public string Source => _compiled?.Source ?? "";

    /// <summary>The number of steps: generated kernels plus nodes run by their reference evaluation.</summary>
    public int StepCount => _steps.Count;

    public IReadOnlyList<HostTensor> Run(IReadOnlyList<HostTensor> inputs)
    {
        if (inputs.Count != Graph.Inputs.Count)
        {
            throw new ArgumentException($"graph @{Graph.Name} takes {Graph.Inputs.Count} inputs, {inputs.Count} given");
        }
        var values = new Dictionary<Value, HostTensor>(ReferenceEqualityComparer.Instance);
        for (int i = 0; i < inputs.Count; i++)
        {
            if (inputs[i].Type != Graph.Inputs[i].Type)
            {
                throw new ArgumentException($"input %{Graph.Inputs[i].Name} of @{Graph.Name} is {Graph.Inputs[i].Type}, given {inputs[i].Type}");
            }
            values[Graph.Inputs[i]] = inputs[i];
        }
        foreach (var step in _steps)
        {
            if (step.Gemm is { } gemm)
            {
                RunGemm(gemm, values);
            }
            else if (step.Call is { } call)
            {
                call.Run(values);
            }
            else if (step.Node is { } node)
            {
                var operands = node.Operands.Select(o => o is Literal l ? HostTensor.Full(l.Type, l.Scalar) : values[o]).ToArray();
                values[node] = node.Op.Evaluate(new EvalContext(node.Op, operands, node.Attributes, node.Type, node.Loc));
            }
            else
            {
                RunKernel(step.Kernel!, values);
            }
        }
        return Graph.Outputs.Select(o => o.Value is Literal l ? HostTensor.Full(l.Type, l.Scalar) : values[o.Value]).ToArray();
    }

    private unsafe void RunKernel(LoweredKernel lowered, Dictionary<Value, HostTensor> values)
    {
        var kernel = lowered.Kernel;
        var storages = new Array[kernel.Buffers.Count];
        for (int i = 0; i < lowered.Inputs.Count; i++)
        {
            storages[i] = values[lowered.Inputs[i]].Storage;
        }
        for (int o = 0; o < lowered.Outputs.Count; o++)
        {
            var node = lowered.Outputs[o];
            storages[lowered.Inputs.Count + o] = HostTensor.NewStorage(node.Type.DType, node.Type.ElementCount);
        }
        var handles = new GCHandle[storages.Length];
        var pointers = stackalloc nint[Math.Max(1, storages.Length)];
        try
        {
            for (int i = 0; i < storages.Length; i++)
            {
                handles[i] = GCHandle.Alloc(storages[i], GCHandleType.Pinned);
                pointers[i] = handles[i].AddrOfPinnedObject();
            }
            var entry = (delegate*<nint*, void>)_compiled![kernel.Name];
            entry(pointers);
        }
        finally
        {
            foreach (var handle in handles)
            {
                if (handle.IsAllocated)
                {
                    handle.Free();
                }
            }
        }
        for (int o = 0; o < lowered.Outputs.Count; o++)
        {
            var node = lowered.Outputs[o];
            values[node] = HostTensor.FromStorage(node.Type, storages[lowered.Inputs.Count + o]);
        }
    }

    private static Dictionary<Node, List<Node>> Consumers(Graph graph)
    {
        var consumers = graph.Nodes.ToDictionary(n => n, _ => new List<Node>(), (IEqualityComparer<Node>)ReferenceEqualityComparer.Instance);
        foreach (var node in graph.Nodes)
        {
            foreach (var operand in node.Operands.OfType<Node>())
            {
                consumers[operand].Add(node);
            }
        }
        return consumers;
    }

    public void Dispose() => _compiled?.Dispose();

    private sealed record Step(Node? Node, LoweredKernel? Kernel, GemmStep? Gemm = null, IKernelStep? Call = null);

    /// <summary>The hand-written kernel that runs <paramref name="node"/> (f32 conv2d, batched matmul), if any.</summary>
    private static IKernelStep? KernelStep(Node node) => (IKernelStep?)ConvStep.TryCreate(node) ?? BatchedMatmulStep.TryCreate(node);

    /// <summary>A rank-2 f32 matmul run by the packed GEMM, reading transposed operands in place.</summary>
    private sealed record GemmStep(Node Node, Value A, bool TransA, Value B, bool TransB, int M, int N, int K);

    private static bool IsTranspose(Value value) =>
        value is Node { Op.Name: "permute" } p && p.Type.Rank == 2 && p.Attributes.Ints("perm") is [1, 0];

    private static GemmStep? Gemm2d(Node node)
    {
        if (node.Op.Name != "matmul" || node.Type.DType != DType.F32 || node.Operands[0].Type.Rank != 2 || node.Operands[1].Type.Rank != 2)
        {
            return null;
        }
        Value a = node.Operands[0], b = node.Operands[1];
        bool transA = IsTranspose(a), transB = IsTranspose(b);
        return new GemmStep(node, transA ? ((Node)a).Operands[0] : a, transA, transB ? ((Node)b).Operands[0] : b, transB,
            node.Type.Shape[0], node.Type.Shape[1], a.Type.Shape[1]);
    }

    /// <summary>Transposes read in place by every consumer (GEMM steps), so they need not be computed.</summary>
    private static HashSet<Node> AbsorbedTransposes(Graph graph, Dictionary<Node, List<Node>> consumers, HashSet<Node> outputs) =>
        graph.Nodes.Where(n => (IsTranspose(n) || BatchedMatmulStep.IsLastAxesSwap(n)) && !outputs.Contains(n) && consumers[n].Count > 0
                && consumers[n].All(c => Gemm2d(c) is not null || BatchedMatmulStep.TryCreate(c) is not null))
            .ToHashSet<Node>(ReferenceEqualityComparer.Instance);

    private static unsafe void RunGemm(GemmStep step, Dictionary<Value, HostTensor> values)
    {
        var a = (float[])values[step.A].Storage;
        var b = (float[])values[step.B].Storage;
        var c = (float[])HostTensor.NewStorage(DType.F32, (long)step.M * step.N);
        fixed (float* pa = a, pb = b, pc = c)
        {
            Gemm.Sgemm(step.M, step.N, step.K,
                pa, Math.Max(1, step.TransA ? step.M : step.K), step.TransA,
                pb, Math.Max(1, step.TransB ? step.K : step.N), step.TransB,
                pc, Math.Max(1, step.N), accumulate: false, threads: Environment.ProcessorCount);
        }
        values[step.Node] = HostTensor.FromStorage(step.Node.Type, c);
    }
}
