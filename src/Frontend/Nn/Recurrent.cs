using GraphDL.IR;

namespace GraphDL;

/// <summary>
/// The shared part of <see cref="RNN"/>, <see cref="GRU"/> and <see cref="LSTM"/> (one layer, one direction):
/// parameters <c>weight_ih_l0</c> [gates·H, I], <c>weight_hh_l0</c> [gates·H, H] and, with bias, <c>bias_ih_l0</c>
/// and <c>bias_hh_l0</c> [gates·H], all drawn from U(−1/√H, 1/√H) as PyTorch does. Input is [L, N, I]
/// ([N, L, I] with <c>batchFirst</c>) or unbatched [L, I]; the loop over the static sequence length L is unrolled
/// into the graph.
/// </summary>
public abstract class RecurrentBase : Module
{
    private protected RecurrentBase(int gates, int inputSize, int hiddenSize, bool bias, bool batchFirst, DType dtype)
    {
        if (inputSize < 1 || hiddenSize < 1)
        {
            throw new ArgumentException($"input size ({inputSize}) and hidden size ({hiddenSize}) must be positive");
        }
        InputSize = inputSize;
        HiddenSize = hiddenSize;
        BatchFirst = batchFirst;
        double bound = 1 / Math.Sqrt(hiddenSize);
        HostTensor Draw(params int[] shape) => Init.Uniform(new TensorType(dtype, new Shape(shape)), -bound, bound);
        WeightIh = AddParameter("weight_ih_l0", Draw(gates * hiddenSize, inputSize));
        WeightHh = AddParameter("weight_hh_l0", Draw(gates * hiddenSize, hiddenSize));
        if (bias)
        {
            BiasIh = AddParameter("bias_ih_l0", Draw(gates * hiddenSize));
            BiasHh = AddParameter("bias_hh_l0", Draw(gates * hiddenSize));
        }
    }

    public int InputSize { get; }

    public int HiddenSize { get; }

    public bool BatchFirst { get; }

    public Tensor WeightIh { get; }

    public Tensor WeightHh { get; }

    public Tensor? BiasIh { get; }

    public Tensor? BiasHh { get; }

    /// <summary>
    /// Runs <paramref name="step"/> over the sequence. States are [1, N, H] (or [1, H] unbatched) outside and
    /// [N, H] (or [H]) inside the step, which maps (x_t, states) to new states whose first is the output h_t.
    /// </summary>
    private protected (Tensor Output, Tensor[] Final) Unroll(Tensor x, Tensor?[] initial, Func<Tensor, Tensor[], Tensor[]> step)
    {
        using var _ = AtUserLine(x);
        string name = GetType().Name;
        if (x.Rank is not (2 or 3) || x.Size(-1) != InputSize)
        {
            throw x.Error(name.ToLowerInvariant(), $"{name} expects input [L, N, {InputSize}] ([N, L, {InputSize}] batch first) or [L, {InputSize}], got {x.Type}");
        }
        bool batched = x.Rank == 3;
        int timeAxis = batched && BatchFirst ? 1 : 0;
        int length = x.Shape[timeAxis];
        if (length == 0)
        {
            throw x.Error(name.ToLowerInvariant(), $"{name} needs a sequence of length at least 1, got {x.Type}");
        }
        int[] stateShape = batched ? [x.Shape[BatchFirst ? 0 : 1], HiddenSize] : [HiddenSize];
        var states = initial.Select(s =>
        {
            if (s is null)
            {
                return F.Zeros(stateShape, x.DType);
            }
            if (!s.Shape.SequenceEqual([1, .. stateShape]))
            {
                throw s.Error(name.ToLowerInvariant(), $"{name} expects an initial state [1, {string.Join(", ", stateShape)}], got {s.Type}");
            }
            return s.Squeeze(0);
        }).ToArray();
        var outputs = new List<Tensor>(length);
        for (int t = 0; t < length; t++)
        {
            states = step(x.Slice(timeAxis, t, t + 1).Squeeze(timeAxis), states);
            outputs.Add(states[0].Unsqueeze(timeAxis));
        }
        var output = length == 1 ? outputs[0] : F.Concat(outputs, timeAxis);
        return (output, states.Select(s => s.Unsqueeze(0)).ToArray());
    }
}

