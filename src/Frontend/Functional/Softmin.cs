using System.Runtime.CompilerServices;

namespace GraphDL;

public static partial class F
{
    /// <summary>Softmin (<c>torch.nn.functional.softmin</c>): softmax(−x) along <paramref name="axis"/> (default the last), as stable as <see cref="Softmax"/>.</summary>
    public static Tensor Softmin(Tensor x, int axis = -1, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        using var _ = x.At(file, line);
        return Softmax(-x, axis);
    }
}
