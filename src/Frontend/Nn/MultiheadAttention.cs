using GraphDL.IR;

namespace GraphDL;

/// <summary>
/// Multi-head attention (<c>torch.nn.MultiheadAttention</c>, with PyTorch's parameter layout): <c>in_proj_weight</c>
/// [3E, E] holds the query, key and value projections one above the other, <c>in_proj_bias</c> [3E], and
/// <c>out_proj</c> is a <see cref="Linear"/>(E, E). Each of the H heads attends with head size E/H and scale
/// 1/√(E/H); the heads are concatenated and projected by <c>out_proj</c>. Initialized as PyTorch does:
/// <c>in_proj_weight</c> Xavier-uniform, both biases zero, <c>out_proj.weight</c> as a Linear's.
/// Inputs are [L, N, E] ([N, L, E] with <c>batchFirst</c>) or unbatched [L, E]. Dropout and separate key/value
/// sizes (kdim, vdim) are not supported.
/// </summary>
public sealed class MultiheadAttention : Module
{
    public MultiheadAttention(int embedDim, int numHeads, bool bias = true, bool batchFirst = false, DType dtype = DType.F32)
    {
        if (embedDim < 1 || numHeads < 1 || embedDim % numHeads != 0)
        {
            throw new ArgumentException($"embed_dim ({embedDim}) must be divisible by num_heads ({numHeads})", nameof(numHeads));
        }
        EmbedDim = embedDim;
        NumHeads = numHeads;
        BatchFirst = batchFirst;
        // PyTorch builds out_proj (drawing its Linear initialization) before it resets the input projection.
        var outProj = new Linear(embedDim, embedDim, bias, dtype);
        InProjWeight = AddParameter("in_proj_weight", Init.XavierUniform(new TensorType(dtype, 3 * embedDim, embedDim)));
        if (bias)
        {
            InProjBias = AddParameter("in_proj_bias", HostTensor.Zeros(new TensorType(dtype, 3 * embedDim)));
            outProj.Bias!.Parameter!.Data = HostTensor.Zeros(new TensorType(dtype, embedDim));
        }
        OutProj = Register("out_proj", outProj);
    }

    public int EmbedDim { get; }

    public int NumHeads { get; }

    public int HeadDim => EmbedDim / NumHeads;

    public bool BatchFirst { get; }

    public Tensor InProjWeight { get; }

    public Tensor? InProjBias { get; }

    public Linear OutProj { get; }

    /// <summary>Self-attention of <paramref name="x"/>: the output only.</summary>
    public override Tensor Forward(Tensor x) => Forward(x, x, x, needWeights: false).Output;

