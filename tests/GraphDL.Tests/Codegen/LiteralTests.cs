using System.Text;
using GraphDL.Codegen.CSharp;
using GraphDL.IR;

namespace GraphDL.Tests.Codegen;

/// <summary>
/// Every float literal the C# renderer writes (<see cref="CSharpKernelRenderer.Literal"/>) reads back, compiled by
/// Roslyn and run, as the very bits it was written from: zeros of both signs, infinities, NaNs with payloads,
/// subnormals, every power of two (.NET's shortest form of 2^-25 and 2^-958 reads back as their predecessors), the
/// boundaries of each range, decimal-looking values and random bit patterns, f32 and f64.
/// </summary>
public class LiteralTests
{
    private const int RandomCount = 6000;

    [Fact]
    public unsafe void FloatLiteralsCompileToTheirOwnBits()
    {
        var random = new Random(12);
        var bits = SpecialFloatBits().Concat(Enumerable.Range(0, RandomCount).Select(_ => random.Next() ^ (random.Next() << 1)))
            .Where(b => !IsSignalling(BitConverter.Int32BitsToSingle(b))).ToArray();
        var literals = bits.Select(b => CSharpKernelRenderer.FloatLiteral(BitConverter.Int32BitsToSingle(b))).ToArray();
        var result = new float[bits.Length];
        fixed (float* output = result)
        {
            RunStores("float", literals, (nint)output);
        }
        for (int i = 0; i < bits.Length; i++)
        {
            Assert.True(BitConverter.SingleToInt32Bits(result[i]) == bits[i],
                $"{literals[i]} compiled to 0x{BitConverter.SingleToInt32Bits(result[i]):X8}, written from 0x{bits[i]:X8}");
        }
        Assert.Equal("0.015625f", CSharpKernelRenderer.FloatLiteral(0.015625f));
        Assert.Equal("0.1f", CSharpKernelRenderer.FloatLiteral(0.1f));
        Assert.Equal("-0f", CSharpKernelRenderer.FloatLiteral(-0f));
        Assert.Equal("float.NegativeInfinity", CSharpKernelRenderer.FloatLiteral(float.NegativeInfinity));
    }

    [Fact]
    public unsafe void DoubleLiteralsCompileToTheirOwnBits()
    {
        var random = new Random(13);
        var bits = SpecialDoubleBits().Concat(Enumerable.Range(0, RandomCount).Select(_ => random.NextInt64() ^ (random.NextInt64() << 1)))
            .Where(b => !IsSignalling(BitConverter.Int64BitsToDouble(b))).ToArray();
        var literals = bits.Select(b => CSharpKernelRenderer.DoubleLiteral(BitConverter.Int64BitsToDouble(b))).ToArray();
        var result = new double[bits.Length];
        fixed (double* output = result)
        {
            RunStores("double", literals, (nint)output);
        }
        for (int i = 0; i < bits.Length; i++)
        {
            Assert.True(BitConverter.DoubleToInt64Bits(result[i]) == bits[i],
                $"{literals[i]} compiled to 0x{BitConverter.DoubleToInt64Bits(result[i]):X16}, written from 0x{bits[i]:X16}");
        }
        Assert.Equal("0.1", CSharpKernelRenderer.DoubleLiteral(0.1));
        Assert.Equal("1.0", CSharpKernelRenderer.DoubleLiteral(1));
        Assert.Equal("-0.0", CSharpKernelRenderer.DoubleLiteral(-0.0));
        Assert.Equal("2.9802322387695312E-08", CSharpKernelRenderer.DoubleLiteral(Math.ScaleB(1.0, -25)));
    }

    [Fact]
    public void ScalarsOfEveryKernelDTypeAreLiterals()
    {
        Assert.Equal("0.5f", CSharpKernelRenderer.Literal(Scalar.FromDouble(DType.F32, 0.5)));
        Assert.Equal("1E-300", CSharpKernelRenderer.Literal(Scalar.FromDouble(DType.F64, 1e-300)));
        Assert.Equal("-7", CSharpKernelRenderer.Literal(Scalar.FromInt64(DType.I32, -7)));
        Assert.Equal("true", CSharpKernelRenderer.Literal(Scalar.FromBool(true)));
    }

