using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace GraphDL.Codegen.Kernels;

/// <summary>
/// Packing: copies a block of op(A) or op(B) into micro-panels laid out in the order the micro-kernel reads them,
/// zero-padded to whole panels. This is where transposed operands are read with their other stride.
/// </summary>
public static unsafe partial class Gemm
{
    /// <summary>
    /// Packs rows [i0, i0 + mc) × columns [p0, p0 + kc) of op(A) into panels of mr rows: panel q holds
    /// element (q·mr + r, p) at q·mr·kc + p·mr + r. Rows past mc are zero.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackA(Operand a, int i0, int p0, int mc, int kc, int mr, float* packed)
    {
        if (a.Transposed)
            Deal(a.At(i0, p0), a.Ld, kc, mc, mr, packed);
        else
            Interleave(a.At(i0, p0), a.Ld, kc, mc, mr, packed);
    }

    /// <summary>
    /// Packs rows [p0, p0 + kc) × columns [j0, j0 + nc) of op(B) into panels of nr columns: panel q holds
    /// element (p, q·nr + j) at q·nr·kc + p·nr + j. Columns past nc are zero.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackB(Operand b, int p0, int j0, int kc, int nc, int nr, float* packed)
    {
        if (b.Transposed)
            Interleave(b.At(p0, j0), b.Ld, kc, nc, nr, packed);
        else
            Deal(b.At(p0, j0), b.Ld, kc, nc, nr, packed);
    }

    /// <summary>
    /// Packs from storage where one step's values are contiguous (kc stored rows of <paramref name="width"/>
    /// values, pitch ld): each stored row is read once, front to back, and dealt out to the panels in pieces of
    /// panelWidth, so the reads stream rather than hop between rows.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Deal(float* source, int ld, int kc, int width, int panelWidth, float* packed)
    {
        int full = width / panelWidth * panelWidth;
        nint panelStride = (nint)kc * panelWidth;
        for (int p = 0; p < kc; p++, source += ld)
        {
            float* target = packed + p * panelWidth;
            for (int j = 0; j < full; j += panelWidth, target += panelStride)
                CopyPanelRow(source + j, target, panelWidth);
            if (full < width)
                CopyAndPad(source + full, target, width - full, panelWidth);
        }
    }

    /// <summary>
    /// Packs from storage where each panel line (a row of A, a column of B) is contiguous: <paramref name="width"/>
    /// lines of kc values, pitch ld. Full panels go 8 lines at a time through 8×8 register transposes.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Interleave(float* source, int ld, int kc, int width, int panelWidth, float* packed)
    {
        for (int first = 0; first < width; first += panelWidth, source += (nint)panelWidth * ld)
        {
            float* panel = packed + (nint)first * kc;
            int lines = Math.Min(panelWidth, width - first);
            if (lines == panelWidth && panelWidth % 8 == 0)
            {
                for (int r = 0; r < panelWidth; r += 8)
                    Interleave8(source + (nint)r * ld, ld, kc, panel + r, panelWidth);
                continue;
            }

            for (int r = 0; r < panelWidth; r++)
            {
                float* line = source + (nint)r * ld;
                for (int p = 0; p < kc; p++)
                    panel[p * panelWidth + r] = r < lines ? line[p] : 0;
            }
        }
    }

