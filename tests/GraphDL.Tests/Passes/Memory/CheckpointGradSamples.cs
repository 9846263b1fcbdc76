using GraphDL.Tests.Composites;

namespace GraphDL.Tests.Passes.Memory;

/// <summary>
/// Gradcheck points for <c>F.Checkpoint</c>: a checkpointed block has the gradients of the block itself (the region
/// markers change what the remat pass saves, never a value).
/// </summary>
public sealed class CheckpointGradSamples : CompositeGradSampleSet
{
    public override IEnumerable<CompositeGradSample> Samples()
    {
        yield return Sample("Checkpoint", "tanh-matmul", x => F.Checkpoint(h => (h.MatMul(x[1]) + x[2]).Tanh(), x[0]),
            Uniform(1, -1, 1, 2, 3), Uniform(2, -1, 1, 3, 4), Uniform(3, -1, 1, 4));
        yield return Sample("Checkpoint", "nested", x => F.Checkpoint(h => F.Checkpoint(g => F.Sigmoid(g * g), h) * h, x[0]),
            Uniform(4, -2, 2, 2, 3));
    }
}
