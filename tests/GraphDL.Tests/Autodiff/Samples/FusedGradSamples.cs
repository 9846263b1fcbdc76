namespace GraphDL.Tests.Autodiff.Samples;

/// <summary>fused: made by fusion, which runs after autodiff, so no graph it differentiates holds one.</summary>
public sealed class FusedGradSamples : GradSampleSet
{
    public override IEnumerable<GradSample> Samples() => [];

    public override IEnumerable<(string Op, string Reason)> NotDifferentiable =>
    [
        ("fused", "fusion runs after autodiff: the ops in its body were differentiated before they were fused"),
    ];
}
