using GraphDL.IR;

namespace GraphDL;

public static partial class F
{
    /// <summary>
    /// Activation checkpointing (<c>torch.utils.checkpoint</c>, <c>jax.checkpoint</c>): computes
    /// <paramref name="block"/>(<paramref name="x"/>), but values computed inside the block (its result aside) are not
    /// saved for the backward pass; the backward recomputes them from the block's inputs. Same value and same gradients as calling
    /// the block directly (random ops inside recompute from the same Philox key, so dropout masks are identical).
    /// <para>How: every node the block emits carries the attribute <c>{checkpoint=K}</c> (one K per outermost call;
    /// see <see cref="AttributeSchema.CheckpointRegion"/>). The <c>remat</c> pass, which <see cref="Compiler"/> always
    /// runs last, gives the backward recomputed copies of such nodes instead of the forward ones, and removes the
    /// attribute. Values from outside the block (its input, the parameters) are read, not recomputed.</para>
    /// </summary>
    /// <remarks>It takes no caller line: the block's nodes keep their own source lines.</remarks>
    public static Tensor Checkpoint(Func<Tensor, Tensor> block, Tensor x)
    {
        ArgumentNullException.ThrowIfNull(block);
        using var region = x.Context.EnterCheckpoint();
        return block(x);
    }
}
