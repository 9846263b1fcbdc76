using System.Runtime.CompilerServices;

namespace GraphDL;

public static partial class F
{
    /// <summary>
    /// One GRU step (<c>torch.nn.GRUCell</c>), gates in PyTorch's order r, z, n along the 3H rows of the weights:
    /// r = σ(W_ir x + b_ir + W_hr h + b_hr), z = σ(W_iz x + b_iz + W_hz h + b_hz),
    /// n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn)), h' = (1 − z) ⊙ n + z ⊙ h. x: [B, I] (or [I]), h: [B, H] (or [H]),
    /// W_ih: [3H, I], W_hh: [3H, H], biases [3H].
    /// </summary>
    public static Tensor GruCell(Tensor x, Tensor h, Tensor weightIh, Tensor weightHh, Tensor? biasIh = null, Tensor? biasHh = null,
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        using var _ = x.At(file, line);
        int hidden = h.Size(-1);
        if (weightIh.Rank != 2 || weightIh.Shape[0] != 3 * hidden || weightHh.Rank != 2 || weightHh.Shape[0] != 3 * hidden)
        {
            throw x.Error("gru_cell", $"weights must have 3·{hidden} rows for hidden size {hidden}", weightIh, weightHh);
        }
        var gi = Linear(x, weightIh, biasIh);
        var gh = Linear(h, weightHh, biasHh);
        Tensor Gate(Tensor t, int index) => t.Slice(-1, index * hidden, (index + 1) * hidden);
        var r = (Gate(gi, 0) + Gate(gh, 0)).Sigmoid();
        var z = (Gate(gi, 1) + Gate(gh, 1)).Sigmoid();
        var n = (Gate(gi, 2) + r * Gate(gh, 2)).Tanh();
        return (1.0 - z) * n + z * h;
    }
}
