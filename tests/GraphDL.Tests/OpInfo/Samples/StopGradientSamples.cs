using GraphDL.IR;

namespace GraphDL.Tests.OpInfo.Samples;

/// <summary>
/// stop_gradient: the identity on every dtype (its effect is on autodiff, tested in StopGradientTests), so each
/// expectation is the operand itself, written out again; NaN payloads, infinities and signed zeros pass unchanged.
/// </summary>
public sealed class StopGradientSamples : OpSampleSet
{
    private const float Inf = float.PositiveInfinity;
    private const float NaN = float.NaN;

    private static OpSample Identity(string name, Covers covers, HostTensor x, HostTensor expected) =>
        Sample("stop_gradient", name, covers).In(x).Expect(expected);

    public override IEnumerable<OpSample> Samples()
    {
        yield return Identity("f32 vector", Covers.Negative, T.F32([1, -2.5f, 3e38f, -1e-45f]), T.F32([1, -2.5f, 3e38f, -1e-45f]));
        yield return Identity("rank 0 f64", Covers.Rank0 | Covers.Negative, T.Scalar(-0.25), T.Scalar(-0.25));
        yield return Identity("size-1 dims i32", Covers.Size1 | Covers.Negative, T.I32([1, -2, int.MinValue], 1, 1, 3), T.I32([1, -2, int.MinValue], 1, 1, 3));
        yield return Identity("empty f16", Covers.Empty, T.Empty(DType.F16, 0, 3), T.Empty(DType.F16, 0, 3));
        yield return Identity("nan, inf, signed zero", Covers.NonFinite, T.F32([NaN, Inf, -Inf, 0, -0f]), T.F32([NaN, Inf, -Inf, 0, -0f]));
        yield return Identity("i64 beyond f64 precision", Covers.Negative, T.I64([long.MinValue, long.MaxValue, (1L << 53) + 1]), T.I64([long.MinValue, long.MaxValue, (1L << 53) + 1]));
        yield return Identity("bool rank 0", Covers.Rank0, T.Scalar(true), T.Scalar(true));
        yield return Identity("bool matrix size-1", Covers.Size1, T.Bool([true, false, false], 3, 1), T.Bool([true, false, false], 3, 1));
        yield return Identity("bf16", Covers.Negative, T.Of(DType.BF16, [1.5, -3.3895313892515355e38, 0]), T.Of(DType.BF16, [1.5, -3.3895313892515355e38, 0]));
        yield return Sample("stop_gradient", "two operands", Covers.Error).In(T.F32([1, 2]), T.F32([1, 2])).Throws("takes 1 operand, got 2");
        yield return Sample("stop_gradient", "no operands", Covers.Error).Throws("takes 1 operand, got 0");
    }
}
