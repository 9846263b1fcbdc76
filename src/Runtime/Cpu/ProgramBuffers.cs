using System.Runtime.InteropServices;
using GraphDL.IR;

namespace GraphDL.Runtime;

/// <summary>
/// The memory of one <see cref="CpuProgram"/>: every value a step computes has a buffer on the pinned object heap,
/// allocated once when the program is built, so steps write in place and generated kernels take fixed addresses;
/// graph inputs are pinned for the duration of a run. (The memory-planning pass will later share one arena.)
/// </summary>
internal sealed class ProgramBuffers
{
    private readonly Dictionary<Value, HostTensor> _owned = new(ReferenceEqualityComparer.Instance);
    private readonly List<GCHandle> _pinnedInputs = [];

    /// <summary>The tensor of every computed value and of the current run's inputs.</summary>
    public Dictionary<Value, HostTensor> Values { get; } = new(ReferenceEqualityComparer.Instance);

    /// <summary>The address of every buffer in <see cref="Values"/>.</summary>
    public Dictionary<Value, nint> Addresses { get; } = new(ReferenceEqualityComparer.Instance);

    /// <summary>Allocates the buffer of <paramref name="node"/>.</summary>
    public void Allocate(Node node)
    {
        var storage = HostTensor.NewPinnedStorage(node.Type.DType, node.Type.ElementCount);
        var tensor = HostTensor.FromStorage(node.Type, storage);
        _owned[node] = tensor;
        Values[node] = tensor;
        Addresses[node] = Marshal.UnsafeAddrOfPinnedArrayElement(storage, 0);
    }

    /// <summary>Copies a step's freshly allocated result into the node's buffer (nothing to do when it wrote in place).</summary>
    public void Store(Node node, HostTensor result)
    {
        var buffer = _owned[node];
        if (!ReferenceEquals(result.Storage, buffer.Storage))
        {
            Array.Copy(result.Storage, buffer.Storage, buffer.Storage.Length);
        }
        Values[node] = buffer;
    }

    /// <summary>Binds and pins the inputs of a run; <see cref="Release"/> unpins them.</summary>
    public void Bind(IReadOnlyList<GraphInput> inputs, IReadOnlyList<HostTensor> tensors)
    {
        for (int i = 0; i < inputs.Count; i++)
        {
            var handle = GCHandle.Alloc(tensors[i].Storage, GCHandleType.Pinned);
            _pinnedInputs.Add(handle);
            Values[inputs[i]] = tensors[i];
            Addresses[inputs[i]] = handle.AddrOfPinnedObject();
        }
    }

    public void Release()
    {
        foreach (var handle in _pinnedInputs)
        {
            handle.Free();
        }
        _pinnedInputs.Clear();
    }

    /// <summary>A copy of a value for the caller, who may keep it across runs.</summary>
    public HostTensor CopyOut(Value value) => value switch
    {
        Literal l => HostTensor.Full(l.Type, l.Scalar),
        Node n when _owned.ContainsKey(n) => HostTensor.FromStorage(n.Type, (Array)_owned[n].Storage.Clone()),
        _ => Values[value],
    };
}
