using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace GraphDL.Codegen.Kernels;

/// <summary>Which vector width the GEMM micro-kernel uses; each has its own register tile (mr × nr).</summary>
internal enum GemmIsa
{
    /// <summary>4×8 tile, 8 Vector128 accumulators: the portable fallback.</summary>
    Vector128,

    /// <summary>6×16 tile, 12 Vector256 accumulators (fits the 16 registers of AVX2).</summary>
    Vector256,

    /// <summary>8×32 tile, 16 Vector512 accumulators (of AVX-512's 32 registers).</summary>
    Vector512,
}

/// <summary>
/// The register-blocked micro-kernels: C tile (mr×nr) = Σₚ a[p]·b[p] over kc steps of a packed A micro-panel
/// (mr values per step) and a packed B micro-panel (nr values per step), plus the old tile when adding to C.
/// </summary>
public static unsafe partial class Gemm
{
    /// <summary>The widest micro-kernel this machine runs in hardware.</summary>
    internal static readonly GemmIsa BestIsa =
        Vector512.IsHardwareAccelerated ? GemmIsa.Vector512
        : Vector256.IsHardwareAccelerated ? GemmIsa.Vector256
        : GemmIsa.Vector128;

    /// <summary>The largest mr × nr over all micro-kernels (the scratch tile for edges).</summary>
    private const int MaxTile = 8 * 32;

    internal static (int Mr, int Nr) MicroKernelShape(GemmIsa isa) => isa switch
    {
        GemmIsa.Vector512 => (8, 32),
        GemmIsa.Vector256 => (6, 16),
        _ => (4, 8),
    };

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void MicroKernel(GemmIsa isa, int kc, float* a, float* b, float* c, nint ldc, bool addToC)
    {
        switch (isa)
        {
            case GemmIsa.Vector512:
                Kernel8x32(kc, a, b, c, ldc, addToC);
                break;
            case GemmIsa.Vector256:
                Kernel6x16(kc, a, b, c, ldc, addToC);
                break;
            default:
                Kernel4x8(kc, a, b, c, ldc, addToC);
                break;
        }
    }

    /// <summary>8×32 tile: per step, 8 broadcasts of A against 2 Vector512 of B.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel8x32(int kc, float* a, float* b, float* c, nint ldc, bool addToC)
    {
        Vector512<float> c00 = default, c01 = default, c10 = default, c11 = default;
        Vector512<float> c20 = default, c21 = default, c30 = default, c31 = default;
        Vector512<float> c40 = default, c41 = default, c50 = default, c51 = default;
        Vector512<float> c60 = default, c61 = default, c70 = default, c71 = default;
        for (int p = 0; p < kc; p++, a += 8, b += 32)
        {
            var b0 = Vector512.Load(b);
            var b1 = Vector512.Load(b + 16);
            var a0 = Vector512.Create(a[0]);
            c00 = Vector512.FusedMultiplyAdd(a0, b0, c00); c01 = Vector512.FusedMultiplyAdd(a0, b1, c01);
            var a1 = Vector512.Create(a[1]);
            c10 = Vector512.FusedMultiplyAdd(a1, b0, c10); c11 = Vector512.FusedMultiplyAdd(a1, b1, c11);
            var a2 = Vector512.Create(a[2]);
            c20 = Vector512.FusedMultiplyAdd(a2, b0, c20); c21 = Vector512.FusedMultiplyAdd(a2, b1, c21);
            var a3 = Vector512.Create(a[3]);
            c30 = Vector512.FusedMultiplyAdd(a3, b0, c30); c31 = Vector512.FusedMultiplyAdd(a3, b1, c31);
            var a4 = Vector512.Create(a[4]);
            c40 = Vector512.FusedMultiplyAdd(a4, b0, c40); c41 = Vector512.FusedMultiplyAdd(a4, b1, c41);
            var a5 = Vector512.Create(a[5]);
            c50 = Vector512.FusedMultiplyAdd(a5, b0, c50); c51 = Vector512.FusedMultiplyAdd(a5, b1, c51);
            var a6 = Vector512.Create(a[6]);
            c60 = Vector512.FusedMultiplyAdd(a6, b0, c60); c61 = Vector512.FusedMultiplyAdd(a6, b1, c61);
            var a7 = Vector512.Create(a[7]);
            c70 = Vector512.FusedMultiplyAdd(a7, b0, c70); c71 = Vector512.FusedMultiplyAdd(a7, b1, c71);
        }

        StoreRow(c00, c01, c, addToC);
        StoreRow(c10, c11, c + ldc, addToC);
        StoreRow(c20, c21, c + 2 * ldc, addToC);
        StoreRow(c30, c31, c + 3 * ldc, addToC);
        StoreRow(c40, c41, c + 4 * ldc, addToC);
        StoreRow(c50, c51, c + 5 * ldc, addToC);
        StoreRow(c60, c61, c + 6 * ldc, addToC);
        StoreRow(c70, c71, c + 7 * ldc, addToC);
    }

