using GraphDL.IR;

namespace GraphDL.Tests.Composites;

/// <summary>
/// Gradcheck points for the composites of src/Frontend/Functional (activations, losses, convolution and pooling, random
/// ops, lookups, clipping). Points sit away from kinks (x = 0 for relu-like ops, ties for max, the softplus threshold).
/// The random composites (rrelu, dropout) are checked in evaluation mode and in training mode through their explicit-key
/// overloads: GradCheck traces the function with inputs made from the given values only, so the key comes in as two i64
/// scalar inputs (held fixed, as integer inputs are) instead of the rng.seed/rng.offset inputs the trace would add;
/// with the key fixed the mask is a constant of x, which is what is checked.
/// </summary>
public sealed class CompositeGradSamples : CompositeGradSampleSet
{
    public override IEnumerable<(string Composite, string Reason)> Exempt =>
    [
        ("F", "primitive wrappers (where, concat, full, iota, random ops, ...), not composites; the primitive gradchecks cover them"),
        ("OneHot", "integer indices in, integer (or a constant float) one-hot out: nothing to differentiate"),
    ];

    public override IEnumerable<CompositeGradSample> Samples()
    {
        // ---- activations ----
        yield return Sample("Relu", "default", x => F.Relu(x[0]), AwayFromZero(1, 2, 3));
        yield return Sample("LeakyRelu", "default", x => F.LeakyRelu(x[0]), AwayFromZero(2, 2, 3));
        yield return Sample("LeakyRelu", "slope0.2", x => F.LeakyRelu(x[0], 0.2), AwayFromZero(3, 2, 3));
        yield return Sample("PRelu", "per-channel", x => F.PRelu(x[0], x[1]), AwayFromZero(4, 2, 3, 2), F64([0.25, -0.5, 1.5], 3));
        yield return Sample("PRelu", "shared", x => F.PRelu(x[0], x[1]), AwayFromZero(5, 2, 3), F64([0.25], 1));
        yield return Sample("RRelu", "eval", x => F.RRelu(x[0]), AwayFromZero(6, 2, 3));
        yield return Sample("RRelu", "training-fixed-key", x => F.RRelu(x[0], x[1], x[2]), AwayFromZero(7, 2, 3), I64Scalar(11), I64Scalar(5));
        yield return Sample("Elu", "default", x => F.Elu(x[0]), AwayFromZero(8, 2, 3));
        yield return Sample("Elu", "alpha0.5", x => F.Elu(x[0], 0.5), AwayFromZero(9, 2, 3));
        yield return Sample("Selu", "default", x => F.Selu(x[0]), AwayFromZero(10, 2, 3));
        yield return Sample("Gelu", "none", x => F.Gelu(x[0]), Uniform(11, -3, 3, 2, 3));
        yield return Sample("Gelu", "tanh", x => F.Gelu(x[0], "tanh"), Uniform(12, -3, 3, 2, 3));
        yield return Sample("Silu", "default", x => F.Silu(x[0]), Uniform(13, -4, 4, 2, 3));
        yield return Sample("Softplus", "default", x => F.Softplus(x[0]), F64([-30, -2, -0.5, 0.3, 4, 25], 2, 3));
        yield return Sample("Softplus", "beta2-threshold1", x => F.Softplus(x[0], beta: 2, threshold: 1), F64([-3, -0.4, 0.2, 0.3, 0.9, 2], 2, 3));
        yield return Sample("Sigmoid", "default", x => F.Sigmoid(x[0]), Uniform(14, -4, 4, 2, 3));
        yield return Sample("Tanh", "default", x => F.Tanh(x[0]), Uniform(15, -3, 3, 2, 3));
        yield return Sample("Softmax", "axis1", x => F.Softmax(x[0], 1), Distinct(16, 2, 4));
        yield return Sample("LogSoftmax", "axis1", x => F.LogSoftmax(x[0], 1), Distinct(17, 2, 4));
        yield return Sample("LogSumExp", "axis1", x => F.LogSumExp(x[0], 1), Distinct(18, 2, 4));
        yield return Sample("LogSumExp", "axis0-keepdims", x => F.LogSumExp(x[0], 0, keepDims: true), Distinct(19, 3, 2));
        yield return Sample("Linear", "bias", x => F.Linear(x[0], x[1], x[2]), Uniform(20, -1, 1, 2, 3), Uniform(21, -1, 1, 4, 3), Uniform(22, -1, 1, 4));

        // ---- losses ----
        yield return Sample("MseLoss", "mean", x => F.MseLoss(x[0], x[1]), Uniform(30, -1, 1, 2, 3), Uniform(31, -1, 1, 2, 3));
        yield return Sample("MseLoss", "sum", x => F.MseLoss(x[0], x[1], "sum"), Uniform(32, -1, 1, 2, 3), Uniform(33, -1, 1, 2, 3));
        yield return Sample("MseLoss", "none", x => F.MseLoss(x[0], x[1], "none"), Uniform(34, -1, 1, 2, 3), Uniform(35, -1, 1, 2, 3));
        yield return Sample("L1Loss", "mean", x => F.L1Loss(x[0], x[1]), AwayFromZero(36, 2, 3), F64([0, 0, 0, 0, 0, 0], 2, 3));
        yield return Sample("L1Loss", "none", x => F.L1Loss(x[0], x[1], "none"), F64([1, -2, 3, 0.5, -1, 2], 2, 3), F64([0, 0.5, 1, -1, 1, 0], 2, 3));
        yield return Sample("NllLoss", "mean", x => F.NllLoss(x[0], x[1]), Uniform(37, -3, 0, 3, 4), I64([2, 0, 3], 3));
        yield return Sample("NllLoss", "sum", x => F.NllLoss(x[0], x[1], "sum"), Uniform(38, -3, 0, 3, 4), I64([1, 1, 0], 3));
        yield return Sample("CrossEntropy", "mean", x => F.CrossEntropy(x[0], x[1]), Uniform(39, -2, 2, 3, 4), I64([2, 0, 3], 3));
        yield return Sample("CrossEntropy", "label-smoothing0.1", x => F.CrossEntropy(x[0], x[1], labelSmoothing: 0.1), Uniform(40, -2, 2, 3, 4), I64([1, 3, 0], 3));
        yield return Sample("CrossEntropy", "none", x => F.CrossEntropy(x[0], x[1], reduction: "none"), Uniform(41, -2, 2, 2, 3), I64([2, 1], 2));
        yield return Sample("BinaryCrossEntropy", "mean", x => F.BinaryCrossEntropy(x[0], x[1]), Uniform(42, 0.1, 0.9, 2, 3), Uniform(43, 0, 1, 2, 3));
        yield return Sample("BinaryCrossEntropyWithLogits", "mean", x => F.BinaryCrossEntropyWithLogits(x[0], x[1]), AwayFromZero(44, 2, 3), Uniform(45, 0, 1, 2, 3));
        yield return Sample("BinaryCrossEntropyWithLogits", "large", x => F.BinaryCrossEntropyWithLogits(x[0], x[1], "none"), F64([-8, -3, 3, 8], 4), F64([0, 1, 0.3, 1], 4));
        yield return Sample("MarginRankingLoss", "margin0", x => F.MarginRankingLoss(x[0], x[1], x[2]),
            F64([1, -1, 0.5, 2], 4), F64([0.5, 0.2, 1.5, -1], 4), F64([1, 1, 1, -1], 4));
        yield return Sample("MarginRankingLoss", "margin0.5", x => F.MarginRankingLoss(x[0], x[1], x[2], margin: 0.5, reduction: "sum"),
            F64([1, -1, 0.5, 2], 4), F64([0.2, 0.2, 1.5, -1], 4), F64([1, -1, 1, -1], 4));

        // ---- convolution and pooling ----
        yield return Sample("Conv2d", "no-bias-pad1", x => F.Conv2d(x[0], x[1], padding: 1), Uniform(50, -1, 1, 1, 2, 3, 3), Uniform(51, -1, 1, 2, 2, 2, 2));
        yield return Sample("Conv2d", "bias-stride2x1-asymmetric", x => F.Conv2d(x[0], x[1], x[2], stride: [2, 1], padding: [1, 0, 0, 1]),
            Uniform(52, -1, 1, 1, 2, 3, 3), Uniform(53, -1, 1, 2, 2, 2, 2), Uniform(54, -1, 1, 2));
        yield return Sample("MaxPool2d", "k2", x => F.MaxPool2d(x[0], 2), Distinct(55, 1, 2, 4, 4));
        yield return Sample("MaxPool2d", "k3-s1-pad1", x => F.MaxPool2d(x[0], 3, stride: 1, padding: 1), Distinct(56, 1, 1, 3, 3));
        yield return Sample("AvgPool2d", "k2", x => F.AvgPool2d(x[0], 2), Uniform(57, -1, 1, 1, 2, 4, 4));
        yield return Sample("AvgPool2d", "k3-pad1-exclude", x => F.AvgPool2d(x[0], 3, stride: 2, padding: 1, countIncludePad: false), Uniform(58, -1, 1, 1, 1, 4, 4));
        yield return Sample("LpPool2d", "p2", x => F.LpPool2d(x[0], 2, 2), Uniform(59, 0.2, 2, 1, 2, 4, 4));
        yield return Sample("LpPool2d", "p3-stride1", x => F.LpPool2d(x[0], 3, 2, stride: 1), Uniform(60, 0.2, 2, 1, 1, 3, 3));
        yield return Sample("LogSumExpPool2d", "k2", x => F.LogSumExpPool2d(x[0], 2), Uniform(61, -2, 2, 1, 2, 4, 4));
        yield return Sample("LogSumExpPool2d", "k2-s1-pad1", x => F.LogSumExpPool2d(x[0], 2, stride: 1, padding: 1), Uniform(62, -2, 2, 1, 1, 3, 3));

        // ---- random, lookup, clipping ----
        yield return Sample("Dropout", "eval", x => F.Dropout(x[0], 0.5, training: false), Uniform(70, -1, 1, 2, 3));
        yield return Sample("Dropout", "training-fixed-key", x => F.Dropout(x[0], 0.5, x[1], x[2]), Uniform(71, -1, 1, 3, 4), I64Scalar(3), I64Scalar(0));
        yield return Sample("Embedding", "i64", x => F.Embedding(x[0], x[1]), I64([1, 4, 1, 0, 2, 4], 2, 3), Uniform(72, -1, 1, 5, 2));
        // padding_idx deliberately cuts the gradient of its row (finite differences disagree by design); see
        // ExtremeGradientTests.EmbeddingGradientScattersIntoRowsAndSkipsThePaddingRow.
        yield return Sample("ClipGradNorm", "clipping", x => Flat(F.ClipGradNorm([x[0], x[1]], maxNorm: 1.0)), Uniform(74, -2, 2, 2, 2), Uniform(75, -2, 2, 3));
        yield return Sample("ClipGradNorm", "not-clipping", x => Flat(F.ClipGradNorm([x[0], x[1]], maxNorm: 100.0)), Uniform(76, -2, 2, 2, 2), Uniform(77, -2, 2, 3));
        yield return Sample("ClipGradNorm", "norm-type3", x => Flat(F.ClipGradNorm([x[0], x[1]], maxNorm: 0.5, normType: 3)), Uniform(78, 0.2, 2, 2, 2), Uniform(79, 0.2, 2, 3));
    }

    /// <summary>The clipped gradients and the total norm as one vector (gradcheck takes one output).</summary>
    private static Tensor Flat((Tensor[] Clipped, Tensor TotalNorm) result) =>
        F.Concat([.. result.Clipped.Select(g => g.Reshape(-1)), result.TotalNorm.Reshape(1)]);
}
