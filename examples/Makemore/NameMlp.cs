using GraphDL.IR;

namespace GraphDL.Examples.Makemore;

/// <summary>
/// Bengio et al. (2003), as the makemore lectures build it: each of the <c>block</c> context characters is embedded,
/// the embeddings are concatenated, then linear → batch norm → tanh → linear to one logit per character. The hidden
/// layer has Kaiming initialization for tanh (N(0, (5/3)²/fan_in)) and no bias (batch norm's shift replaces it); the
/// output layer starts at a tenth of its default scale, so the first predictions are nearly uniform and the first
/// loss is near ln(vocabulary) instead of a confident mistake.
/// </summary>
public sealed class NameMlp : Module
{
    private readonly Embedding _embedding;
    private readonly Sequential _layers;

    public NameMlp(int vocabulary, int block, int embedding, int hidden)
    {
        Block = block;
        _embedding = Register("embedding", new Embedding(vocabulary, embedding));
        var first = new Linear(block * embedding, hidden, bias: false);
        var last = new Linear(hidden, vocabulary);
        _layers = Register("layers", new Sequential(first, new BatchNorm1d(hidden), new Tanh(), last));
        foreach (var p in Parameters())
        {
            if (p.Name == "layers.0.weight")
            {
                p.Data = Init.KaimingNormal(p.Type, nonlinearity: "tanh");
            }
            else if (p.Name == "layers.3.weight")
            {
                p.Data = HostTensor.FromDoubles(p.Type.DType, p.Type.Shape, p.Data.ToDoubleArray().Select(w => 0.1 * w).ToArray());
            }
            else if (p.Name == "layers.3.bias")
            {
                p.Data = HostTensor.Zeros(p.Type);
            }
        }
    }

    public int Block { get; }

    /// <summary>Contexts i64 [B, block] → logits [B, vocabulary].</summary>
    public override Tensor Forward(Tensor contexts)
    {
        var embedded = _embedding.Forward(contexts);
        return _layers.Forward(embedded.Reshape(contexts.Shape[0], -1));
    }
}
