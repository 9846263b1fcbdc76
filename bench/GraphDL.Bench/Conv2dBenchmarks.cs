using System.Runtime.InteropServices;
using BenchmarkDotNet.Attributes;
using GraphDL.Codegen.Kernels;
using GraphDL.IR;
using GraphDL.IR.Ops;

namespace GraphDL.Bench;

/// <summary>One conv2d of a benchmark, named for the step of the training graph it comes from.</summary>
public sealed record ConvShape(string Name, Conv2dGeometry Geometry)
{
    public override string ToString() => Name;
}

/// <summary>
/// <see cref="Conv2dKernel.Sconv2d(in Conv2dGeometry, float*, float*, float*, int)"/> (all cores) against the <c>conv2d</c> op's reference evaluation (the baseline:
/// what compiled programs ran before), on the convolutions of one training step of the MNIST CNN (conv 1→32 3×3 on
/// 28×28, max-pool, conv 32→64 3×3 on 13×13; batch 64): both forward convs, the input gradient of the second, and
/// both weight gradients, with the attributes autodiff gives them (see <c>Conv2d.Vjp</c>).
/// </summary>
[Config(typeof(BenchConfig))]
public unsafe class Conv2dBenchmarks
{
    private float* x, w, y;
    private HostTensor hostX = null!, hostW = null!;
    private EvalContext reference = null!;

    public static IEnumerable<ConvShape> Shapes() =>
    [
        new("conv1 forward 64x1x28x28 * 32x1x3x3", new(64, 1, 28, 28, 32, 3, 3)),
        new("conv2 forward 64x32x13x13 * 64x32x3x3", new(64, 32, 13, 13, 64, 3, 3)),
        new("conv2 dx 64x64x11x11 * 32x64x3x3 pad 2", new(64, 64, 11, 11, 32, 3, 3, PadTop: 2, PadBottom: 2, PadLeft: 2, PadRight: 2)),
        new("conv1 dw 1x64x28x28 * 32x64x26x26", new(1, 64, 28, 28, 32, 26, 26)),
        new("conv2 dw 32x64x13x13 * 64x64x11x11", new(32, 64, 13, 13, 64, 11, 11)),
    ];

    [ParamsSource(nameof(Shapes))]
    public ConvShape Shape { get; set; } = null!;

    [GlobalSetup]
    public void Setup()
    {
        var g = Shape.Geometry;
        var random = new Random(42);
        hostX = HostTensor.Random(new TensorType(DType.F32, g.Batch, g.Channels, g.Height, g.Width), random);
        hostW = HostTensor.Random(new TensorType(DType.F32, g.OutChannels, g.InPerGroup, g.KernelHeight, g.KernelWidth), random);
        x = Copy(hostX);
        w = Copy(hostW);
        y = (float*)NativeMemory.AlignedAlloc((nuint)(g.OutputLength * sizeof(float)), 64);

        var builder = new GraphBuilder("conv");
        var node = builder.Conv2d(builder.AddInput("x", hostX.Type), builder.AddInput("w", hostW.Type),
            [g.StrideHeight, g.StrideWidth], [g.PadTop, g.PadBottom, g.PadLeft, g.PadRight],
            [g.DilationHeight, g.DilationWidth], g.Groups);
        reference = new EvalContext(node.Op, [hostX, hostW], node.Attributes, node.Type, node.Loc);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        NativeMemory.AlignedFree(x);
        NativeMemory.AlignedFree(w);
        NativeMemory.AlignedFree(y);
    }

    [Benchmark]
    public void Kernel() => Conv2dKernel.Sconv2d(Shape.Geometry, x, w, y, Environment.ProcessorCount);

    [Benchmark(Baseline = true)]
    public HostTensor Reference() => reference.Op.Evaluate(reference);

    private static float* Copy(HostTensor tensor)
    {
        var source = tensor.AsSpan<float>();
        var data = (float*)NativeMemory.AlignedAlloc((nuint)(source.Length * sizeof(float)), 64);
        source.CopyTo(new Span<float>(data, source.Length));
        return data;
    }
}
