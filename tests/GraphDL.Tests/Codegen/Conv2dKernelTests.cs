using GraphDL.Codegen.Kernels;
using GraphDL.IR;
using GraphDL.IR.Ops;
using GraphDL.Runtime;
using GraphDL.Tests.Nn;

namespace GraphDL.Tests.Codegen;

/// <summary>
/// <see cref="Conv2dKernel"/> against the <c>conv2d</c> op's reference evaluation (through the interpreter), on 1
/// and 2 threads, over every attribute (1×1 kernels, stride, dilation, groups and depthwise, asymmetric padding,
/// odd sizes, batch 1 and 3) and the exact convolutions of an MNIST CNN training step (forward and backward).
/// </summary>
/// <remarks>
/// Tolerance: each output is an f32 dot product of depth D = (C/G)·kh·kw taken by the packed GEMM, so as in
/// <see cref="GemmTests"/>: |ŷ − y| ≤ (D + 1)·2⁻²³·Σ|x||w|, where Σ|x||w| is the same convolution of |x| and |w|
/// (evaluated by the reference too). The reference sums in double, far below the bound.
/// </remarks>
public class Conv2dKernelTests
{
    /// <summary>N, C, H, W, O, kh, kw, stride [sh, sw], padding [t, b, l, r], dilation [dh, dw], groups.</summary>
    public static TheoryData<string, Conv2dGeometry> Geometries() => new()
    {
        { "1x1 direct", new(2, 8, 5, 7, 6, 1, 1) },
        { "1x1 stride 2", new(1, 3, 9, 8, 4, 1, 1, StrideHeight: 2, StrideWidth: 2) },
        { "1x1 padded", new(3, 2, 4, 3, 5, 1, 1, PadTop: 1, PadBottom: 1, PadLeft: 1, PadRight: 1) },
        { "3x3 same, batch 3, odd", new(3, 3, 11, 9, 5, 3, 3, PadTop: 1, PadBottom: 1, PadLeft: 1, PadRight: 1) },
        { "3x3 valid, batch 1", new(1, 4, 7, 13, 9, 3, 3) },
        { "stride 2", new(1, 4, 15, 13, 8, 3, 3, StrideHeight: 2, StrideWidth: 2, PadTop: 1, PadBottom: 1, PadLeft: 1, PadRight: 1) },
        { "dilation 2", new(3, 2, 12, 10, 4, 3, 3, PadTop: 2, PadBottom: 2, PadLeft: 2, PadRight: 2, DilationHeight: 2, DilationWidth: 2) },
        { "groups 2", new(2, 6, 9, 9, 4, 3, 3, Groups: 2) },
        { "depthwise", new(2, 5, 10, 8, 5, 3, 3, PadTop: 1, PadBottom: 1, PadLeft: 1, PadRight: 1, Groups: 5) },
        { "depthwise x2", new(1, 3, 6, 7, 6, 3, 3, StrideHeight: 2, StrideWidth: 1, Groups: 3) },
        {
            "asymmetric everything",
            new(3, 4, 9, 11, 6, 2, 4, StrideHeight: 2, StrideWidth: 1, PadTop: 0, PadBottom: 2, PadLeft: 1, PadRight: 3,
                DilationHeight: 1, DilationWidth: 2, Groups: 2)
        },
        { "padding wider than kernel", new(1, 2, 5, 4, 3, 2, 2, PadTop: 3, PadBottom: 0, PadLeft: 0, PadRight: 4) },
        { "stride past the taps", new(2, 3, 10, 10, 4, 2, 2, StrideHeight: 3, StrideWidth: 4, DilationHeight: 3, DilationWidth: 3) },
        { "kernel as large as input", new(2, 3, 6, 5, 7, 6, 5) },
        { "wide plane (parallel unfold)", new(1, 16, 70, 66, 40, 3, 3, PadTop: 1, PadBottom: 1, PadLeft: 1, PadRight: 1) },
        { "narrow output (transposed product)", new(4, 32, 13, 13, 64, 11, 11) },
        { "many items (side by side)", new(8, 8, 12, 12, 16, 3, 3, Groups: 2) },
        { "no input channels", new(2, 0, 4, 4, 3, 2, 2) },
        { "empty input", new(2, 3, 0, 4, 3, 2, 2) },
        { "empty batch", new(0, 3, 4, 4, 3, 2, 2) },
    };

