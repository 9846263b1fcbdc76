using GraphDL.IR;

namespace GraphDL.Examples.CharRnn;

/// <summary>
/// A character language model: embedding → one recurrent layer (<c>rnn</c>, <c>lstm</c> or <c>gru</c>, batch first)
/// → linear to one logit per character. The recurrent state is a list of tensors [1, N, H]: h, and for the LSTM also c.
/// </summary>
public sealed class CharModel : Module
{
    private readonly Embedding _embedding;
    private readonly RecurrentBase _cell;
    private readonly Linear _head;

    public CharModel(string cell, int vocabulary, int embedding, int hidden)
    {
        Cell = cell;
        Hidden = hidden;
        _embedding = Register("embedding", new Embedding(vocabulary, embedding));
        _cell = Register("cell", cell switch
        {
            "rnn" => (RecurrentBase)new RNN(embedding, hidden, batchFirst: true),
            "lstm" => new LSTM(embedding, hidden, batchFirst: true),
            "gru" => new GRU(embedding, hidden, batchFirst: true),
            _ => throw new ArgumentException($"unknown cell '{cell}' (rnn, lstm or gru)", nameof(cell)),
        });
        _head = Register("head", new Linear(hidden, vocabulary));
    }

    public string Cell { get; }

    public int Hidden { get; }

    /// <summary>How many state tensors the cell carries: 2 for the LSTM (h, c), else 1 (h).</summary>
    public int StateCount => Cell == "lstm" ? 2 : 1;

    /// <summary>Zero states for <paramref name="batch"/> rows, f32 [1, batch, H] each.</summary>
    public HostTensor[] ZeroState(int batch) =>
        [.. Enumerable.Range(0, StateCount).Select(_ => HostTensor.Zeros(new TensorType(DType.F32, new Shape(1, batch, Hidden))))];

    /// <summary>Tokens i64 [N, T] and the state → logits [N, T, vocabulary] and the state after the last position.</summary>
    public (Tensor Logits, Tensor[] State) Forward(Tensor tokens, Tensor[] state)
    {
        var x = _embedding.Forward(tokens);
        var (output, next) = _cell switch
        {
            LSTM lstm => Lstm(lstm, x, state),
            RNN rnn => Single(rnn.Forward(x, state[0])),
            GRU gru => Single(gru.Forward(x, state[0])),
            _ => throw new InvalidOperationException(Cell),
        };
        return (_head.Forward(output), next);
    }

    private static (Tensor, Tensor[]) Lstm(LSTM lstm, Tensor x, Tensor[] state)
    {
        var (output, (h, c)) = lstm.Forward(x, (state[0], state[1]));
        return (output, [h, c]);
    }

    private static (Tensor, Tensor[]) Single((Tensor Output, Tensor H) result) => (result.Output, [result.H]);

    /// <summary>Mean cross-entropy of the logits [N, T, V] against targets i64 [N, T].</summary>
    public static Tensor Loss(Tensor logits, Tensor targets) =>
        F.CrossEntropy(logits.Reshape(-1, logits.Shape[^1]), targets.Reshape(-1));
}
