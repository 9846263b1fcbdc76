using System.Runtime.InteropServices;
using GraphDL.IR;
using GraphDL.Passes.Memory;

namespace GraphDL.Runtime;

/// <summary>
/// The memory of one <see cref="CpuProgram"/>, addressed by value. The intermediates of a run live in one pinned
/// arena at the offsets of the program's <see cref="MemoryPlan"/>, so values whose lifetimes do not overlap share
/// bytes; values the plan keeps out of the arena — results of the steps run once at build (persistent), and every
/// value when planning is off — get a pinned buffer each. All of these are allocated once, when the program is
/// built, so steps write in place and generated kernels take fixed addresses. Graph outputs get fresh storage each
/// run, handed to the caller without a copy, and graph inputs are read where the caller keeps them; both are pinned
/// for the duration of a run. Steps see only addresses: hand-written kernels read and write through them, and a
/// node run by its reference evaluation reads copies (<see cref="Read"/>) and stores its result (<see cref="Store"/>).
/// </summary>
internal sealed unsafe class ProgramBuffers
{
    private readonly Dictionary<Value, nint> _addresses = new(ReferenceEqualityComparer.Instance);
    /// <summary>The run's inputs and fresh outputs, as the caller gives and gets them.</summary>
    private readonly Dictionary<Value, HostTensor> _tensors = new(ReferenceEqualityComparer.Instance);
    private readonly HashSet<Node> _perRun = new(ReferenceEqualityComparer.Instance);
    /// <summary>The arena and every buffer of its own, kept reachable so their pinned addresses stay valid.</summary>
    private readonly List<Array> _owned = [];
    private readonly List<GCHandle> _pinned = [];
    private readonly nint _arena;

    /// <summary>Buffers with an <paramref name="arenaBytes"/>-byte arena (aligned to <see cref="MemoryPlan.Alignment"/>) for planned values.</summary>
    public ProgramBuffers(long arenaBytes)
    {
        ArenaBytes = arenaBytes;
        if (arenaBytes > 0)
        {
            var arena = HostTensor.NewPinnedBytes(arenaBytes + MemoryPlan.Alignment, "the program's arena");
            _owned.Add(arena);
            nint start = Marshal.UnsafeAddrOfPinnedArrayElement(arena, 0);
            _arena = (start + MemoryPlan.Alignment - 1) & ~(nint)(MemoryPlan.Alignment - 1);
        }
    }

    /// <summary>The arena's size in bytes (0 when no value is planned into it).</summary>
    public long ArenaBytes { get; }

    /// <summary>Bytes of the pinned buffers outside the arena (persistent values, or every value when planning is off).</summary>
    public long OwnBufferBytes { get; private set; }

    /// <summary>Places <paramref name="node"/> at <paramref name="offset"/> in the arena.</summary>
    public void Place(Node node, long offset)
    {
        if (offset < 0 || offset + node.Type.SizeInBytes > ArenaBytes)
        {
            throw new InvalidOperationException($"{node.Type} at arena offset {offset} does not fit the {ArenaBytes}-byte arena");
        }
        _addresses[node] = _arena + (nint)offset;
    }

    /// <summary>Gives <paramref name="node"/> a pinned buffer of its own.</summary>
    public void Allocate(Node node)
    {
        var storage = HostTensor.NewUninitializedStorage(node.Type.DType, node.Type.ElementCount, pinned: true);
        _owned.Add(storage);
        OwnBufferBytes += node.Type.SizeInBytes;
        _addresses[node] = Marshal.UnsafeAddrOfPinnedArrayElement(storage, 0);
    }

    /// <summary>Has each run allocate fresh storage for <paramref name="node"/>, a graph output handed to the caller.</summary>
    public void AllocatePerRun(Node node) => _perRun.Add(node);

    /// <summary>Whether the buffer of <paramref name="value"/> moves from run to run: a graph input, or an output (fresh each run).</summary>
    public bool ChangesPerRun(Value value) => value is GraphInput || (value is Node node && _perRun.Contains(node));

    /// <summary>The address of <paramref name="value"/>'s buffer in this run; a literal's is a pinned buffer holding it at its type.</summary>
    public nint Address(Value value)
    {
        if (_addresses.TryGetValue(value, out var address))
        {
            return address;
        }
        if (value is Literal literal)
        {
            var storage = HostTensor.Full(literal.Type, literal.Scalar).Storage;
            var pinned = HostTensor.NewUninitializedStorage(literal.Type.DType, literal.Type.ElementCount, pinned: true);
            Array.Copy(storage, pinned, storage.Length);
            _owned.Add(pinned);
            return _addresses[value] = Marshal.UnsafeAddrOfPinnedArrayElement(pinned, 0);
        }
        throw new InvalidOperationException($"no buffer for {value.Type} in this run");
    }

