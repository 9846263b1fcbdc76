using GraphDL.IR;

namespace GraphDL.Examples.MiniGpt;

/// <summary>The transformer's sizes: vocabulary, context (block) length, width, heads, layers, dropout probability.</summary>
public sealed record GptConfig(int Vocabulary, int Block = 64, int Embedding = 64, int Heads = 4, int Layers = 2, double Dropout = 0.05);

/// <summary>
/// Causal multi-head self-attention as nanoGPT writes it: one linear to q, k and v, heads split off the width,
/// <see cref="F.ScaledDotProductAttention"/> with the causal mask (position t sees positions ≤ t only), heads joined,
/// an output projection and dropout on it.
/// </summary>
public sealed class CausalSelfAttention : Module
{
    private readonly Linear _qkv;
    private readonly Linear _proj;
    private readonly Dropout _dropout;
    private readonly int _heads;

    public CausalSelfAttention(GptConfig config)
    {
        if (config.Embedding % config.Heads != 0)
        {
            throw new ArgumentException($"width {config.Embedding} is not a multiple of {config.Heads} heads");
        }
        _heads = config.Heads;
        _qkv = Register("qkv", new Linear(config.Embedding, 3 * config.Embedding));
        _proj = Register("proj", new Linear(config.Embedding, config.Embedding));
        _dropout = Register("dropout", new Dropout(config.Dropout));
    }

    /// <summary>x [B, T, C] → [B, T, C].</summary>
    public override Tensor Forward(Tensor x)
    {
        int b = x.Shape[0], t = x.Shape[1], c = x.Shape[2], d = c / _heads;
        var qkv = _qkv.Forward(x);
        Tensor Head(int part) => qkv.Slice(2, part * c, (part + 1) * c).Reshape(b, t, _heads, d).Permute(0, 2, 1, 3);
        var attended = F.ScaledDotProductAttention(Head(0), Head(1), Head(2), causal: true);
        return _dropout.Forward(_proj.Forward(attended.Permute(0, 2, 1, 3).Reshape(b, t, c)));
    }
}

/// <summary>A pre-norm transformer block: x + attention(layer_norm(x)), then x + MLP(layer_norm(x)) with a 4× GELU MLP.</summary>
public sealed class GptBlock : Module
{
    private readonly LayerNorm _norm1;
    private readonly CausalSelfAttention _attention;
    private readonly LayerNorm _norm2;
    private readonly Sequential _mlp;

    public GptBlock(GptConfig config)
    {
        int c = config.Embedding;
        _norm1 = Register("ln1", new LayerNorm(c));
        _attention = Register("attn", new CausalSelfAttention(config));
        _norm2 = Register("ln2", new LayerNorm(c));
        _mlp = Register("mlp", new Sequential(new Linear(c, 4 * c), new GELU(), new Linear(4 * c, c), new Dropout(config.Dropout)));
    }

    public override Tensor Forward(Tensor x)
    {
        x = x + _attention.Forward(_norm1.Forward(x));
        return x + _mlp.Forward(_norm2.Forward(x));
    }
}

/// <summary>
/// A character GPT (nanoGPT's model, small): token and learned position embeddings, dropout, <see cref="GptConfig.Layers"/>
/// blocks, a final layer norm and a linear head to one logit per character. Weights start as nanoGPT's: N(0, 0.02),
/// the projections that end each residual branch N(0, 0.02/√(2·layers)), biases zero, layer norms the identity.
/// </summary>
public sealed class Gpt : Module
{
    private readonly Embedding _tokens;
    private readonly Tensor _positions;
    private readonly Dropout _dropout;
    private readonly Sequential _blocks;
    private readonly LayerNorm _norm;
    private readonly Linear _head;

    public Gpt(GptConfig config)
    {
        Config = config;
        _tokens = Register("wte", new Embedding(config.Vocabulary, config.Embedding));
        _positions = AddParameter("wpe", HostTensor.Zeros(new TensorType(DType.F32, new Shape(config.Block, config.Embedding))));
        _dropout = Register("drop", new Dropout(config.Dropout));
        _blocks = Register("blocks", new Sequential([.. Enumerable.Range(0, config.Layers).Select(_ => (Module)new GptBlock(config))]));
        _norm = Register("ln_f", new LayerNorm(config.Embedding));
        _head = Register("head", new Linear(config.Embedding, config.Vocabulary, bias: false));
        foreach (var p in Parameters())
        {
            if (p.Name.EndsWith(".bias", StringComparison.Ordinal))
            {
                p.Data = HostTensor.Zeros(p.Type);
            }
            else if (p.Type.Shape.Rank == 2)
            {
                bool residual = p.Name.EndsWith("attn.proj.weight", StringComparison.Ordinal) || p.Name.EndsWith("mlp.2.weight", StringComparison.Ordinal);
                p.Data = Init.Normal(p.Type, 0, residual ? 0.02 / Math.Sqrt(2 * config.Layers) : 0.02);
            }
        }
    }

    public GptConfig Config { get; }

    /// <summary>Tokens i64 [B, T] (T ≤ block) → logits [B, T, vocabulary].</summary>
    public override Tensor Forward(Tensor tokens)
    {
        int t = tokens.Shape[1];
        if (t > Config.Block)
        {
            throw new ArgumentException($"a context of {t} tokens is longer than the block size {Config.Block}", nameof(tokens));
        }
        var x = _dropout.Forward(_tokens.Forward(tokens) + _positions.Slice(0, 0, t));
        return _head.Forward(_norm.Forward(_blocks.Forward(x)));
    }

    /// <summary>Mean cross-entropy of the next-token logits for <paramref name="tokens"/> against <paramref name="targets"/>, both i64 [B, T].</summary>
    public Tensor Loss(Tensor tokens, Tensor targets)
    {
        var logits = Forward(tokens);
        return F.CrossEntropy(logits.Reshape(-1, Config.Vocabulary), targets.Reshape(-1));
    }
}
