namespace GraphDL.Tests.Autodiff.Samples;

/// <summary>Creation and random primitives: nothing to differentiate.</summary>
public sealed class CreationGradSamples : GradSampleSet
{
    public override IEnumerable<GradSample> Samples() => [];

    public override IEnumerable<(string Op, string Reason)> NotDifferentiable =>
    [
        ("constant", "no operands: its value is fixed in the graph"),
        ("iota", "no operands: its value depends only on attributes"),
        ("full", "no operands: its value depends only on attributes"),
        ("random_uniform", "its only operands are the integer seed and offset; samples do not depend on any float"),
        ("random_normal", "its only operands are the integer seed and offset; samples do not depend on any float"),
        ("bernoulli", "its only operands are the integer seed and offset (p is an attribute); the result is a draw"),
    ];
}