    /// <summary>Makes <paramref name="node"/>, a reshape, name <paramref name="operand"/>'s buffer for this run.</summary>
    public void Alias(Node node, Value operand) => _addresses[node] = Address(operand);

    /// <summary>A copy of <paramref name="value"/> (a literal materialized at its type), for a step that evaluates by reference.</summary>
    public HostTensor Read(Value value)
    {
        if (value is Literal literal)
        {
            return HostTensor.Full(literal.Type, literal.Scalar);
        }
        if (_tensors.TryGetValue(value, out var tensor) && value is GraphInput)
        {
            return tensor;
        }
        var storage = HostTensor.NewUninitializedStorage(value.Type.DType, value.Type.ElementCount, pinned: false);
        new ReadOnlySpan<byte>((void*)Address(value), checked((int)value.Type.SizeInBytes)).CopyTo(Bytes(storage));
        return HostTensor.FromStorage(value.Type, storage);
    }

    /// <summary>Copies a step's result into <paramref name="node"/>'s buffer.</summary>
    public void Store(Node node, HostTensor result)
    {
        if (result.Type != node.Type)
        {
            throw new InvalidOperationException($"a step computed {result.Type} for a {node.Type} node");
        }
        Bytes(result.Storage).CopyTo(new Span<byte>((void*)Address(node), checked((int)node.Type.SizeInBytes)));
    }

    private static Span<byte> Bytes(Array storage) =>
        MemoryMarshal.CreateSpan(ref MemoryMarshal.GetArrayDataReference(storage), checked(storage.Length * ElementSize(storage)));

    private static int ElementSize(Array storage) => storage switch
    {
        float[] or int[] => 4,
        double[] or long[] => 8,
        Half[] or BFloat16[] => 2,
        bool[] => 1,
        _ => throw new ArgumentException($"no element size for {storage.GetType().Name}"),
    };

    /// <summary>
    /// Binds and pins the inputs of a run and allocates its outputs; <see cref="Release"/> unpins them. Each output in
    /// <paramref name="donations"/> is written into the storage of the input it updates instead, unless another
    /// input shares that storage (it would see the new value).
    /// </summary>
    public void Bind(IReadOnlyList<GraphInput> inputs, IReadOnlyList<HostTensor> tensors, IReadOnlyList<Donation> donations)
    {
        for (int i = 0; i < inputs.Count; i++)
        {
            Pin(inputs[i], tensors[i]);
        }
        var inPlace = new HashSet<Node>(ReferenceEqualityComparer.Instance);
        if (donations.Count > 0)
        {
            var sharers = new Dictionary<Array, int>(ReferenceEqualityComparer.Instance);
            foreach (var tensor in tensors)
            {
                sharers[tensor.Storage] = sharers.GetValueOrDefault(tensor.Storage) + 1;
            }
            foreach (var donation in donations)
            {
                var storage = _tensors[donation.Input].Storage;
                if (sharers[storage] == 1)
                {
                    inPlace.Add(donation.Output);
                    _tensors[donation.Output] = HostTensor.FromStorage(donation.Output.Type, storage);
                    _addresses[donation.Output] = _addresses[donation.Input];
                }
            }
        }
        foreach (var node in _perRun.Where(n => !inPlace.Contains(n)))
        {
            Pin(node, HostTensor.FromStorage(node.Type, HostTensor.NewUninitializedStorage(node.Type.DType, node.Type.ElementCount, pinned: false)));
        }
    }

    private void Pin(Value value, HostTensor tensor)
    {
        var handle = GCHandle.Alloc(tensor.Storage, GCHandleType.Pinned);
        _pinned.Add(handle);
        _tensors[value] = tensor;
        _addresses[value] = handle.AddrOfPinnedObject();
    }

    public void Release()
    {
        foreach (var handle in _pinned)
        {
            handle.Free();
        }
        _pinned.Clear();
        // The caller owns the run's tensors now; the program keeps no reference to them.
        _tensors.Clear();
    }

    /// <summary>A value for the caller, who may keep it across runs: an input or a fresh output as it is, anything else copied.</summary>
    public HostTensor CopyOut(Value value) => value switch
    {
        Literal l => HostTensor.Full(l.Type, l.Scalar),
        _ when _tensors.TryGetValue(value, out var tensor) => tensor,
        _ => Read(value),
    };
}