/// <summary>
/// An Elman RNN, one layer (<c>torch.nn.RNN</c>): h_t = act(x_t·W_ihᵀ + b_ih + h_{t−1}·W_hhᵀ + b_hh), act tanh
/// (default) or relu. <see cref="Forward(Tensor, Tensor?)"/> returns every h_t and the final state [1, N, H].
/// </summary>
public sealed class RNN : RecurrentBase
{
    public RNN(int inputSize, int hiddenSize, string nonlinearity = "tanh", bool bias = true, bool batchFirst = false, DType dtype = DType.F32)
        : base(1, inputSize, hiddenSize, bias, batchFirst, dtype)
    {
        if (nonlinearity is not ("tanh" or "relu"))
        {
            throw new ArgumentException($"unknown RNN nonlinearity '{nonlinearity}' (tanh or relu)", nameof(nonlinearity));
        }
        Nonlinearity = nonlinearity;
    }

    public string Nonlinearity { get; }

    /// <summary>The outputs h_1 … h_L, starting from zeros.</summary>
    public override Tensor Forward(Tensor x) => Forward(x, null).Output;

    /// <summary>The outputs [L, N, H] ([N, L, H] batch first) and the final hidden state [1, N, H]; h0 defaults to zeros.</summary>
    public (Tensor Output, Tensor H) Forward(Tensor x, Tensor? h0)
    {
        var (output, final) = Unroll(x, [h0], (xt, s) => [F.RnnCell(xt, s[0], WeightIh, WeightHh, BiasIh, BiasHh, Nonlinearity)]);
        return (output, final[0]);
    }
}

/// <summary>
/// A gated recurrent unit, one layer (<c>torch.nn.GRU</c>), stepping with <see cref="F.GruCell"/> (gates r, z, n).
/// <see cref="Forward(Tensor, Tensor?)"/> returns every h_t and the final state [1, N, H].
/// </summary>
public sealed class GRU(int inputSize, int hiddenSize, bool bias = true, bool batchFirst = false, DType dtype = DType.F32)
    : RecurrentBase(3, inputSize, hiddenSize, bias, batchFirst, dtype)
{
    /// <summary>The outputs h_1 … h_L, starting from zeros.</summary>
    public override Tensor Forward(Tensor x) => Forward(x, null).Output;

    /// <summary>The outputs [L, N, H] ([N, L, H] batch first) and the final hidden state [1, N, H]; h0 defaults to zeros.</summary>
    public (Tensor Output, Tensor H) Forward(Tensor x, Tensor? h0)
    {
        var (output, final) = Unroll(x, [h0], (xt, s) => [F.GruCell(xt, s[0], WeightIh, WeightHh, BiasIh, BiasHh)]);
        return (output, final[0]);
    }
}

/// <summary>
/// A long short-term memory, one layer (<c>torch.nn.LSTM</c>), stepping with <see cref="F.LstmCell"/> (gates i, f,
/// g, o). <see cref="Forward(Tensor, ValueTuple{Tensor, Tensor}?)"/> returns every h_t and the final (h, c), each [1, N, H].
/// </summary>
public sealed class LSTM(int inputSize, int hiddenSize, bool bias = true, bool batchFirst = false, DType dtype = DType.F32)
    : RecurrentBase(4, inputSize, hiddenSize, bias, batchFirst, dtype)
{
    /// <summary>The outputs h_1 … h_L, starting from zeros.</summary>
    public override Tensor Forward(Tensor x) => Forward(x, null).Output;

    /// <summary>The outputs [L, N, H] ([N, L, H] batch first) and the final (h, c), each [1, N, H]; the state defaults to zeros.</summary>
    public (Tensor Output, (Tensor H, Tensor C) State) Forward(Tensor x, (Tensor H, Tensor C)? state)
    {
        var (output, final) = Unroll(x, [state?.H, state?.C], (xt, s) =>
        {
            var (h, c) = F.LstmCell(xt, s[0], s[1], WeightIh, WeightHh, BiasIh, BiasHh);
            return [h, c];
        });
        return (output, (final[0], final[1]));
    }
}
