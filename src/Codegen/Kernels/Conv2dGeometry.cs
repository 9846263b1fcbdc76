namespace GraphDL.Codegen.Kernels;

/// <summary>
/// The shapes and attributes of one conv2d (the <c>conv2d</c> op's full attribute set): input [N, C, H, W] (NCHW),
/// weight [O, C/G, kh, kw] (OIHW), stride, padding [top, bottom, left, right], dilation and G groups; output
/// [N, O, OH, OW] with OH = ⌊(H + top + bottom − dh·(kh − 1) − 1)/sh⌋ + 1 (OW likewise).
/// </summary>
public readonly record struct Conv2dGeometry(
    int Batch, int Channels, int Height, int Width,
    int OutChannels, int KernelHeight, int KernelWidth,
    int StrideHeight = 1, int StrideWidth = 1,
    int PadTop = 0, int PadBottom = 0, int PadLeft = 0, int PadRight = 0,
    int DilationHeight = 1, int DilationWidth = 1, int Groups = 1)
{
    /// <summary>Output rows: 0 for an empty input too small for the kernel, as the op defines it.</summary>
    public int OutHeight => OutputExtent(Height, PadTop + PadBottom, KernelHeight, DilationHeight, StrideHeight);

    /// <summary>Output columns.</summary>
    public int OutWidth => OutputExtent(Width, PadLeft + PadRight, KernelWidth, DilationWidth, StrideWidth);

    /// <summary>Input channels each output channel reads (the weight's second dimension).</summary>
    public int InPerGroup => Channels / Groups;

    /// <summary>Output channels per group.</summary>
    public int OutPerGroup => OutChannels / Groups;

    /// <summary>The contraction depth of one output element: (C/G)·kh·kw.</summary>
    public int Depth => InPerGroup * KernelHeight * KernelWidth;

    /// <summary>Elements of the input, weight and output tensors.</summary>
    public long InputLength => (long)Batch * Channels * Height * Width;

    public long WeightLength => (long)OutChannels * Depth;

    public long OutputLength => (long)Batch * OutChannels * OutHeight * OutWidth;

    /// <summary>Multiply-adds counted as 2 flops: 2·N·O·OH·OW·(C/G)·kh·kw.</summary>
    public double Flops => 2.0 * OutputLength * Depth;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first attribute that breaks the op's type rule.</summary>
    public void Validate()
    {
        if (Batch < 0 || Channels < 0 || Height < 0 || Width < 0 || OutChannels < 0)
            throw new ArgumentException($"conv2d: negative dimension in {this}");
        if (KernelHeight < 1 || KernelWidth < 1)
            throw new ArgumentException($"conv2d: kernel {KernelHeight}x{KernelWidth} is empty");
        if (StrideHeight < 1 || StrideWidth < 1 || DilationHeight < 1 || DilationWidth < 1)
            throw new ArgumentException($"conv2d: stride and dilation must be at least 1 in {this}");
        if (PadTop < 0 || PadBottom < 0 || PadLeft < 0 || PadRight < 0)
            throw new ArgumentException($"conv2d: negative padding in {this}");
        if (Groups < 1 || Channels % Groups != 0 || OutChannels % Groups != 0)
            throw new ArgumentException($"conv2d: {Groups} groups do not divide {Channels} in and {OutChannels} out channels");
        _ = OutHeight;
        _ = OutWidth;
    }

    /// <summary>The attributes only (the derived sizes throw on an invalid geometry).</summary>
    public override string ToString() =>
        $"x [{Batch},{Channels},{Height},{Width}], w [{OutChannels},{(Groups > 0 ? Channels / Groups : Channels)},{KernelHeight},{KernelWidth}], "
        + $"stride [{StrideHeight},{StrideWidth}], padding [{PadTop},{PadBottom},{PadLeft},{PadRight}], "
        + $"dilation [{DilationHeight},{DilationWidth}], groups {Groups}";

    private static int OutputExtent(int input, int padding, int kernel, int dilation, int stride)
    {
        long window = (long)dilation * (kernel - 1) + 1, padded = (long)input + padding;
        if (padded >= window)
            return checked((int)((padded - window) / stride + 1));
        if (input == 0)
            return 0;
        throw new ArgumentException(
            $"conv2d: input extent {input} padded by {padding} is smaller than the dilated kernel ({window})");
    }
}
