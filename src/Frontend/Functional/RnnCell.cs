using System.Runtime.CompilerServices;

namespace GraphDL;

public static partial class F
{
    /// <summary>
    /// One step of an Elman RNN (<c>torch.nn.RNNCell</c>): h' = act(x·W_ihᵀ + b_ih + h·W_hhᵀ + b_hh), act tanh (the
    /// default) or relu. x: [B, I] (or [I]), h: [B, H] (or [H]), W_ih: [H, I], W_hh: [H, H], biases [H].
    /// </summary>
    public static Tensor RnnCell(Tensor x, Tensor h, Tensor weightIh, Tensor weightHh, Tensor? biasIh = null, Tensor? biasHh = null,
        string nonlinearity = "tanh", [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        using var _ = x.At(file, line);
        var pre = Linear(x, weightIh, biasIh) + Linear(h, weightHh, biasHh);
        return nonlinearity switch
        {
            "tanh" => pre.Tanh(),
            "relu" => Relu(pre),
            _ => throw new ArgumentException($"unknown RNN nonlinearity '{nonlinearity}' (tanh or relu)", nameof(nonlinearity)),
        };
    }
}
