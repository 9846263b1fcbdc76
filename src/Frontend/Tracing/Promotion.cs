using GraphDL.IR;

namespace GraphDL;

/// <summary>
/// Dtype promotion and NumPy broadcasting for the DSL (the IR itself never promotes or broadcasts implicitly).
/// <para>Promotion orders bool &lt; i32 &lt; i64 &lt; f16, bf16 &lt; f32 &lt; f64 and takes the larger; f16 with bf16
/// gives f32 (neither holds the other). Python scalars are weak, as in PyTorch and JAX: a scalar never widens a
/// float tensor (<c>x16 * 2.0</c> stays f16); a float scalar with an integer or bool tensor gives f32; an integer
/// scalar with a bool tensor gives i64.</para>
/// <para>Broadcasting aligns shapes at the right; each pair of dimensions must be equal or one of them 1.</para>
/// </summary>
public static class Promotion
{
    private static int Rank(DType dtype) => dtype switch
    {
        DType.Bool => 0,
        DType.I32 => 1,
        DType.I64 => 2,
        DType.F16 or DType.BF16 => 3,
        DType.F32 => 4,
        _ => 5,
    };

    /// <summary>The dtype two tensor operands are converted to.</summary>
    public static DType Promote(DType a, DType b)
    {
        if (a == b)
        {
            return a;
        }
        if (Rank(a) == 3 && Rank(b) == 3)
        {
            return DType.F32;
        }
        return Rank(a) >= Rank(b) ? a : b;
    }

    /// <summary>The dtype of a tensor combined with a weak scalar literal of kind <paramref name="scalar"/> (bool, i64 or f64).</summary>
    public static DType WithScalar(DType tensor, DType scalar) => scalar switch
    {
        DType.F64 or DType.F32 => tensor.IsFloat() ? tensor : DType.F32,
        DType.I64 or DType.I32 => tensor.IsBool() ? DType.I64 : tensor,
        _ => tensor,
    };

    /// <summary>The broadcast shape of two shapes, or null when they are incompatible.</summary>
    public static Shape? BroadcastShapes(Shape a, Shape b)
    {
        int rank = Math.Max(a.Rank, b.Rank);
        var dims = new int[rank];
        for (int i = 0; i < rank; i++)
        {
            int x = i - (rank - a.Rank) >= 0 ? a[i - (rank - a.Rank)] : 1;
            int y = i - (rank - b.Rank) >= 0 ? b[i - (rank - b.Rank)] : 1;
            if (x != y && x != 1 && y != 1)
            {
                return null;
            }
            dims[i] = x == 1 ? y : x;
        }
        return new Shape(dims);
    }
}