    [Theory]
    [MemberData(nameof(Geometries))]
    public void MatchesTheReferenceOnEveryAttribute(string name, Conv2dGeometry geometry)
    {
        var random = new Random(name.GetHashCode(StringComparison.Ordinal));
        var x = HostTensor.Random(new TensorType(DType.F32, geometry.Batch, geometry.Channels, geometry.Height, geometry.Width), random);
        var w = HostTensor.Random(new TensorType(DType.F32, geometry.OutChannels, geometry.InPerGroup, geometry.KernelHeight, geometry.KernelWidth), random);
        AssertMatchesReference(geometry, x, w, name);
    }

    /// <summary>Stacked batch items (output planes smaller than the output channels) taken in chunks of 2 when the stacked col is capped, as a large batch is.</summary>
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public unsafe void StackedItemsTakenInChunksMatchTheReference(int groups)
    {
        // Output planes (9 and 4 pixels) smaller than the output channels per group (16 and 8): stacked.
        var geometry = groups == 0 ? new Conv2dGeometry(5, 6, 5, 5, 16, 3, 3) : new Conv2dGeometry(5, 6, 4, 4, 16, 3, 3, Groups: 2);
        var random = new Random(17 + groups);
        var x = HostTensor.Random(new TensorType(DType.F32, geometry.Batch, geometry.Channels, geometry.Height, geometry.Width), random);
        var w = HostTensor.Random(new TensorType(DType.F32, geometry.OutChannels, geometry.InPerGroup, geometry.KernelHeight, geometry.KernelWidth), random);
        var whole = Run(geometry, x, w, threads: 2);
        var chunked = new float[geometry.OutputLength];
        fixed (float* px = x.AsSpan<float>(), pw = w.AsSpan<float>(), py = chunked)
        {
            long twoItems = 2L * geometry.Depth * geometry.OutHeight * geometry.OutWidth;
            Conv2dKernel.Sconv2d(geometry, px, pw, py, threads: 2, stackedFloats: twoItems);
        }
        Assert.True(whole.AsSpan().SequenceEqual(chunked), "chunks of 2 items differ from one stack of 5");
        AssertMatchesReference(geometry, x, w, "stacked");
    }

    /// <summary>Zero padding takes part in the product: an infinite weight over padding gives NaN, as in the op.</summary>
    [Fact]
    public void PaddingTimesInfinityIsNaN()
    {
        var geometry = new Conv2dGeometry(1, 1, 2, 2, 1, 1, 2, PadLeft: 1);
        var x = HostTensor.FromArray(new float[] { 1, 2, 3, 4 }, 1, 1, 2, 2);
        var w = HostTensor.FromArray(new float[] { float.PositiveInfinity, 1 }, 1, 1, 1, 2);
        var y = Run(geometry, x, w, threads: 1);
        Assert.True(float.IsNaN(y[0]) && float.IsNaN(y[2]), string.Join(", ", y));
        Assert.Equal(float.PositiveInfinity, y[1]);
    }

    [Fact]
    public void RejectsInconsistentGeometry()
    {
        Assert.Throws<ArgumentException>(() => new Conv2dGeometry(1, 3, 4, 4, 4, 3, 3, Groups: 2).Validate());
        Assert.Throws<ArgumentException>(() => new Conv2dGeometry(1, 2, 2, 2, 4, 3, 3).Validate());
        Assert.Throws<ArgumentException>(() => new Conv2dGeometry(1, 2, 4, 4, 4, 3, 3, StrideHeight: 0).Validate());
    }

    internal static Conv2dGeometry GeometryOf(Node node)
    {
        var (x, w) = (node.Operands[0].Type.Shape, node.Operands[1].Type.Shape);
        var stride = node.Attributes.Ints("stride");
        var padding = node.Attributes.Ints("padding");
        var dilation = node.Attributes.Ints("dilation");
        return new Conv2dGeometry(x[0], x[1], x[2], x[3], w[0], w[2], w[3], stride[0], stride[1],
            padding[0], padding[1], padding[2], padding[3], dilation[0], dilation[1], (int)node.Attributes.Int("groups"));
    }

