using System.Runtime.InteropServices;
using GraphDL.Codegen.CSharp;
using GraphDL.Codegen.KernelIR;
using GraphDL.IR;

namespace GraphDL.Tests.Codegen;

/// <summary>
/// Lowers a fused body with <see cref="KernelLowering.TryLower"/>, renders and compiles it, and runs it on host
/// tensors, binding each read buffer to its body input and the written buffer to a fresh output.
/// </summary>
internal sealed class RowKernelHarness : IDisposable
{
    private readonly CompiledProgram _program;

    public RowKernelHarness(Graph body, KernelOptions options)
    {
        Body = body;
        Assert.True(KernelLowering.TryLower("k0", body, out var lowered, out var reason), reason);
        Lowered = lowered;
        Method = CSharpKernelRenderer.Render(lowered.Kernel, options);
        _program = CompiledProgram.Compile([("k0", Method)], body.Name);
    }

    public Graph Body { get; }

    public LoweredKernel Lowered { get; }

    /// <summary>The rendered method(s) of the kernel.</summary>
    public string Method { get; }

    public void Dispose() => _program.Dispose();

    /// <summary>Lowers, compiles and runs <paramref name="body"/> once.</summary>
    public static HostTensor Run(Graph body, IReadOnlyList<HostTensor> inputs, KernelOptions options)
    {
        using var harness = new RowKernelHarness(body, options);
        return harness.Run(inputs);
    }

    public unsafe HostTensor Run(IReadOnlyList<HostTensor> inputs)
    {
        var output = Lowered.Outputs[0];
        var storages = Lowered.Inputs.Select(input => inputs[IndexOf(input)].Storage).Append(HostTensor.NewStorage(output.Type.DType, output.Type.ElementCount)).ToArray();
        Call(storages, pointers => ((delegate*<nint*, void>)_program["k0"])(pointers));
        return HostTensor.FromStorage(output.Type, storages[^1]);
    }

    /// <summary>Calls the tile entry on rectangle [r0, r1) × [c0, c1) with the given storages (the output last).</summary>
    public unsafe void RunTile(Array[] storages, long r0, long r1, long c0, long c1)
    {
        var tile = (delegate*<nint*, long, long, long, long, void>)_program.Entry("k0_tile");
        Call(storages, pointers => tile(pointers, r0, r1, c0, c1));
    }

    public int IndexOf(Value input)
    {
        for (int i = 0; i < Body.Inputs.Count; i++)
        {
            if (ReferenceEquals(Body.Inputs[i], input))
            {
                return i;
            }
        }
        throw new ArgumentException("not a body input", nameof(input));
    }

    private unsafe delegate void Invocation(nint* pointers);

    private static unsafe void Call(Array[] storages, Invocation call)
    {
        var handles = storages.Select(s => GCHandle.Alloc(s, GCHandleType.Pinned)).ToArray();
        try
        {
            var addresses = handles.Select(h => h.AddrOfPinnedObject()).ToArray();
            fixed (nint* pointers = addresses)
            {
                call(pointers);
            }
        }
        finally
        {
            foreach (var handle in handles)
            {
                handle.Free();
            }
        }
    }
}
