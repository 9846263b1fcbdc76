using System.Runtime.CompilerServices;

namespace GraphDL;

public static partial class F
{
    /// <summary>
    /// Group normalization (<c>torch.nn.functional.group_norm</c>) of x [N, C, *]: the C channels split into
    /// <paramref name="numGroups"/> groups of C/G consecutive channels, and each sample's group is normalized over its
    /// channels and spatial positions, y = (x − E[x]) / √(Var[x] + ε), with the biased variance; then
    /// <paramref name="weight"/> γ and <paramref name="bias"/> β [C], when given, scale and shift each channel. It is
    /// <see cref="LayerNorm"/> of x viewed as [N, G, (C/G)·∏*] over its last axis.
    /// </summary>
    public static Tensor GroupNorm(Tensor x, int numGroups, Tensor? weight = null, Tensor? bias = null, double eps = 1e-5,
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        using var _ = x.At(file, line);
        if (x.Rank < 2)
        {
            throw x.Error("group_norm", $"expects an input [N, C, ...] with a channel axis 1, got {x.Type}");
        }
        int n = x.Shape[0], channels = x.Shape[1];
        if (numGroups < 1 || channels % numGroups != 0)
        {
            throw x.Error("group_norm", $"the {channels} channels of {x.Type} must be divisible by num_groups ({numGroups})");
        }
        int groupSize = channels / numGroups * x.Shape.Skip(2).Aggregate(1, (a, b) => a * b);
        var normalized = LayerNorm(x.Reshape(n, numGroups, groupSize), [groupSize], eps: eps).Reshape(x.Shape.ToArray());
        return PerChannelAffine("group_norm", normalized, weight, bias);
    }

    /// <summary>y·γ + β with γ = <paramref name="weight"/> and β = <paramref name="bias"/> [C] (when given) broadcast over axis 1 of y.</summary>
    private static Tensor PerChannelAffine(string op, Tensor y, Tensor? weight, Tensor? bias)
    {
        int channels = y.Shape[1];
        foreach (var (affine, what) in new[] { (weight, "weight"), (bias, "bias") })
        {
            if (affine is not null && (affine.Rank != 1 || affine.Shape[0] != channels))
            {
                throw y.Error(op, $"the {what} must be [{channels}] (one value per channel), got {affine.Type}", affine);
            }
        }
        var perChannel = new[] { channels }.Concat(Enumerable.Repeat(1, y.Rank - 2)).ToArray();
        if (weight is not null)
        {
            y *= weight.Reshape(perChannel);
        }
        return bias is null ? y : y + bias.Reshape(perChannel);
    }
}