    /// <summary>
    /// A signalling NaN never reaches a literal: a <see cref="Scalar"/> holds floats as doubles, and widening quiets
    /// them (as the JIT does for a float constant), so literals are only checked for quiet ones.
    /// </summary>
    private static bool IsSignalling(float x) => float.IsNaN(x) && (BitConverter.SingleToInt32Bits(x) & 0x00400000) == 0;

    private static bool IsSignalling(double x) => double.IsNaN(x) && (BitConverter.DoubleToInt64Bits(x) & 0x0008000000000000) == 0;

    /// <summary>Compiles one method storing each literal into element i of a <paramref name="type"/> array, and runs it.</summary>
    private static unsafe void RunStores(string type, string[] literals, nint output)
    {
        var method = new StringBuilder($"    public static unsafe void k0(nint* b)\n    {{\n        {type}* x = ({type}*)b[0];\n");
        for (int i = 0; i < literals.Length; i++)
        {
            method.Append($"        x[{i}] = {literals[i]};\n");
        }
        method.Append("    }\n");
        using var program = CompiledProgram.Compile([("k0", method.ToString())], "literals_" + type);
        nint* arguments = stackalloc nint[1];
        arguments[0] = output;
        ((delegate*<nint*, void>)program["k0"])(arguments);
    }

    private static IEnumerable<int> SpecialFloatBits()
    {
        int[] special =
        [
            0x00000000, unchecked((int)0x80000000), 0x7F800000, unchecked((int)0xFF800000), // ±0, ±inf
            // Quiet NaNs with payloads (see IsSignalling).
            0x7FC00000, unchecked((int)0xFFC00000), 0x7FC12345, unchecked((int)0xFFFFFFFF),
            0x00000001, 0x00000002, 0x000FFFFF, 0x007FFFFF, unchecked((int)0x80000001), unchecked((int)0x807FFFFF), // subnormals
            0x00800000, 0x00800001, 0x7F7FFFFF, 0x7F7FFFFE, unchecked((int)0xFF7FFFFF), // smallest normal, largest finite
            0x3F800000, 0x3F800001, 0x3F7FFFFF, 0x4B000000, 0x4B000001, 0x4B7FFFFF, 0x4B800000, // near 1 and 2^23, 2^24
        ];
        float[] decimals = [0.1f, 0.2f, 0.3f, 1e-3f, 1e-7f, 1e-38f, 1e-45f, 3.4e38f, 123456.789f, 16777217f, 0.015625f, 1f / 3, (float)Math.PI];
        return special.Concat(decimals.SelectMany(d => new[] { d, -d }).Select(BitConverter.SingleToInt32Bits))
            .Concat(Enumerable.Range(-149, 278).Select(e => BitConverter.SingleToInt32Bits(MathF.ScaleB(1f, e))));
    }

    private static IEnumerable<long> SpecialDoubleBits()
    {
        long[] special =
        [
            0, long.MinValue, 0x7FF0000000000000, unchecked((long)0xFFF0000000000000), // ±0, ±inf
            0x7FF8000000000000, unchecked((long)0xFFF8000000000000), 0x7FF8000012345678, // quiet NaNs
            1, 2, 0x000FFFFFFFFFFFFF, unchecked((long)0x8000000000000001), // subnormals
            0x0010000000000000, 0x7FEFFFFFFFFFFFFF, unchecked((long)0xFFEFFFFFFFFFFFFF), // smallest normal, largest finite
            0x3FF0000000000000, 0x3FF0000000000001, 0x3FEFFFFFFFFFFFFF, 0x4340000000000000, 0x4340000000000001, // near 1, 2^53
        ];
        double[] decimals = [0.1, 0.2, 0.3, 1e-3, 1e-300, 5e-324, 1.7976931348623157e308, 123456.789, 9007199254740993, 1.0 / 3, Math.PI, 1e15, 1e16, 1e22, 1e23];
        return special.Concat(decimals.SelectMany(d => new[] { d, -d }).Select(BitConverter.DoubleToInt64Bits))
            .Concat(Enumerable.Range(-1074, 2098).Select(e => BitConverter.DoubleToInt64Bits(Math.ScaleB(1.0, e))));
    }
}
