using GraphDL.IR;

namespace GraphDL;

/// <summary>
/// A lookup table (<c>torch.nn.Embedding</c>): integer indices of any shape [...] give rows of <c>weight</c>
/// [num_embeddings, embedding_dim], so the result is [..., embedding_dim]. The weight is initialized from N(0, 1);
/// with <c>paddingIdx</c>, that row starts at zero and receives no gradient.
/// </summary>
public sealed class Embedding : Module
{
    public Embedding(int numEmbeddings, int embeddingDim, int? paddingIdx = null, DType dtype = DType.F32)
    {
        if (paddingIdx is { } p && (p < -numEmbeddings || p >= numEmbeddings))
        {
            throw new ArgumentOutOfRangeException(nameof(paddingIdx), $"padding index {p} must be within num_embeddings ({numEmbeddings})");
        }
        NumEmbeddings = numEmbeddings;
        EmbeddingDim = embeddingDim;
        PaddingIdx = paddingIdx is { } q && q < 0 ? q + numEmbeddings : paddingIdx;
        var initial = Init.Normal(new TensorType(dtype, numEmbeddings, embeddingDim), 0, 1);
        if (PaddingIdx is { } pad)
        {
            var values = initial.ToDoubleArray();
            Array.Clear(values, pad * embeddingDim, embeddingDim);
            initial = HostTensor.FromDoubles(dtype, initial.Shape, values);
        }
        Weight = AddParameter("weight", initial);
    }

    public int NumEmbeddings { get; }

    public int EmbeddingDim { get; }

    public int? PaddingIdx { get; }

    public Tensor Weight { get; }

    public override Tensor Forward(Tensor indices)
    {
        using var _ = AtUserLine(indices);
        return F.Embedding(indices, Weight, PaddingIdx);
    }
}
