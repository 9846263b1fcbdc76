using System.Runtime.InteropServices;
using GraphDL.IR;

namespace GraphDL.Runtime;

/// <summary>
/// The memory of one <see cref="CpuProgram"/>: every intermediate value a step computes has a buffer on the pinned
/// object heap, allocated once when the program is built, so steps write in place and generated kernels take fixed
/// addresses. Graph outputs get fresh storage each run, handed to the caller without a copy; they and the graph
/// inputs are pinned for the duration of a run. (The memory-planning pass will later share one arena.)
/// </summary>
internal sealed class ProgramBuffers
{
    /// <summary>The buffer of every computed value in the current run: the program's own, or the run's fresh output storage.</summary>
    private readonly Dictionary<Value, HostTensor> _buffers = new(ReferenceEqualityComparer.Instance);
    private readonly HashSet<Node> _perRun = new(ReferenceEqualityComparer.Instance);
    private readonly List<GCHandle> _pinned = [];

    /// <summary>The tensor of every computed value and of the current run's inputs.</summary>
    public Dictionary<Value, HostTensor> Values { get; } = new(ReferenceEqualityComparer.Instance);

    /// <summary>The address of every buffer in <see cref="Values"/>.</summary>
    public Dictionary<Value, nint> Addresses { get; } = new(ReferenceEqualityComparer.Instance);

    /// <summary>Allocates the buffer of <paramref name="node"/>, or with <paramref name="perRun"/> has each run allocate one.</summary>
    public void Allocate(Node node, bool perRun)
    {
        if (perRun)
        {
            _perRun.Add(node);
            return;
        }
        var storage = HostTensor.NewUninitializedStorage(node.Type.DType, node.Type.ElementCount, pinned: true);
        var tensor = HostTensor.FromStorage(node.Type, storage);
        _buffers[node] = tensor;
        Values[node] = tensor;
        Addresses[node] = Marshal.UnsafeAddrOfPinnedArrayElement(storage, 0);
    }

    /// <summary>Whether the buffer of <paramref name="value"/> moves from run to run: a graph input, or an output (fresh each run).</summary>
    public bool ChangesPerRun(Value value) => value is GraphInput || (value is Node node && _perRun.Contains(node));

    /// <summary>Makes <paramref name="node"/>, a reshape, name <paramref name="operand"/>'s buffer for this run.</summary>
    public void Alias(Node node, Value operand)
    {
        Values[node] = Values[operand].Reshape(node.Type.Shape);
        Addresses[node] = Addresses[operand];
    }

    /// <summary>Copies a step's freshly allocated result into the node's buffer (nothing to do when it wrote in place).</summary>
    public void Store(Node node, HostTensor result)
    {
        var buffer = _buffers[node];
        if (!ReferenceEquals(result.Storage, buffer.Storage))
        {
            Array.Copy(result.Storage, buffer.Storage, buffer.Storage.Length);
        }
        Values[node] = buffer;
    }

    /// <summary>Binds and pins the inputs of a run and allocates its outputs; <see cref="Release"/> unpins them.</summary>
    public void Bind(IReadOnlyList<GraphInput> inputs, IReadOnlyList<HostTensor> tensors)
    {
        for (int i = 0; i < inputs.Count; i++)
        {
            Pin(inputs[i], tensors[i]);
        }
        foreach (var node in _perRun)
        {
            var tensor = HostTensor.FromStorage(node.Type, HostTensor.NewUninitializedStorage(node.Type.DType, node.Type.ElementCount, pinned: false));
            _buffers[node] = tensor;
            Pin(node, tensor);
        }
    }

    private void Pin(Value value, HostTensor tensor)
    {
        var handle = GCHandle.Alloc(tensor.Storage, GCHandleType.Pinned);
        _pinned.Add(handle);
        Values[value] = tensor;
        Addresses[value] = handle.AddrOfPinnedObject();
    }

    public void Release()
    {
        foreach (var handle in _pinned)
        {
            handle.Free();
        }
        _pinned.Clear();
    }

    /// <summary>A value for the caller, who may keep it across runs: outputs are fresh each run, other buffers are copied.</summary>
    public HostTensor CopyOut(Value value) => value switch
    {
        Literal l => HostTensor.Full(l.Type, l.Scalar),
        Node n when _perRun.Contains(n) => _buffers[n],
        Node n when _buffers.ContainsKey(n) => HostTensor.FromStorage(n.Type, (Array)_buffers[n].Storage.Clone()),
        _ => Values[value],
    };
}
