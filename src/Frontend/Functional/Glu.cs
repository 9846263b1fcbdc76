using System.Runtime.CompilerServices;

namespace GraphDL;

public static partial class F
{
    /// <summary>
    /// Gated linear unit (<c>torch.nn.functional.glu</c>): splits x in halves a, b along <paramref name="axis"/>
    /// (default the last) and returns a·σ(b); that axis's size must be even.
    /// </summary>
    public static Tensor Glu(Tensor x, int axis = -1, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        using var _ = x.At(file, line);
        if (x.Rank == 0)
        {
            throw x.Error("glu", $"needs at least one axis to halve, got {x.Type}");
        }
        int a = axis < 0 ? axis + x.Rank : axis;
        if (a < 0 || a >= x.Rank)
        {
            throw x.Error("glu", $"axis {axis} is out of range for {x.Type}");
        }
        int size = x.Shape[a];
        if (size % 2 != 0)
        {
            throw x.Error("glu", $"halves axis {axis}, whose size {size} is odd ({x.Type})");
        }
        return x.Slice(a, 0, size / 2) * x.Slice(a, size / 2, size).Sigmoid();
    }
}
