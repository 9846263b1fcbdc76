using System.Runtime.CompilerServices;

namespace GraphDL;

public static partial class F
{
    /// <summary>
    /// One LSTM step (<c>torch.nn.LSTMCell</c>), gates in PyTorch's order i, f, g, o along the 4H rows of the weights:
    /// [i, f, g, o] = x·W_ihᵀ + b_ih + h·W_hhᵀ + b_hh; i = σ(i), f = σ(f), g = tanh(g), o = σ(o);
    /// c' = f ⊙ c + i ⊙ g; h' = o ⊙ tanh(c'). x: [B, I] (or [I]), h and c: [B, H] (or [H]), W_ih: [4H, I],
    /// W_hh: [4H, H], biases [4H].
    /// </summary>
    /// <returns>The new hidden and cell states.</returns>
    public static (Tensor H, Tensor C) LstmCell(Tensor x, Tensor h, Tensor c, Tensor weightIh, Tensor weightHh, Tensor? biasIh = null, Tensor? biasHh = null,
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        using var _ = x.At(file, line);
        int hidden = h.Size(-1);
        if (weightIh.Rank != 2 || weightIh.Shape[0] != 4 * hidden || weightHh.Rank != 2 || weightHh.Shape[0] != 4 * hidden)
        {
            throw x.Error("lstm_cell", $"weights must have 4·{hidden} rows for hidden size {hidden}", weightIh, weightHh);
        }
        var gates = Linear(x, weightIh, biasIh) + Linear(h, weightHh, biasHh);
        Tensor Gate(int index) => gates.Slice(-1, index * hidden, (index + 1) * hidden);
        var i = Gate(0).Sigmoid();
        var f = Gate(1).Sigmoid();
        var g = Gate(2).Tanh();
        var o = Gate(3).Sigmoid();
        var cNext = f * c + i * g;
        return (o * cNext.Tanh(), cNext);
    }
}
