namespace GraphDL.IR.Ops;

/// <summary>
/// The counter-based Philox4x32-10 generator of Salmon et al., "Parallel random numbers: as easy as 1, 2, 3"
/// (SC 2011), with the constants of the Random123 library, and the exact recipes by which the <c>Random</c> ops
/// (<c>random_uniform</c>, <c>random_normal</c>, <c>bernoulli</c>) turn its words into elements. Every backend must
/// reproduce these recipes bit for bit, so they are spelled out here once and referred to by the op files.
/// <para>
/// <b>The block function.</b> A 128-bit counter (c0, c1, c2, c3) and a 64-bit key (k0, k1) give four 32-bit words
/// after ten rounds. One round, with all arithmetic modulo 2^32 and (hi, lo) the halves of a 64-bit product:
/// <c>(hi0, lo0) = M0·c0; (hi1, lo1) = M1·c2; c = (hi1 ^ c1 ^ k0, lo1, hi0 ^ c3 ^ k1, lo0)</c>. Before every round
/// but the first the key is bumped: <c>k0 += W0; k1 += W1</c>. Constants: M0 = 0xD2511F53, M1 = 0xCD9E8D57,
/// W0 = 0x9E3779B9, W1 = 0xBB67AE85. Known answer: counter 0, key 0 → 0x6627e8d5 0xe169c58d 0xbc57ac4c 0x9b00dbd8.
/// </para>
/// <para>
/// <b>Seed and offset.</b> The ops take two i64[] operands, seed and offset. The key is (low 32 bits of seed, high
/// 32 bits of seed). Block b of a stream is the block function at counter (low 32 bits of b, high 32 bits of b, 0, 0)
/// where b = offset + j for the j-th block the op consumes, in 64-bit two's-complement arithmetic (a negative
/// offset is its bit pattern; the sum wraps modulo 2^64). The offset therefore counts blocks of four words, not
/// elements: a consumer that drew n elements and wants fresh ones advances offset by ceil(n/4) after
/// random_uniform or bernoulli and by ceil(n/2) after random_normal.
/// </para>
/// <para>
/// <b>Element recipes</b> (element i in row-major order of the result):
/// <list type="bullet">
/// <item><c>random_uniform</c>: w = word i mod 4 of block offset + ⌊i/4⌋; value = (w &gt;&gt; (32 − m))·2^−m with
/// m = 24 for f32, 32 for f64, 11 for f16, 8 for bf16. Every value is exact in its dtype and lies in [0, 1).</item>
/// <item><c>random_normal</c>: block offset + ⌊i/2⌋; words (w0, w1) are words (0, 1) of the block for even i and
/// words (2, 3) for odd i; u1 = (w0 + 1)·2^−32 in (0, 1] (w0 + 1 computed without wrapping), u2 = w1·2^−32 in
/// [0, 1); z = sqrt(−2·ln u1)·cos(2π·u2) (Box–Muller, cosine branch only; the sine branch is not used), evaluated in
/// double precision as <c>Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2)</c> and rounded once to the
/// dtype. |z| ≤ sqrt(64·ln 2) ≈ 6.66, always finite. The words, u1 and u2 are exact; a backend whose log or cos
/// differ from the reference in the last bit of a double can differ from it in the last bit of an f64 result.</item>
/// <item><c>bernoulli</c>: w = word i mod 4 of block offset + ⌊i/4⌋; u = (w &gt;&gt; 8)·2^−24 in [0, 1);
/// result = u &lt; p (so p = 0 gives all false and p = 1 all true).</item>
/// </list>
/// </para>
/// </summary>
public static class Philox
{
    public const uint M0 = 0xD2511F53;
    public const uint M1 = 0xCD9E8D57;
    public const uint W0 = 0x9E3779B9;
    public const uint W1 = 0xBB67AE85;

    /// <summary>Philox4x32-10: ten rounds of the block function on <paramref name="counter"/> under (k0, k1).</summary>
    public static (uint X0, uint X1, uint X2, uint X3) Block((uint C0, uint C1, uint C2, uint C3) counter, uint k0, uint k1)
    {
        var (c0, c1, c2, c3) = counter;
        for (int round = 0; round < 10; round++)
        {
            if (round > 0)
            {
                k0 = unchecked(k0 + W0);
                k1 = unchecked(k1 + W1);
            }
            ulong p0 = (ulong)M0 * c0;
            ulong p1 = (ulong)M1 * c2;
            (c0, c1, c2, c3) = ((uint)(p1 >> 32) ^ c1 ^ k0, (uint)p1, (uint)(p0 >> 32) ^ c3 ^ k1, (uint)p0);
        }
        return (c0, c1, c2, c3);
    }

    /// <summary>The four words of block <c>offset + blockIndex</c> of the stream keyed by <paramref name="seed"/>.</summary>
    public static uint[] StreamBlock(long seed, long offset, long blockIndex)
    {
        ulong key = unchecked((ulong)seed);
        ulong block = unchecked((ulong)offset + (ulong)blockIndex);
        var (x0, x1, x2, x3) = Block(((uint)block, (uint)(block >> 32), 0, 0), (uint)key, (uint)(key >> 32));
        return [x0, x1, x2, x3];
    }

    /// <summary>Bits m of a uniform draw for each float dtype (f64 gets 32: one word holds no more).</summary>
    public static int UniformBits(DType dtype) => dtype switch
    {
        DType.F32 => 24,
        DType.F64 => 32,
        DType.F16 => 11,
        DType.BF16 => 8,
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), $"{dtype.Name()} is not a float type"),
    };

    /// <summary>One word to a uniform value in [0, 1) with <paramref name="bits"/> bits: (w &gt;&gt; (32 − m))·2^−m.</summary>
    public static double UniformFromWord(uint word, int bits) => Math.ScaleB(word >> (32 - bits), -bits);

    /// <summary>Box–Muller, cosine branch, from two words (see the class summary).</summary>
    public static double NormalFromWords(uint w0, uint w1)
    {
        double u1 = Math.ScaleB((double)w0 + 1.0, -32);
        double u2 = Math.ScaleB((double)w1, -32);
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    /// <summary>One word to a bernoulli draw: (w &gt;&gt; 8)·2^−24 &lt; p.</summary>
    public static bool BernoulliFromWord(uint word, double p) => Math.ScaleB(word >> 8, -24) < p;
}

/// <summary>The operand and attribute checks the three Random ops share.</summary>
internal static class RandomOps
{
    /// <summary>Checks that operands are (seed: i64[], offset: i64[]).</summary>
    public static void CheckSeedAndOffset(OpContext context)
    {
        TensorType seed = context[0], offset = context[1];
        if (seed.DType != DType.I64 || seed.Rank != 0)
        {
            throw context.Error($"seed must be i64[] (a rank-0 i64), got {seed}");
        }
        if (offset.DType != DType.I64 || offset.Rank != 0)
        {
            throw context.Error($"offset must be i64[] (a rank-0 i64), got {offset}");
        }
    }

    /// <summary>The seed and offset operand values.</summary>
    public static (long Seed, long Offset) SeedAndOffset(EvalContext context) => (context[0].GetInt64(0), context[1].GetInt64(0));
}