    internal static void AssertMatchesReference(Conv2dGeometry geometry, HostTensor x, HostTensor w, string what)
    {
        var exact = Reference(geometry, x, w);
        var magnitude = Reference(geometry, Abs(x), Abs(w));
        var one = Run(geometry, x, w, threads: 1);
        var two = Run(geometry, x, w, threads: 2);
        Assert.True(one.AsSpan().SequenceEqual(two), $"{what}: 2 threads differ from 1");
        Assert.Equal(exact.Length, one.Length);
        double u2 = Math.ScaleB(1.0, -23);
        for (int i = 0; i < one.Length; i++)
        {
            double bound = (geometry.Depth + 1) * u2 * magnitude[i];
            if (!(Math.Abs(one[i] - exact[i]) <= bound))
            {
                Assert.Fail($"{what}: y[{i}] = {one[i]}, expected {exact[i]} ± {bound}");
            }
        }
    }

    private static unsafe float[] Run(Conv2dGeometry geometry, HostTensor x, HostTensor w, int threads)
    {
        var y = new float[geometry.OutputLength];
        Array.Fill(y, float.NaN);
        fixed (float* px = x.AsSpan<float>(), pw = w.AsSpan<float>(), py = y)
        {
            Conv2dKernel.Sconv2d(geometry, px, pw, py, threads);
        }
        return y;
    }

    /// <summary>The op's own evaluation (sums in double), through the interpreter.</summary>
    private static double[] Reference(Conv2dGeometry g, HostTensor x, HostTensor w)
    {
        var builder = new GraphBuilder("conv");
        var xv = builder.AddInput("x", x.Type);
        var wv = builder.AddInput("w", w.Type);
        builder.Output(builder.Conv2d(xv, wv, [g.StrideHeight, g.StrideWidth], [g.PadTop, g.PadBottom, g.PadLeft, g.PadRight],
            [g.DilationHeight, g.DilationWidth], g.Groups));
        return ReferenceInterpreter.Run(builder.Build(), [x, w])[0].ToDoubleArray();
    }

    private static HostTensor Abs(HostTensor t) =>
        HostTensor.FromDoubles(t.DType, t.Shape, t.ToDoubleArray().Select(Math.Abs).ToArray());
}

/// <summary>
/// The kernel on the convolutions of an MNIST CNN training step. In the init-stream collection: building the model
/// draws from the shared initialization stream.
/// </summary>
[Collection(nameof(InitStreamCollection))]
public class MnistCnnConvolutionTests
{
    /// <summary>
    /// The convolutions of an MNIST CNN training step (conv 1→32 and 32→64, 3×3, on 28×28 and 13×13, batch 64):
    /// taken from the joint forward + backward graph, so the backward ones have exactly the attributes autodiff
    /// gives them.
    /// </summary>
    [Fact]
    public void MatchesTheReferenceOnTheMnistCnnTrainingStep()
    {
        var convs = MnistCnnTrainingConvolutions();
        Assert.True(convs.Length >= 4, $"{convs.Length} conv2d nodes in the training step");
        var random = new Random(7);
        foreach (var node in convs)
        {
            var geometry = Conv2dKernelTests.GeometryOf(node);
            var x = HostTensor.Random(node.Operands[0].Type, random);
            var w = HostTensor.Random(node.Operands[1].Type, random);
            Conv2dKernelTests.AssertMatchesReference(geometry, x, w, $"{node.Operands[0].Type} * {node.Operands[1].Type} {geometry}");
        }
    }

    /// <summary>The conv2d nodes of one training step of the MNIST CNN, batch 64.</summary>
    internal static Node[] MnistCnnTrainingConvolutions()
    {
        Init.ManualSeed(1);
        var model = MnistCnn();
        var x = HostTensor.Zeros(new TensorType(DType.F32, 64, 1, 28, 28));
        var y = HostTensor.Zeros(new TensorType(DType.I64, 64));
        using var step = Compiler.TrainStep(model, (m, a, b) => F.CrossEntropy(m.Forward(a), b), new Sgd(0.1), x, y,
            new CompileOptions { Backend = ReferenceBackend.Instance });
        return step.Graph.Nodes.Where(n => n.Op.Name == "conv2d").ToArray();
    }

    /// <summary>conv 1→32 3×3, ReLU, max-pool 2, conv 32→64 3×3, ReLU, max-pool 2, linear 1600→10 (28×28 input).</summary>
    internal static Sequential MnistCnn() => new(
        new GraphDL.Conv2d(1, 32, 3), new ReLU(), new MaxPool2d(2),
        new GraphDL.Conv2d(32, 64, 3), new ReLU(), new MaxPool2d(2),
        new Flatten(), new Linear(64 * 5 * 5, 10));
}
