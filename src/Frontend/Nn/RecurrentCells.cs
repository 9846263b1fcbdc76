using GraphDL.IR;

namespace GraphDL;

/// <summary>
/// The shared part of <see cref="RNNCell"/>, <see cref="GRUCell"/> and <see cref="LSTMCell"/>: parameters
/// <c>weight_ih</c> [gates·H, I], <c>weight_hh</c> [gates·H, H] and, with bias, <c>bias_ih</c> and <c>bias_hh</c>
/// [gates·H], all drawn from U(−1/√H, 1/√H) as PyTorch does. Input is [N, I] or unbatched [I]; a missing state is zeros.
/// </summary>
public abstract class RecurrentCellBase : Module
{
    private protected RecurrentCellBase(int gates, int inputSize, int hiddenSize, bool bias, DType dtype)
    {
        if (inputSize < 1 || hiddenSize < 1)
        {
            throw new ArgumentException($"input size ({inputSize}) and hidden size ({hiddenSize}) must be positive");
        }
        InputSize = inputSize;
        HiddenSize = hiddenSize;
        double bound = 1 / Math.Sqrt(hiddenSize);
        HostTensor Draw(params int[] shape) => Init.Uniform(new TensorType(dtype, new Shape(shape)), -bound, bound);
        WeightIh = AddParameter("weight_ih", Draw(gates * hiddenSize, inputSize));
        WeightHh = AddParameter("weight_hh", Draw(gates * hiddenSize, hiddenSize));
        if (bias)
        {
            BiasIh = AddParameter("bias_ih", Draw(gates * hiddenSize));
            BiasHh = AddParameter("bias_hh", Draw(gates * hiddenSize));
        }
    }

    public int InputSize { get; }

    public int HiddenSize { get; }

    public Tensor WeightIh { get; }

    public Tensor WeightHh { get; }

    public Tensor? BiasIh { get; }

    public Tensor? BiasHh { get; }

    /// <summary>Checks the input and returns the given state, or zeros of the state's shape.</summary>
    private protected Tensor StateOrZeros(Tensor x, Tensor? state)
    {
        string name = GetType().Name;
        if (x.Rank is not (1 or 2) || x.Size(-1) != InputSize)
        {
            throw x.Error(name.ToLowerInvariant(), $"{name} expects input [N, {InputSize}] or [{InputSize}], got {x.Type}");
        }
        int[] shape = x.Rank == 2 ? [x.Shape[0], HiddenSize] : [HiddenSize];
        if (state is null)
        {
            return F.Zeros(shape, x.DType);
        }
        if (!state.Shape.SequenceEqual(shape))
        {
            throw state.Error(name.ToLowerInvariant(), $"{name} expects a state [{string.Join(", ", shape)}], got {state.Type}");
        }
        return state;
    }
}

/// <summary>One Elman RNN step as a module (<c>torch.nn.RNNCell</c>, see <see cref="F.RnnCell"/>).</summary>
public sealed class RNNCell : RecurrentCellBase
{
    public RNNCell(int inputSize, int hiddenSize, bool bias = true, string nonlinearity = "tanh", DType dtype = DType.F32)
        : base(1, inputSize, hiddenSize, bias, dtype)
    {
        if (nonlinearity is not ("tanh" or "relu"))
        {
            throw new ArgumentException($"unknown RNN nonlinearity '{nonlinearity}' (tanh or relu)", nameof(nonlinearity));
        }
        Nonlinearity = nonlinearity;
    }

    public string Nonlinearity { get; }

    /// <summary>The next hidden state from a zero state.</summary>
    public override Tensor Forward(Tensor x) => Forward(x, null);

    /// <summary>The next hidden state; <paramref name="h"/> defaults to zeros.</summary>
    public Tensor Forward(Tensor x, Tensor? h)
    {
        using var _ = AtUserLine(x);
        return F.RnnCell(x, StateOrZeros(x, h), WeightIh, WeightHh, BiasIh, BiasHh, Nonlinearity);
    }
}

/// <summary>One GRU step as a module (<c>torch.nn.GRUCell</c>, see <see cref="F.GruCell"/>).</summary>
public sealed class GRUCell(int inputSize, int hiddenSize, bool bias = true, DType dtype = DType.F32)
    : RecurrentCellBase(3, inputSize, hiddenSize, bias, dtype)
{
    /// <summary>The next hidden state from a zero state.</summary>
    public override Tensor Forward(Tensor x) => Forward(x, null);

    /// <summary>The next hidden state; <paramref name="h"/> defaults to zeros.</summary>
    public Tensor Forward(Tensor x, Tensor? h)
    {
        using var _ = AtUserLine(x);
        return F.GruCell(x, StateOrZeros(x, h), WeightIh, WeightHh, BiasIh, BiasHh);
    }
}

/// <summary>One LSTM step as a module (<c>torch.nn.LSTMCell</c>, see <see cref="F.LstmCell"/>).</summary>
public sealed class LSTMCell(int inputSize, int hiddenSize, bool bias = true, DType dtype = DType.F32)
    : RecurrentCellBase(4, inputSize, hiddenSize, bias, dtype)
{
    /// <summary>The next hidden state from a zero state.</summary>
    public override Tensor Forward(Tensor x) => Forward(x, null).H;

    /// <summary>The next hidden and cell states; the state defaults to zeros.</summary>
    public (Tensor H, Tensor C) Forward(Tensor x, (Tensor H, Tensor C)? state)
    {
        using var _ = AtUserLine(x);
        return F.LstmCell(x, StateOrZeros(x, state?.H), StateOrZeros(x, state?.C), WeightIh, WeightHh, BiasIh, BiasHh);
    }
}