    /// <summary>
    /// Attention of <paramref name="query"/> [L, N, E] over <paramref name="key"/> and <paramref name="value"/>
    /// [S, N, E] (batch first: [N, L, E], [N, S, E]). As in PyTorch, a bool <paramref name="keyPaddingMask"/> [N, S]
    /// or <paramref name="attnMask"/> ([L, S] or [N·H, L, S]) is true where attention is NOT allowed, and a float
    /// mask is added to the scores; <paramref name="isCausal"/> adds the causal mask (j ≤ i). With
    /// <paramref name="needWeights"/>, also returns the attention weights [N, L, S], averaged over heads unless
    /// <paramref name="averageAttnWeights"/> is false ([N, H, L, S]).
    /// </summary>
    public (Tensor Output, Tensor? Weights) Forward(Tensor query, Tensor key, Tensor value, Tensor? keyPaddingMask = null, bool needWeights = true,
        Tensor? attnMask = null, bool averageAttnWeights = true, bool isCausal = false)
    {
        using var _ = AtUserLine(query);
        bool batched = query.Rank == 3;
        if (query.Rank is not (2 or 3) || key.Rank != query.Rank || value.Rank != query.Rank
            || query.Size(-1) != EmbedDim || key.Size(-1) != EmbedDim || value.Size(-1) != EmbedDim)
        {
            throw query.Error("attention", $"MultiheadAttention expects query, key and value [L, N, {EmbedDim}] (or [L, {EmbedDim}] unbatched)", key, value);
        }
        // Work batch first: [N, L, E].
        Tensor BatchFirstOf(Tensor t) => !batched ? t.Unsqueeze(0) : BatchFirst ? t : t.Transpose(0, 1);
        Tensor q = BatchFirstOf(query), k = BatchFirstOf(key), v = BatchFirstOf(value);
        int n = q.Shape[0], l = q.Shape[1], s = k.Shape[1];
        if (k.Shape[0] != n || v.Shape[0] != n || v.Shape[1] != s)
        {
            throw query.Error("attention", "query, key and value must share the batch size, and key and value the sequence length", key, value);
        }
        Tensor Project(Tensor t, int index) => F.Linear(t,
            InProjWeight.Slice(0, index * EmbedDim, (index + 1) * EmbedDim),
            InProjBias?.Slice(0, index * EmbedDim, (index + 1) * EmbedDim));
        Tensor Heads(Tensor t) => t.Reshape(n, t.Shape[1], NumHeads, HeadDim).Permute(0, 2, 1, 3);   // [N, H, len, hd]
        var qh = Heads(Project(q, 0));
        var kh = Heads(Project(k, 1));
        var vh = Heads(Project(v, 2));

        var mask = AdditiveMask(attnMask, keyPaddingMask, n, l, s, batched, q.DType);
        Tensor attended;
        Tensor? weights = null;
        if (needWeights)
        {
            var scores = qh.MatMul(kh.Transpose()) * (1 / Math.Sqrt(HeadDim));
            if (isCausal)
            {
                scores = F.Where(F.Iota([l, s], 0) >= F.Iota([l, s], 1), scores, double.NegativeInfinity);
            }
            if (mask is not null)
            {
                scores += mask;
            }
            var probabilities = F.Softmax(scores, -1);
            attended = probabilities.MatMul(vh);
            weights = averageAttnWeights ? probabilities.Mean(1) : probabilities;
            if (!batched)
            {
                weights = weights.Squeeze(0);
            }
        }
        else
        {
            attended = F.ScaledDotProductAttention(qh, kh, vh, isCausal, mask);
        }
        var merged = attended.Permute(0, 2, 1, 3).Reshape(n, l, EmbedDim);
        var output = OutProj.Forward(merged);
        output = !batched ? output.Squeeze(0) : BatchFirst ? output : output.Transpose(0, 1);
        return (output, weights);
    }

    /// <summary>The attention and key-padding masks as one float mask broadcasting against [N, H, L, S] (−∞ where not allowed).</summary>
    private Tensor? AdditiveMask(Tensor? attnMask, Tensor? keyPaddingMask, int n, int l, int s, bool batched, DType dtype)
    {
        Tensor Additive(Tensor m) => m.DType.IsBool() ? F.Where(m, F.Full([], double.NegativeInfinity, dtype), F.Full([], 0, dtype)) : m.To(dtype);
        Tensor? mask = null;
        if (attnMask is not null)
        {
            if (attnMask.Shape.SequenceEqual([l, s]))
            {
                mask = Additive(attnMask);
            }
            else if (attnMask.Shape.SequenceEqual([n * NumHeads, l, s]))
            {
                mask = Additive(attnMask).Reshape(n, NumHeads, l, s);
            }
            else
            {
                throw attnMask.Error("attention", $"attn_mask must be [{l}, {s}] or [{n * NumHeads}, {l}, {s}]");
            }
        }
        if (keyPaddingMask is not null)
        {
            int[] expected = batched ? [n, s] : [s];
            if (!keyPaddingMask.Shape.SequenceEqual(expected))
            {
                throw keyPaddingMask.Error("attention", $"key_padding_mask must be [{string.Join(", ", expected)}]");
            }
            var padding = Additive(keyPaddingMask).Reshape(n, 1, 1, s);
            mask = mask is null ? padding : mask + padding;
        }
        return mask;
    }
}