    /// <summary>Copies one step of a full panel (count values).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void CopyPanelRow(float* source, float* target, int count)
    {
        int j = 0;
        if (Vector512.IsHardwareAccelerated)
            for (; j + 16 <= count; j += 16)
                Vector512.Store(Vector512.Load(source + j), target + j);
        for (; j + 8 <= count; j += 8)
            Vector256.Store(Vector256.Load(source + j), target + j);
        for (; j < count; j++)
            target[j] = source[j];
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void CopyAndPad(float* source, float* target, int count, int width)
    {
        int j = 0;
        for (; j < count; j++)
            target[j] = source[j];
        for (; j < width; j++)
            target[j] = 0;
    }

    /// <summary>
    /// Interleaves 8 contiguous rows (pitch ld, kc values each) step by step: value (r, p) goes to
    /// target[p·targetPitch + r]. 8×8 blocks are transposed in registers; the tail of kc goes one value at a time.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Interleave8(float* source, nint ld, int kc, float* target, nint targetPitch)
    {
        int p = 0;
        if (Avx.IsSupported)
            for (; p + 8 <= kc; p += 8)
                Transpose8x8(source + p, ld, target + p * targetPitch, targetPitch);
        for (; p < kc; p++)
            for (int r = 0; r < 8; r++)
                target[p * targetPitch + r] = source[r * ld + p];
    }

    /// <summary>Writes the transpose of the 8×8 block at source (pitch ld) to target (pitch targetPitch).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Transpose8x8(float* source, nint ld, float* target, nint targetPitch)
    {
        // Rows a..h: unpack pairs, then shuffle quads, then swap 128-bit halves.
        var ab0 = Avx.UnpackLow(Avx.LoadVector256(source), Avx.LoadVector256(source + ld));
        var ab1 = Avx.UnpackHigh(Avx.LoadVector256(source), Avx.LoadVector256(source + ld));
        var cd0 = Avx.UnpackLow(Avx.LoadVector256(source + 2 * ld), Avx.LoadVector256(source + 3 * ld));
        var cd1 = Avx.UnpackHigh(Avx.LoadVector256(source + 2 * ld), Avx.LoadVector256(source + 3 * ld));
        var ef0 = Avx.UnpackLow(Avx.LoadVector256(source + 4 * ld), Avx.LoadVector256(source + 5 * ld));
        var ef1 = Avx.UnpackHigh(Avx.LoadVector256(source + 4 * ld), Avx.LoadVector256(source + 5 * ld));
        var gh0 = Avx.UnpackLow(Avx.LoadVector256(source + 6 * ld), Avx.LoadVector256(source + 7 * ld));
        var gh1 = Avx.UnpackHigh(Avx.LoadVector256(source + 6 * ld), Avx.LoadVector256(source + 7 * ld));
        var abcd0 = Avx.Shuffle(ab0, cd0, 0x44);
        var abcd1 = Avx.Shuffle(ab0, cd0, 0xEE);
        var abcd2 = Avx.Shuffle(ab1, cd1, 0x44);
        var abcd3 = Avx.Shuffle(ab1, cd1, 0xEE);
        var efgh0 = Avx.Shuffle(ef0, gh0, 0x44);
        var efgh1 = Avx.Shuffle(ef0, gh0, 0xEE);
        var efgh2 = Avx.Shuffle(ef1, gh1, 0x44);
        var efgh3 = Avx.Shuffle(ef1, gh1, 0xEE);
        Avx.Store(target, Avx.Permute2x128(abcd0, efgh0, 0x20));
        Avx.Store(target + targetPitch, Avx.Permute2x128(abcd1, efgh1, 0x20));
        Avx.Store(target + 2 * targetPitch, Avx.Permute2x128(abcd2, efgh2, 0x20));
        Avx.Store(target + 3 * targetPitch, Avx.Permute2x128(abcd3, efgh3, 0x20));
        Avx.Store(target + 4 * targetPitch, Avx.Permute2x128(abcd0, efgh0, 0x31));
        Avx.Store(target + 5 * targetPitch, Avx.Permute2x128(abcd1, efgh1, 0x31));
        Avx.Store(target + 6 * targetPitch, Avx.Permute2x128(abcd2, efgh2, 0x31));
        Avx.Store(target + 7 * targetPitch, Avx.Permute2x128(abcd3, efgh3, 0x31));
    }

    /// <summary>This thread's packing buffers: A's panels first, B's second.</summary>
    [ThreadStatic]
    private static ThreadScratch? packing;
}
