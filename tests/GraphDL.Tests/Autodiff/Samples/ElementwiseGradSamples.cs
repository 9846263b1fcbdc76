using GraphDL.IR;

namespace GraphDL.Tests.Autodiff.Samples;

/// <summary>
/// Elementwise primitives: the unary math ops, sub, div, pow, max, min, where and cast. Inputs stay away from the
/// points where an op has a kink, a pole or a tie (0 for abs and sign, the integers for floor and ceil, equal operands
/// for max and min, non-positive bases for pow), so central differences see a smooth function.
/// </summary>
public sealed class ElementwiseGradSamples : GradSampleSet
{
    private static HostTensor Values(double[] data, params int[] dims) => HostTensor.FromArray(data, dims);

    private static HostTensor Scalar(double value) => HostTensor.FromArray(new[] { value });

    private static HostTensor Bools(bool[] data, params int[] dims) => HostTensor.FromArray(data, dims);

    public override IEnumerable<GradSample> Samples()
    {
        yield return Sample("neg", "matrix", [AwayFromZero(101, 2, 3)]);
        yield return Sample("neg", "rank 0", [Scalar(-0.75)]);

        yield return Sample("abs", "both signs", [AwayFromZero(102, 2, 3)]);
        yield return Sample("abs", "rank 0 negative", [Scalar(-1.25)]);

        yield return Sample("sign", "both signs", [AwayFromZero(103, 5)]);
        yield return Sample("sign", "rank 0", [Scalar(0.4)]);

        yield return Sample("log", "positive", [Uniform(104, 0.3, 3, 2, 3)]);
        yield return Sample("log", "rank 0", [Scalar(0.6)]);

        yield return Sample("log1p", "above -1", [Uniform(105, -0.6, 2, 6)]);
        yield return Sample("log1p", "rank 0", [Scalar(-0.3)]);

        yield return Sample("expm1", "vector", [Uniform(106, -2, 2, 6)]);
        yield return Sample("expm1", "rank 0", [Scalar(0.01)]);

        yield return Sample("sqrt", "positive", [Uniform(107, 0.2, 3, 2, 3)]);
        yield return Sample("sqrt", "rank 0", [Scalar(2.5)]);

        yield return Sample("rsqrt", "positive", [Uniform(108, 0.2, 3, 2, 3)]);
        yield return Sample("rsqrt", "rank 0", [Scalar(0.7)]);

        yield return Sample("reciprocal", "both signs", [AwayFromZero(109, 2, 3)]);
        yield return Sample("reciprocal", "rank 0", [Scalar(-1.5)]);

        yield return Sample("sin", "vector", [Uniform(110, -3, 3, 6)]);
        yield return Sample("sin", "rank 0", [Scalar(1.2)]);

        yield return Sample("cos", "vector", [Uniform(111, -3, 3, 6)]);
        yield return Sample("cos", "rank 0", [Scalar(-0.4)]);

        yield return Sample("tanh", "vector", [Uniform(112, -2, 2, 6)]);
        yield return Sample("tanh", "rank 0", [Scalar(0.8)]);

        yield return Sample("logistic", "vector", [Uniform(113, -3, 3, 6)]);
        yield return Sample("logistic", "rank 0", [Scalar(-1.1)]);

        yield return Sample("erf", "vector", [Uniform(114, -2, 2, 6)]);
        yield return Sample("erf", "rank 0", [Scalar(0.3)]);

        yield return Sample("floor", "off the integers", [Values([-1.7, -0.3, 0.4, 1.6, 2.2, 3.5], 2, 3)]);
        yield return Sample("floor", "rank 0", [Scalar(-2.5)]);

        yield return Sample("ceil", "off the integers", [Values([-1.7, -0.3, 0.4, 1.6, 2.2, 3.5], 6)]);
        yield return Sample("ceil", "rank 0", [Scalar(0.5)]);

        yield return Sample("sub", "matrix", [AwayFromZero(120, 2, 3), AwayFromZero(121, 2, 3)]);
        yield return Sample("sub", "rank 0", [Scalar(1.5), Scalar(-0.25)]);

        yield return Sample("div", "both signs", [AwayFromZero(122, 2, 3), AwayFromZero(123, 2, 3)]);
        yield return Sample("div", "rank 0", [Scalar(-0.9), Scalar(1.7)]);

        yield return Sample("pow", "positive base", [Uniform(124, 0.4, 2.5, 2, 3), Uniform(125, -2, 3, 2, 3)]);
        yield return Sample("pow", "rank 0", [Scalar(1.3), Scalar(2.5)]);
        yield return Sample("pow", "integer exponents", [Uniform(126, 0.5, 2, 4), Values([2, 3, -1, 0], 4)]);

        yield return Sample("max", "no ties", [Values([0.5, -1.2, 2.0, -0.3, 1.1, -2.4], 2, 3), Values([-0.7, 0.9, 1.4, -1.5, 1.8, 0.2], 2, 3)]);
        yield return Sample("max", "rank 0", [Scalar(-0.4), Scalar(0.6)]);
        yield return Sample("max", "random", [AwayFromZero(127, 5), AwayFromZero(128, 5)]);

        yield return Sample("min", "no ties", [Values([0.5, -1.2, 2.0, -0.3, 1.1, -2.4], 2, 3), Values([-0.7, 0.9, 1.4, -1.5, 1.8, 0.2], 2, 3)]);
        yield return Sample("min", "rank 0", [Scalar(1.6), Scalar(0.6)]);
        yield return Sample("min", "random", [AwayFromZero(129, 5), AwayFromZero(130, 5)]);

        yield return Sample("where", "mixed condition", [Bools([true, false, true, false, false, true], 2, 3), AwayFromZero(131, 2, 3), AwayFromZero(132, 2, 3)]);
        yield return Sample("where", "rank 0 true", [HostTensor.FromArray(new[] { true }), Scalar(0.3), Scalar(-1.4)]);
        yield return Sample("where", "rank 0 false", [HostTensor.FromArray(new[] { false }), Scalar(0.3), Scalar(-1.4)]);

        // Only float64 → float64 can be gradchecked (a narrower result makes central differences too coarse);
        // narrowing and integer casts are tested in CastGradientTests.
        yield return Sample("cast", "f64 to f64", [AwayFromZero(133, 2, 3)], DTypeAttr("dtype", DType.F64));
        yield return Sample("cast", "rank 0", [Scalar(-0.8)], DTypeAttr("dtype", DType.F64));
    }

    public override IEnumerable<(string Op, string Reason)> NotDifferentiable =>
    [
        ("lt", "comparison: its result is bool"),
        ("le", "comparison: its result is bool"),
        ("gt", "comparison: its result is bool"),
        ("ge", "comparison: its result is bool"),
        ("eq", "comparison: its result is bool"),
        ("ne", "comparison: its result is bool"),
        ("and", "logical/bitwise: integer and bool operands only"),
        ("or", "logical/bitwise: integer and bool operands only"),
        ("xor", "logical/bitwise: integer and bool operands only"),
        ("not", "logical/bitwise: integer and bool operands only"),
        ("stop_gradient", "identity whose derivative is defined as zero; tested in StopGradientTests"),
    ];
}
