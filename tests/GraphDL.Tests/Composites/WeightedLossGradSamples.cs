namespace GraphDL.Tests.Composites;

/// <summary>
/// Gradcheck points for the losses' PyTorch options: cross_entropy and nll_loss with class weights, ignored targets,
/// probability targets, [N, C, d...] inputs and unbatched [C] scores; BCE with weight, BCE with logits with weight and
/// pos_weight; attention with a fully masked query row (whose output is 0 whatever the inputs, so its gradients are 0).
/// The class weights come in as f64 inputs and are differentiated too (the loss is smooth in them, "mean" a ratio).
/// </summary>
public sealed class WeightedLossGradSamples : CompositeGradSampleSet
{
    public override IEnumerable<(string Composite, string Reason)> Exempt =>
    [
        ("Accuracy", "a fraction of integer comparisons (argmax = label): piecewise constant, nothing to differentiate"),
    ];

    public override IEnumerable<CompositeGradSample> Samples()
    {
        var weight = F64([0.3, 1.5, 2], 3);
        yield return Sample("CrossEntropy", "weight-ignore-mean", x => F.CrossEntropy(x[0], x[1], weight: x[2]),
            Uniform(200, -2, 2, 4, 3), I64([2, -100, 1, 0], 4), weight);
        yield return Sample("CrossEntropy", "weight-ignore1-smoothing-sum", x => F.CrossEntropy(x[0], x[1], 0.2, "sum", x[2], ignoreIndex: 1),
            Uniform(201, -2, 2, 4, 3), I64([2, 1, 1, 0], 4), weight);
        yield return Sample("CrossEntropy", "spatial-weight-smoothing-mean", x => F.CrossEntropy(x[0], x[1], 0.1, weight: x[2]),
            Uniform(202, -2, 2, 2, 3, 2, 2), I64([0, 2, 1, -100, 1, 1, 0, 2], 2, 2, 2), weight);
        yield return Sample("CrossEntropy", "spatial-none", x => F.CrossEntropy(x[0], x[1], reduction: "none"),
            Uniform(203, -2, 2, 2, 3, 2), I64([0, 2, -100, 1], 2, 2));
        yield return Sample("CrossEntropy", "probabilities-weight-smoothing-mean", x => F.CrossEntropy(x[0], x[1], 0.1, weight: x[2]),
            Uniform(204, -2, 2, 2, 3, 2), Uniform(205, 0, 1, 2, 3, 2), weight);
        yield return Sample("CrossEntropy", "probabilities-none", x => F.CrossEntropy(x[0], x[1], reduction: "none"),
            Uniform(206, -2, 2, 3, 3), Uniform(207, 0, 1, 3, 3));
        yield return Sample("CrossEntropy", "unbatched-weight", x => F.CrossEntropy(x[0], x[1], 0.3, weight: x[2]), Uniform(208, -2, 2, 3), I64Scalar(1), weight);
        yield return Sample("NllLoss", "spatial-weight-ignore-mean", x => F.NllLoss(x[0], x[1], weight: x[2]),
            Uniform(209, -3, 0, 2, 3, 4), I64([0, 2, -100, 1, 1, 1, 0, 2], 2, 4), weight);
        yield return Sample("NllLoss", "ignore1-none", x => F.NllLoss(x[0], x[1], "none", ignoreIndex: 1), Uniform(210, -3, 0, 3, 3), I64([2, 1, 0], 3));
        yield return Sample("BinaryCrossEntropy", "weight-sum", x => F.BinaryCrossEntropy(x[0], x[1], "sum", x[2]),
            Uniform(211, 0.1, 0.9, 2, 3), Uniform(212, 0, 1, 2, 3), Uniform(213, 0.5, 2, 3));
        yield return Sample("BinaryCrossEntropyWithLogits", "weight-pos-weight-mean", x => F.BinaryCrossEntropyWithLogits(x[0], x[1], weight: x[2], posWeight: x[3]),
            AwayFromZero(214, 2, 3), Uniform(215, 0, 1, 2, 3), Uniform(216, 0.5, 2, 2, 1), Uniform(217, 0.5, 3, 3));
        yield return Sample("BinaryCrossEntropyWithLogits", "pos-weight-large-none", x => F.BinaryCrossEntropyWithLogits(x[0], x[1], "none", posWeight: x[2]),
            F64([-8, -3, 3, 8], 4), F64([0, 1, 0.3, 1], 4), F64([2, 0.5, 3, 1.5], 4));
        bool[] maskRows = [true, false, true, false, false, false, true, true, false];
        yield return Sample("ScaledDotProductAttention", "fully-masked-row", x => F.ScaledDotProductAttention(x[0], x[1], x[2], mask: x[3].Ne(0.0)),
            Uniform(218, -1, 1, 3, 2), Uniform(219, -1, 1, 3, 2), Uniform(220, -1, 1, 3, 2), I64(maskRows.Select(b => b ? 1L : 0L).ToArray(), 3, 3));
        yield return Sample("ScaledDotProductAttention", "causal-and-fully-masked-row", x => F.ScaledDotProductAttention(x[0], x[1], x[2], causal: true, mask: x[3].Ne(0.0)),
            Uniform(221, -1, 1, 3, 2), Uniform(222, -1, 1, 3, 2), Uniform(223, -1, 1, 3, 2), I64([0, 1, 1, 1, 1, 1, 1, 1, 1], 3, 3));
    }
}
