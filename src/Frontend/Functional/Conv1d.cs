using System.Runtime.CompilerServices;

namespace GraphDL;

public static partial class F
{
    /// <summary>
    /// 1-D convolution (<c>torch.nn.functional.conv1d</c>, a cross-correlation) of input [N, C, L] (or unbatched
    /// [C, L]) with weight [O, C/groups, k] and optional bias [O]:
    /// <c>out[n,o,t] = b[o] + Σ_{c,i} xp[n, g·(C/groups) + c, t·s + i·d]·w[o,c,i]</c>, xp the input zero-padded by
    /// <paramref name="padding"/> at both ends. It is conv2d
    /// over a unit height (input [N, C, 1, L], weight [O, C/groups, 1, k]), so it shares conv2d's kernels and
    /// gradients. PyTorch defaults: stride 1, padding 0, dilation 1, groups 1.
    /// </summary>
    public static Tensor Conv1d(Tensor input, Tensor weight, Tensor? bias = null, int stride = 1, int padding = 0, int dilation = 1, int groups = 1,
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        using var _ = input.At(file, line);
        if (input.Rank is not (2 or 3) || weight.Rank != 3)
        {
            throw input.Error("conv1d", $"expects input [N, C, L] or [C, L] and weight [O, C/groups, k], got {input.Type} and {weight.Type}", weight);
        }
        bool unbatched = input.Rank == 2;
        var x = (unbatched ? input.Unsqueeze(0) : input).Unsqueeze(2);
        var y = Conv2d(x, weight.Unsqueeze(2), bias, [1, stride], [0, 0, padding, padding], [1, dilation], groups).Squeeze(2);
        return unbatched ? y.Squeeze(0) : y;
    }
}
