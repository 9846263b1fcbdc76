using System.Runtime.Intrinsics;

namespace GraphDL.Codegen.Kernels;

/// <summary>
/// Vectorized float32 transcendental functions for generated kernels, each in four widths — <see cref="Vector512{T}"/>,
/// <see cref="Vector256{T}"/>, <see cref="Vector128{T}"/> and scalar <see cref="float"/> — that compute the same
/// algorithm with the same per-lane operations, so all four give bit-identical results (NaN payloads aside) and a
/// kernel's scalar tail matches its vector body.
/// </summary>
/// <remarks>
/// <para>Each algorithm is written once, generic over <see cref="IFloatLanes{TVec}"/>; branches are lane selects.
/// Errors are measured, not estimated, by <c>VectorMathTests</c> against the float nearest the double-precision
/// reference (<see cref="Math"/> where it has the function), as the distance in representable floats: strided sweeps
/// over every float bit pattern plus dense sweeps at the hard points; the bounds stated hold over the whole float
/// range, including subnormal inputs and results.</para>
/// <para>Special values follow the reference rounded to float: NaN in gives NaN, ±Inf and overflow/underflow give
/// what the rounded double result is, signed zeros are kept where the function is odd or passes through 0 with
/// slope 1 (tanh, erf, expm1, log1p of −0 are −0).</para>
/// </remarks>
public static partial class VectorMath
{
    /// <summary>e^x. Max error ULP_EXP (see the remarks of <see cref="VectorMath"/>).</summary>
    public static Vector512<float> Exp(Vector512<float> x) => ExpCore<Vector512<float>, Lanes512>(x);

    /// <inheritdoc cref="Exp(Vector512{float})"/>
    public static Vector256<float> Exp(Vector256<float> x) => ExpCore<Vector256<float>, Lanes256>(x);

    /// <inheritdoc cref="Exp(Vector512{float})"/>
    public static Vector128<float> Exp(Vector128<float> x) => ExpCore<Vector128<float>, Lanes128>(x);

    /// <inheritdoc cref="Exp(Vector512{float})"/>
    public static float Exp(float x) => ExpCore<float, ScalarLanes>(x);

    /// <summary>The natural logarithm. Max error ULP_LOG (see the remarks of <see cref="VectorMath"/>).</summary>
    public static Vector512<float> Log(Vector512<float> x) => LogCore<Vector512<float>, Lanes512>(x);

    /// <inheritdoc cref="Log(Vector512{float})"/>
    public static Vector256<float> Log(Vector256<float> x) => LogCore<Vector256<float>, Lanes256>(x);

    /// <inheritdoc cref="Log(Vector512{float})"/>
    public static Vector128<float> Log(Vector128<float> x) => LogCore<Vector128<float>, Lanes128>(x);

    /// <inheritdoc cref="Log(Vector512{float})"/>
    public static float Log(float x) => LogCore<float, ScalarLanes>(x);

    /// <summary>The hyperbolic tangent. Max error ULP_TANH (see the remarks of <see cref="VectorMath"/>).</summary>
    public static Vector512<float> Tanh(Vector512<float> x) => TanhCore<Vector512<float>, Lanes512>(x);

    /// <inheritdoc cref="Tanh(Vector512{float})"/>
    public static Vector256<float> Tanh(Vector256<float> x) => TanhCore<Vector256<float>, Lanes256>(x);

    /// <inheritdoc cref="Tanh(Vector512{float})"/>
    public static Vector128<float> Tanh(Vector128<float> x) => TanhCore<Vector128<float>, Lanes128>(x);

    /// <inheritdoc cref="Tanh(Vector512{float})"/>
    public static float Tanh(float x) => TanhCore<float, ScalarLanes>(x);

    /// <summary>The logistic sigmoid 1/(1 + e^−x). Max error ULP_LOGISTIC (see the remarks of <see cref="VectorMath"/>).</summary>
    public static Vector512<float> Logistic(Vector512<float> x) => LogisticCore<Vector512<float>, Lanes512>(x);

    /// <inheritdoc cref="Logistic(Vector512{float})"/>
    public static Vector256<float> Logistic(Vector256<float> x) => LogisticCore<Vector256<float>, Lanes256>(x);

    /// <inheritdoc cref="Logistic(Vector512{float})"/>
    public static Vector128<float> Logistic(Vector128<float> x) => LogisticCore<Vector128<float>, Lanes128>(x);

    /// <inheritdoc cref="Logistic(Vector512{float})"/>
    public static float Logistic(float x) => LogisticCore<float, ScalarLanes>(x);

    /// <summary>The error function. Max error ULP_ERF (see the remarks of <see cref="VectorMath"/>).</summary>
    public static Vector512<float> Erf(Vector512<float> x) => ErfCore<Vector512<float>, Lanes512>(x);

    /// <inheritdoc cref="Erf(Vector512{float})"/>
    public static Vector256<float> Erf(Vector256<float> x) => ErfCore<Vector256<float>, Lanes256>(x);

    /// <inheritdoc cref="Erf(Vector512{float})"/>
    public static Vector128<float> Erf(Vector128<float> x) => ErfCore<Vector128<float>, Lanes128>(x);

    /// <inheritdoc cref="Erf(Vector512{float})"/>
    public static float Erf(float x) => ErfCore<float, ScalarLanes>(x);

    /// <summary>e^x − 1, accurate near 0. Max error ULP_EXPM1 (see the remarks of <see cref="VectorMath"/>).</summary>
    public static Vector512<float> Expm1(Vector512<float> x) => Expm1Core<Vector512<float>, Lanes512>(x);

    /// <inheritdoc cref="Expm1(Vector512{float})"/>
    public static Vector256<float> Expm1(Vector256<float> x) => Expm1Core<Vector256<float>, Lanes256>(x);

    /// <inheritdoc cref="Expm1(Vector512{float})"/>
    public static Vector128<float> Expm1(Vector128<float> x) => Expm1Core<Vector128<float>, Lanes128>(x);

    /// <inheritdoc cref="Expm1(Vector512{float})"/>
    public static float Expm1(float x) => Expm1Core<float, ScalarLanes>(x);

    /// <summary>log(1 + x), accurate near 0. Max error ULP_LOG1P (see the remarks of <see cref="VectorMath"/>).</summary>
    public static Vector512<float> Log1p(Vector512<float> x) => Log1pCore<Vector512<float>, Lanes512>(x);

    /// <inheritdoc cref="Log1p(Vector512{float})"/>
    public static Vector256<float> Log1p(Vector256<float> x) => Log1pCore<Vector256<float>, Lanes256>(x);

    /// <inheritdoc cref="Log1p(Vector512{float})"/>
    public static Vector128<float> Log1p(Vector128<float> x) => Log1pCore<Vector128<float>, Lanes128>(x);

    /// <inheritdoc cref="Log1p(Vector512{float})"/>
    public static float Log1p(float x) => Log1pCore<float, ScalarLanes>(x);
}