    /// <summary>6×16 tile: per step, 6 broadcasts of A against 2 Vector256 of B.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel6x16(int kc, float* a, float* b, float* c, nint ldc, bool addToC)
    {
        Vector256<float> c00 = default, c01 = default, c10 = default, c11 = default;
        Vector256<float> c20 = default, c21 = default, c30 = default, c31 = default;
        Vector256<float> c40 = default, c41 = default, c50 = default, c51 = default;
        for (int p = 0; p < kc; p++, a += 6, b += 16)
        {
            var b0 = Vector256.Load(b);
            var b1 = Vector256.Load(b + 8);
            var a0 = Vector256.Create(a[0]);
            c00 = Vector256.FusedMultiplyAdd(a0, b0, c00); c01 = Vector256.FusedMultiplyAdd(a0, b1, c01);
            var a1 = Vector256.Create(a[1]);
            c10 = Vector256.FusedMultiplyAdd(a1, b0, c10); c11 = Vector256.FusedMultiplyAdd(a1, b1, c11);
            var a2 = Vector256.Create(a[2]);
            c20 = Vector256.FusedMultiplyAdd(a2, b0, c20); c21 = Vector256.FusedMultiplyAdd(a2, b1, c21);
            var a3 = Vector256.Create(a[3]);
            c30 = Vector256.FusedMultiplyAdd(a3, b0, c30); c31 = Vector256.FusedMultiplyAdd(a3, b1, c31);
            var a4 = Vector256.Create(a[4]);
            c40 = Vector256.FusedMultiplyAdd(a4, b0, c40); c41 = Vector256.FusedMultiplyAdd(a4, b1, c41);
            var a5 = Vector256.Create(a[5]);
            c50 = Vector256.FusedMultiplyAdd(a5, b0, c50); c51 = Vector256.FusedMultiplyAdd(a5, b1, c51);
        }

        StoreRow(c00, c01, c, addToC);
        StoreRow(c10, c11, c + ldc, addToC);
        StoreRow(c20, c21, c + 2 * ldc, addToC);
        StoreRow(c30, c31, c + 3 * ldc, addToC);
        StoreRow(c40, c41, c + 4 * ldc, addToC);
        StoreRow(c50, c51, c + 5 * ldc, addToC);
    }

    /// <summary>4×8 tile: per step, 4 broadcasts of A against 2 Vector128 of B.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel4x8(int kc, float* a, float* b, float* c, nint ldc, bool addToC)
    {
        Vector128<float> c00 = default, c01 = default, c10 = default, c11 = default;
        Vector128<float> c20 = default, c21 = default, c30 = default, c31 = default;
        for (int p = 0; p < kc; p++, a += 4, b += 8)
        {
            var b0 = Vector128.Load(b);
            var b1 = Vector128.Load(b + 4);
            var a0 = Vector128.Create(a[0]);
            c00 = Vector128.FusedMultiplyAdd(a0, b0, c00); c01 = Vector128.FusedMultiplyAdd(a0, b1, c01);
            var a1 = Vector128.Create(a[1]);
            c10 = Vector128.FusedMultiplyAdd(a1, b0, c10); c11 = Vector128.FusedMultiplyAdd(a1, b1, c11);
            var a2 = Vector128.Create(a[2]);
            c20 = Vector128.FusedMultiplyAdd(a2, b0, c20); c21 = Vector128.FusedMultiplyAdd(a2, b1, c21);
            var a3 = Vector128.Create(a[3]);
            c30 = Vector128.FusedMultiplyAdd(a3, b0, c30); c31 = Vector128.FusedMultiplyAdd(a3, b1, c31);
        }

        StoreRow(c00, c01, c, addToC);
        StoreRow(c10, c11, c + ldc, addToC);
        StoreRow(c20, c21, c + 2 * ldc, addToC);
        StoreRow(c30, c31, c + 3 * ldc, addToC);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreRow(Vector512<float> v0, Vector512<float> v1, float* c, bool addToC)
    {
        if (addToC)
        {
            v0 += Vector512.Load(c);
            v1 += Vector512.Load(c + 16);
        }

        v0.Store(c);
        v1.Store(c + 16);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreRow(Vector256<float> v0, Vector256<float> v1, float* c, bool addToC)
    {
        if (addToC)
        {
            v0 += Vector256.Load(c);
            v1 += Vector256.Load(c + 8);
        }

        v0.Store(c);
        v1.Store(c + 8);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreRow(Vector128<float> v0, Vector128<float> v1, float* c, bool addToC)
    {
        if (addToC)
        {
            v0 += Vector128.Load(c);
            v1 += Vector128.Load(c + 4);
        }

        v0.Store(c);
        v1.Store(c + 4);
    }
}
