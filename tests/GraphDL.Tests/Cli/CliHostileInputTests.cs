using System.Globalization;
using GraphDL.IR;
using GraphDL.Runtime;

namespace GraphDL.Tests.Cli;

/// <summary>
/// Input that names impossible sizes never crashes the CLI: <c>check</c> reports shape arithmetic that overflows
/// at its <c>file:line:col</c>, and commands that would allocate a tensor too large for one array refuse it in one
/// line with exit code 1.
/// </summary>
public sealed class CliHostileInputTests : CliFixture
{
    private static readonly string MaxLength = Array.MaxLength.ToString("N0", CultureInfo.InvariantCulture);

    [Theory]
    [InlineData("reduce_window(%x) {mode=\"max\", window=[1,1,2,2], stride=[1,1,1,1], padding=[0,0,0,0,2147483647,2147483647,0,0]}",
        "reduce_window: axis 2 of f32[1,1,4,4] padded by [0,0,0,0,2147483647,2147483647,0,0] is 4294967298, more than a dimension can hold")]
    [InlineData("reduce_window(%x) {mode=\"sum\", window=[1,1,1,1], stride=[1,1,2147483647,2147483647], padding=[0,0,0,0,0,2147483647,2147483647,0]}",
        "reduce_window: axis 2 of f32[1,1,4,4] padded by [0,0,0,0,0,2147483647,2147483647,0] is 2147483651, more than a dimension can hold")]
    [InlineData("conv2d(%x, %w) {stride=[2147483647,1], padding=[2147483647,2147483647,0,0], dilation=[2147483647,1], groups=1}",
        "conv2d: the height of x f32[1,1,4,4] padded by [2147483647,2147483647,0,0] is 4294967298, more than a dimension can hold")]
    [InlineData("pad(%x) {lo=[0,0,2147483647,0], hi=[0,0,2147483647,0], value=0.0}",
        "pad: padded axis 2 of f32[1,1,4,4] is 4294967298, more than a dimension can hold")]
    [InlineData("broadcast_in_dim(%x) {shape=[1,1,4,4,65536,65536,65536], dims=[0,1,2,3]}",
        "broadcast_in_dim: shape=[1,1,4,4,65536,65536,65536] has more than 2^48 elements")]
    public void CheckLocatesShapeArithmeticThatOverflows(string node, string message)
    {
        var file = Write("hostile.gir", $$"""
            graph @g(%x: f32[1,1,4,4] input, %w: f32[1,1,2,2] input) -> (f32[1,1,4,4]) {
              %0 = {{node}} : f32[1,1,4,4]
              return %x
            }
            """);
        var (code, stdout, stderr) = Cli("check", file);
        Assert.Equal(1, code);
        Assert.Empty(stdout);
        Assert.StartsWith($"hostile.gir:2:8: error: {message}", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void RunRefusesAnInputTooLargeToAllocateInOneLine()
    {
        var file = Write("big.gir", """
            graph @g(%x: f32[100000,100000] input) -> (f32[100000,100000]) {
              %0 = neg(%x) : f32[100000,100000]
              return %0
            }
            """);
        Assert.Equal(0, Cli("check", file).Code);
        var (code, stdout, stderr) = Cli("run", file);
        Assert.Equal(1, code);
        Assert.Empty(stdout);
        Assert.Equal($"big.gir: error: cannot allocate input %x f32[100000,100000] (40,000,000,000 bytes): a host tensor holds at most {MaxLength} elements (one .NET array)\n",
            stderr);
    }

    [Fact]
    public void RunRefusesAnIntermediateTooLargeToAllocateAtItsNode()
    {
        var file = Write("mid.gir", """
            graph @g(%x: f32[] input) -> (f32[]) {
              %0 = broadcast_in_dim(%x) {shape=[100000,100000], dims=[]} : f32[100000,100000]
              %1 = reduce_sum(%0) {axes=[0,1], keepdims=false} : f32[]
              return %1
            }
            """);
        var (code, _, stderr) = Cli("run", file);
        Assert.Equal(1, code);
        Assert.Single(stderr.TrimEnd('\n').Split('\n'));
        Assert.StartsWith("mid.gir: error: cannot allocate f32[100000,100000] for %0 = broadcast_in_dim (40,000,000,000 bytes): ", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void CompilingRefusesAnArenaTooLargeToAllocate()
    {
        // Unfused, the broadcast and the exp are arena buffers of 40 GB each; fused, they never exist.
        var file = Write("arena.gir", """
            graph @g(%x: f32[] input) -> (f32[]) {
              %0 = broadcast_in_dim(%x) {shape=[100000,100000], dims=[]} : f32[100000,100000]
              %1 = exp(%0) : f32[100000,100000]
              %2 = reduce_sum(%1) {axes=[0,1], keepdims=false} : f32[]
              return %2
            }
            """);
        var error = Assert.Throws<TensorAllocationException>(() => new CpuBackend(fuse: false).Compile(Parse(File.ReadAllText(file))));
        Assert.StartsWith("error: cannot allocate the program's arena (", error.Message, StringComparison.Ordinal);
        Assert.EndsWith($"a host buffer holds at most {MaxLength} bytes (one .NET array)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void HostTensorsRefuseWhatOneArrayCannotHold()
    {
        var type = new TensorType(DType.F32, new Shape(100000, 100000));
        var error = Assert.Throws<TensorAllocationException>(() => HostTensor.Zeros(type));
        Assert.Equal("f32[100000,100000]", error.What);
        Assert.Equal(40_000_000_000, error.Bytes);
        Assert.Throws<TensorAllocationException>(() => HostTensor.Random(type, new Random(0)));
        Assert.Throws<TensorAllocationException>(() => HostTensor.Full(type, Scalar.FromDouble(DType.F32, 1)));
        // One element past the largest array is refused; the largest (2 GB of bools) is allowed, checked without allocating it.
        Assert.Throws<TensorAllocationException>(() => HostTensor.CheckAllocatable(new TensorType(DType.Bool, new Shape(Array.MaxLength + 1))));
        HostTensor.CheckAllocatable(new TensorType(DType.Bool, new Shape(Array.MaxLength)));
    }
}
