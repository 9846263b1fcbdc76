namespace GraphDL.Tests.Composites;

/// <summary>
/// Gradcheck points for the PyTorch activations added beside the first set (hardtanh, relu6, softsign, logsigmoid,
/// mish, hardswish, hardsigmoid, celu, glu, softmin, threshold, clamp). Points sit away from every kink (the bounds of
/// the piecewise ones, 0 for celu, logsigmoid's |x|), where finite differences and the derivative agree.
/// </summary>
public sealed class ActivationGradSamples : CompositeGradSampleSet
{
    public override IEnumerable<CompositeGradSample> Samples()
    {
        yield return Sample("Hardtanh", "default", x => F.Hardtanh(x[0]), F64([-2, -0.5, 0.3, 0.9, 1.5, -1.2], 2, 3));
        yield return Sample("Hardtanh", "min-2-max0.5", x => F.Hardtanh(x[0], -2, 0.5), F64([-3, -1.5, 0.2, 0.7, -0.4, 2], 2, 3));
        yield return Sample("Relu6", "default", x => F.Relu6(x[0]), F64([-1, 0.5, 3, 5.5, 6.5, 9], 2, 3));
        yield return Sample("Softsign", "default", x => F.Softsign(x[0]), AwayFromZero(101, 2, 3));
        yield return Sample("LogSigmoid", "default", x => F.LogSigmoid(x[0]), F64([-30, -2, -0.5, 0.3, 4, 25], 2, 3));
        yield return Sample("Mish", "default", x => F.Mish(x[0]), Uniform(102, -4, 4, 2, 3));
        yield return Sample("Mish", "large", x => F.Mish(x[0]), F64([-30, 19, 22, 40], 4));
        yield return Sample("Hardswish", "default", x => F.Hardswish(x[0]), F64([-4, -2.5, -1, 0.5, 2.5, 4], 2, 3));
        yield return Sample("Hardsigmoid", "default", x => F.Hardsigmoid(x[0]), F64([-4, -2.5, -1, 0.5, 2.5, 4], 2, 3));
        yield return Sample("Celu", "default", x => F.Celu(x[0]), AwayFromZero(103, 2, 3));
        yield return Sample("Celu", "alpha0.5", x => F.Celu(x[0], 0.5), AwayFromZero(104, 2, 3));
        yield return Sample("Glu", "last", x => F.Glu(x[0]), Uniform(105, -2, 2, 2, 4));
        yield return Sample("Glu", "axis0", x => F.Glu(x[0], 0), Uniform(106, -2, 2, 4, 3));
        yield return Sample("Softmin", "axis1", x => F.Softmin(x[0], 1), Distinct(107, 2, 4));
        yield return Sample("Threshold", "0.1-to-20", x => F.Threshold(x[0], 0.1, 20), F64([-1, 0.05, 0.3, 2, -0.2, 0.5], 2, 3));
        yield return Sample("Clamp", "both", x => F.Clamp(x[0], -0.5, 0.5), F64([-1, -0.3, 0.1, 0.4, 0.8, -0.6], 2, 3));
        yield return Sample("Clamp", "min-only", x => F.Clamp(x[0], min: 0.2), F64([-1, 0.1, 0.3, 2], 4));
        yield return Sample("Clamp", "max-only", x => F.Clamp(x[0], max: 0.2), F64([-1, 0.1, 0.3, 2], 4));
    }
}
