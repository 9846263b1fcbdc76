using System.Runtime.CompilerServices;

namespace GraphDL;

public static partial class F
{
    /// <summary>
    /// Parametric ReLU (<c>torch.nn.functional.prelu</c>): x where x &gt; 0, else a·x, with the learnable slope
    /// <paramref name="weight"/> either a single value (shape [] or [1]) shared by all channels or one value per
    /// channel (shape [C]) for the channels on axis 1 of x (x of rank ≥ 2; a rank-0 or rank-1 x has one channel).
    /// PyTorch's <c>nn.PReLU</c> initialises a to 0.25.
    /// </summary>
    public static Tensor PRelu(Tensor x, Tensor weight, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        using var _ = x.At(file, line);
        long count = weight.Shape.ElementCount;
        if (weight.Rank > 1 || (count != 1 && (x.Rank < 2 || count != x.Shape[1])))
        {
            throw x.Error("prelu", $"the weight must hold one value or one per channel (axis 1 of the input), got {weight.Type} for {x.Type}", weight);
        }
        Tensor slope;
        if (count == 1)
        {
            slope = weight.Reshape([]);
        }
        else
        {
            var dims = Enumerable.Repeat(1, x.Rank).ToArray();
            dims[1] = x.Shape[1];
            slope = weight.Reshape(dims);
        }
        return Where(x > 0.0, x, slope * x);
    }
}
