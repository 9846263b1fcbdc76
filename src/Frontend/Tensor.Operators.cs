using GraphDL.IR;

namespace GraphDL;

/// <summary>
/// Operators. They cannot take caller info, so the user's line is found on the stack (cached per call site).
/// <c>/</c> is true division: integer operands are converted to f32 first, as in PyTorch. Comparisons give bool
/// tensors; use <see cref="Eq(Tensor, string, int)"/> and <see cref="Ne(Tensor, string, int)"/> for equality.
/// </summary>
public sealed partial class Tensor
{
    public static Tensor operator +(Tensor a, Tensor b)
    {
        using var _ = a.Context.AtUserFrame();
        return Binary(Prim.Add, a, b);
    }

    public static Tensor operator +(Tensor a, double b)
    {
        using var _ = a.Context.AtUserFrame();
        return Binary(Prim.Add, a, Weak(b));
    }

    public static Tensor operator +(double a, Tensor b)
    {
        using var _ = b.Context.AtUserFrame();
        return Binary(Prim.Add, b, Weak(a), scalarFirst: true);
    }

    public static Tensor operator +(Tensor a, long b)
    {
        using var _ = a.Context.AtUserFrame();
        return Binary(Prim.Add, a, Weak(b));
    }

    public static Tensor operator +(long a, Tensor b)
    {
        using var _ = b.Context.AtUserFrame();
        return Binary(Prim.Add, b, Weak(a), scalarFirst: true);
    }

    public static Tensor operator -(Tensor a, Tensor b)
    {
        using var _ = a.Context.AtUserFrame();
        return Binary(Prim.Sub, a, b);
    }

    public static Tensor operator -(Tensor a, double b)
    {
        using var _ = a.Context.AtUserFrame();
        return Binary(Prim.Sub, a, Weak(b));
    }

    public static Tensor operator -(double a, Tensor b)
    {
        using var _ = b.Context.AtUserFrame();
        return Binary(Prim.Sub, b, Weak(a), scalarFirst: true);
    }

    public static Tensor operator -(Tensor a, long b)
    {
        using var _ = a.Context.AtUserFrame();
        return Binary(Prim.Sub, a, Weak(b));
    }

    public static Tensor operator -(long a, Tensor b)
    {
        using var _ = b.Context.AtUserFrame();
        return Binary(Prim.Sub, b, Weak(a), scalarFirst: true);
    }

    public static Tensor operator *(Tensor a, Tensor b)
    {
        using var _ = a.Context.AtUserFrame();
        return Binary(Prim.Mul, a, b);
    }

    public static Tensor operator *(Tensor a, double b)
    {
        using var _ = a.Context.AtUserFrame();
        return Binary(Prim.Mul, a, Weak(b));
    }

    public static Tensor operator *(double a, Tensor b)
    {
        using var _ = b.Context.AtUserFrame();
        return Binary(Prim.Mul, b, Weak(a), scalarFirst: true);
    }

    public static Tensor operator *(Tensor a, long b)
    {
        using var _ = a.Context.AtUserFrame();
        return Binary(Prim.Mul, a, Weak(b));
    }

    public static Tensor operator *(long a, Tensor b)
    {
        using var _ = b.Context.AtUserFrame();
        return Binary(Prim.Mul, b, Weak(a), scalarFirst: true);
    }

    public static Tensor operator /(Tensor a, Tensor b)
    {
        using var _ = a.Context.AtUserFrame();
        var u = Unify("div", a, b);
        return u[0].DType.IsFloat() ? Emit(Prim.Div, u) : Emit(Prim.Div, [u[0].CastTo(DType.F32), u[1].CastTo(DType.F32)]);
    }

    public static Tensor operator /(Tensor a, double b)
    {
        using var _ = a.Context.AtUserFrame();
        return Binary(Prim.Div, a.DType.IsFloat() ? a : a.CastTo(DType.F32), Weak(b));
    }

    public static Tensor operator /(double a, Tensor b)
    {
        using var _ = b.Context.AtUserFrame();
        return Binary(Prim.Div, b.DType.IsFloat() ? b : b.CastTo(DType.F32), Weak(a), scalarFirst: true);
    }

    public static Tensor operator -(Tensor a)
    {
        using var _ = a.Context.AtUserFrame();
        return a.Emit(Prim.Neg);
    }

    public static Tensor operator <(Tensor a, Tensor b)
    {
        using var _ = a.Context.AtUserFrame();
        return Binary(Prim.Lt, a, b);
    }

    public static Tensor operator <(Tensor a, double b)
    {
        using var _ = a.Context.AtUserFrame();
        return Binary(Prim.Lt, a, Weak(b));
    }

    public static Tensor operator <(double a, Tensor b)
    {
        using var _ = b.Context.AtUserFrame();
        return Binary(Prim.Lt, b, Weak(a), scalarFirst: true);
    }

    public static Tensor operator >(Tensor a, Tensor b)
    {
        using var _ = a.Context.AtUserFrame();
        return Binary(Prim.Gt, a, b);
    }

    public static Tensor operator >(Tensor a, double b)
    {
        using var _ = a.Context.AtUserFrame();
        return Binary(Prim.Gt, a, Weak(b));
    }

    public static Tensor operator >(double a, Tensor b)
    {
        using var _ = b.Context.AtUserFrame();
        return Binary(Prim.Gt, b, Weak(a), scalarFirst: true);
    }

    public static Tensor operator <=(Tensor a, Tensor b)
    {
        using var _ = a.Context.AtUserFrame();
        return Binary(Prim.Le, a, b);
    }

    public static Tensor operator <=(Tensor a, double b)
    {
        using var _ = a.Context.AtUserFrame();
        return Binary(Prim.Le, a, Weak(b));
    }

    public static Tensor operator <=(double a, Tensor b)
    {
        using var _ = b.Context.AtUserFrame();
        return Binary(Prim.Le, b, Weak(a), scalarFirst: true);
    }

    public static Tensor operator >=(Tensor a, Tensor b)
    {
        using var _ = a.Context.AtUserFrame();
        return Binary(Prim.Ge, a, b);
    }

    public static Tensor operator >=(Tensor a, double b)
    {
        using var _ = a.Context.AtUserFrame();
        return Binary(Prim.Ge, a, Weak(b));
    }

    public static Tensor operator >=(double a, Tensor b)
    {
        using var _ = b.Context.AtUserFrame();
        return Binary(Prim.Ge, b, Weak(a), scalarFirst: true);
    }

    /// <summary>Logical and of bool tensors.</summary>
    public static Tensor operator &(Tensor a, Tensor b)
    {
        using var _ = a.Context.AtUserFrame();
        return Binary(Prim.And, a, b);
    }

    /// <summary>Logical or of bool tensors.</summary>
    public static Tensor operator |(Tensor a, Tensor b)
    {
        using var _ = a.Context.AtUserFrame();
        return Binary(Prim.Or, a, b);
    }

    /// <summary>Logical xor of bool tensors.</summary>
    public static Tensor operator ^(Tensor a, Tensor b)
    {
        using var _ = a.Context.AtUserFrame();
        return Binary(Prim.Xor, a, b);
    }

    /// <summary>Logical not of a bool tensor.</summary>
    public static Tensor operator !(Tensor a)
    {
        using var _ = a.Context.AtUserFrame();
        return a.Emit(Prim.Not);
    }
}
