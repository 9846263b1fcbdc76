namespace GraphDL.Tests.Composites;

/// <summary>
/// Gradcheck points for the PyTorch losses added beside the first set (smooth L1, Huber, KL divergence, hinge and
/// cosine embedding, soft margin, multi-margin, triplet margin, Poisson and Gaussian NLL), each reduction at least once.
/// Points sit away from every kink (|d| = β or δ, a hinge at 0). Labels that only select a branch (hinge and cosine
/// embedding, multi-margin classes) come in as integers, held fixed: a float label nudged by finite differences would
/// leave its class.
/// </summary>
public sealed class LossGradSamples : CompositeGradSampleSet
{
    private static readonly double[] Residuals = [0.3, -2, 1.6, -0.4, 0.7, 3];

    public override IEnumerable<CompositeGradSample> Samples()
    {
        var zeros = F64(new double[6], 2, 3);
        yield return Sample("SmoothL1Loss", "mean", x => F.SmoothL1Loss(x[0], x[1]), F64(Residuals, 2, 3), zeros);
        yield return Sample("SmoothL1Loss", "sum-beta0.5", x => F.SmoothL1Loss(x[0], x[1], "sum", beta: 0.5), F64(Residuals, 2, 3), Uniform(110, -0.05, 0.05, 2, 3));
        yield return Sample("SmoothL1Loss", "none-beta0", x => F.SmoothL1Loss(x[0], x[1], "none", beta: 0), F64(Residuals, 2, 3), zeros);
        yield return Sample("HuberLoss", "mean", x => F.HuberLoss(x[0], x[1]), F64(Residuals, 2, 3), zeros);
        yield return Sample("HuberLoss", "none-delta2", x => F.HuberLoss(x[0], x[1], "none", delta: 2), F64(Residuals, 2, 3), Uniform(111, 0.1, 0.2, 2, 3));
        yield return Sample("KlDivLoss", "mean", x => F.KlDivLoss(x[0], x[1]), Uniform(112, -3, 0, 2, 3), Uniform(113, 0.1, 1, 2, 3));
        yield return Sample("KlDivLoss", "batchmean", x => F.KlDivLoss(x[0], x[1], "batchmean"), Uniform(114, -3, 0, 2, 3), Uniform(115, 0.1, 1, 2, 3));
        yield return Sample("KlDivLoss", "log-target-none", x => F.KlDivLoss(x[0], x[1], "none", logTarget: true), Uniform(116, -3, 0, 2, 3), Uniform(117, -3, 0, 2, 3));
        yield return Sample("HingeEmbeddingLoss", "mean", x => F.HingeEmbeddingLoss(x[0], x[1]),
            F64([0.5, -0.3, 2, 0.2, 1.5, -1], 2, 3), I64([1, -1, -1, -1, 1, -1], 2, 3));
        yield return Sample("HingeEmbeddingLoss", "margin2-sum", x => F.HingeEmbeddingLoss(x[0], x[1], margin: 2, reduction: "sum"),
            F64([0.5, -0.3, 2.5, 0.2], 4), I64([1, -1, -1, -1], 4));
        yield return Sample("CosineEmbeddingLoss", "margin-1", x => F.CosineEmbeddingLoss(x[0], x[1], x[2], margin: -1),
            Uniform(118, -1, 1, 3, 4), Uniform(119, -1, 1, 3, 4), I64([1, -1, -1], 3));
        yield return Sample("CosineEmbeddingLoss", "margin0-none", x => F.CosineEmbeddingLoss(x[0], x[1], x[2], reduction: "none"),
            F64([1, 2, 0.5, -1, 0.5, 2], 2, 3), F64([0.5, 1, 1, -0.5, 1, 1.5], 2, 3), I64([-1, 1], 2));
        yield return Sample("SoftMarginLoss", "mean", x => F.SoftMarginLoss(x[0], x[1]), Uniform(120, -3, 3, 2, 3), F64([1, -1, -1, 1, 1, -1], 2, 3));
        yield return Sample("SoftMarginLoss", "none", x => F.SoftMarginLoss(x[0], x[1], "none"), F64([-30, 30, 0.5, -2], 4), F64([1, 1, -1, -1], 4));
        var scores = F64([0.1, 0.75, -0.6, 1.3, 0.2, 0.45], 2, 3);
        yield return Sample("MultiMarginLoss", "p1-mean", x => F.MultiMarginLoss(x[0], x[1]), scores, I64([1, 0], 2));
        yield return Sample("MultiMarginLoss", "p2-weight-sum", x => F.MultiMarginLoss(x[0], x[1], p: 2, weight: x[2], reduction: "sum"),
            scores, I64([1, 0], 2), F64([0.5, 1, 2], 3));
        yield return Sample("MultiMarginLoss", "single-margin2-none", x => F.MultiMarginLoss(x[0], x[1], margin: 2, reduction: "none"),
            F64([0.1, 0.75, -0.6], 3), I64Scalar(2));
        yield return Sample("TripletMarginLoss", "default", x => F.TripletMarginLoss(x[0], x[1], x[2], margin: 2),
            Uniform(121, -1, 1, 3, 4), Uniform(122, -1, 1, 3, 4), Uniform(123, -1, 1, 3, 4));
        yield return Sample("TripletMarginLoss", "p1-swap-none", x => F.TripletMarginLoss(x[0], x[1], x[2], margin: 3, p: 1, swap: true, reduction: "none"),
            AwayFromZero(124, 2, 3), AwayFromZero(125, 2, 3), AwayFromZero(126, 2, 3));
        yield return Sample("TripletMarginLoss", "p3-sum", x => F.TripletMarginLoss(x[0], x[1], x[2], margin: 2, p: 3, reduction: "sum"),
            Uniform(127, 1, 2, 2, 3), Uniform(128, -2, -1, 2, 3), Uniform(129, -1, 1, 2, 3));
        yield return Sample("PoissonNllLoss", "log-input", x => F.PoissonNllLoss(x[0], x[1]), Uniform(130, -1, 1, 2, 3), Uniform(131, 0, 3, 2, 3));
        yield return Sample("PoissonNllLoss", "rate-input-sum", x => F.PoissonNllLoss(x[0], x[1], logInput: false, reduction: "sum"),
            Uniform(132, 0.5, 2, 2, 3), Uniform(133, 0, 3, 2, 3));
        yield return Sample("PoissonNllLoss", "full-none", x => F.PoissonNllLoss(x[0], x[1], full: true, reduction: "none"),
            Uniform(134, -1, 1, 4), F64([0.3, 2.5, 4, 1.7], 4));
        yield return Sample("GaussianNllLoss", "mean", x => F.GaussianNllLoss(x[0], x[1], x[2]), Uniform(135, -1, 1, 2, 3), Uniform(136, -1, 1, 2, 3), Uniform(137, 0.5, 2, 2, 3));
        yield return Sample("GaussianNllLoss", "row-var-full-sum", x => F.GaussianNllLoss(x[0], x[1], x[2], full: true, reduction: "sum"),
            Uniform(138, -1, 1, 2, 3), Uniform(139, -1, 1, 2, 3), Uniform(140, 0.5, 2, 2));
        yield return Sample("GaussianNllLoss", "last-axis-1-none", x => F.GaussianNllLoss(x[0], x[1], x[2], reduction: "none"),
            Uniform(141, -1, 1, 2, 3), Uniform(142, -1, 1, 2, 3), Uniform(143, 0.5, 2, 2, 1));
    }
}
