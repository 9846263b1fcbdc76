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
/// over every float bit pattern plus dense sweeps at the hard points; the bounds stated are the maxima of a sweep of
/// all 2^32 inputs (the same test with GRAPHDL_VECTORMATH_FULL_SWEEP=1), subnormal inputs and results included.
/// </para>
/// <para>Special values follow the reference rounded to float: NaN in gives NaN, ±Inf and overflow/underflow give
/// what the rounded double result is, signed zeros are kept where the function is odd or passes through 0 with
/// slope 1 (tanh, erf, expm1, log1p of −0 are −0).</para>
/// </remarks>
public static partial class VectorMath
{
    /// <summary>
    /// e^x. Max error 1 ulp. Cody–Waite reduction by ln 2 and Cephes' degree-7 polynomial; results scale by 2^k in two
    /// steps, so overflow gives +Inf and underflow gives correctly scaled subnormals and then 0 (x &lt; −103.97).
    /// exp(NaN) = NaN, exp(−Inf) = 0, exp(+Inf) = +Inf.
    /// </summary>
    public static Vector512<float> Exp(Vector512<float> x) => ExpCore<Vector512<float>, Lanes512>(x);

    /// <inheritdoc cref="Exp(Vector512{float})"/>
    public static Vector256<float> Exp(Vector256<float> x) => ExpCore<Vector256<float>, Lanes256>(x);

    /// <inheritdoc cref="Exp(Vector512{float})"/>
    public static Vector128<float> Exp(Vector128<float> x) => ExpCore<Vector128<float>, Lanes128>(x);

    /// <inheritdoc cref="Exp(Vector512{float})"/>
    public static float Exp(float x) => ExpCore<float, ScalarLanes>(x);

    /// <summary>
    /// The natural logarithm. Max error 1 ulp. Exponent/mantissa split at √½ and Cephes' degree-8 polynomial for
    /// log(1 + f); subnormal inputs are exact-scaled first. log(±0) = −Inf, log(x &lt; 0) = NaN (−0 is not negative
    /// here, as in System.Math), log(+Inf) = +Inf, log(NaN) = NaN.
    /// </summary>
    public static Vector512<float> Log(Vector512<float> x) => LogCore<Vector512<float>, Lanes512>(x);

    /// <inheritdoc cref="Log(Vector512{float})"/>
    public static Vector256<float> Log(Vector256<float> x) => LogCore<Vector256<float>, Lanes256>(x);

    /// <inheritdoc cref="Log(Vector512{float})"/>
    public static Vector128<float> Log(Vector128<float> x) => LogCore<Vector128<float>, Lanes128>(x);

    /// <inheritdoc cref="Log(Vector512{float})"/>
    public static float Log(float x) => LogCore<float, ScalarLanes>(x);

    /// <summary>
    /// The hyperbolic tangent. Max error 1 ulp (relative, down to the subnormals near 0). Cephes' odd polynomial for
    /// |x| &lt; 0.625, 1 − 2/(e^2|x| + 1) above, x's sign applied last: tanh(±0) = ±0, tanh(±Inf) = ±1,
    /// tanh(NaN) = NaN.
    /// </summary>
    public static Vector512<float> Tanh(Vector512<float> x) => TanhCore<Vector512<float>, Lanes512>(x);

    /// <inheritdoc cref="Tanh(Vector512{float})"/>
    public static Vector256<float> Tanh(Vector256<float> x) => TanhCore<Vector256<float>, Lanes256>(x);

    /// <inheritdoc cref="Tanh(Vector512{float})"/>
    public static Vector128<float> Tanh(Vector128<float> x) => TanhCore<Vector128<float>, Lanes128>(x);

    /// <inheritdoc cref="Tanh(Vector512{float})"/>
    public static float Tanh(float x) => TanhCore<float, ScalarLanes>(x);

    /// <summary>
    /// The logistic sigmoid 1/(1 + e^−x). Max error 2 ulp. From t = e^−|x|: 1/(1 + t) for x ≥ 0 and t/(1 + t) for
    /// x &lt; 0, so large negative x keeps its tiny (down to subnormal) results. Logistic(+Inf) = 1,
    /// Logistic(−Inf) = 0, Logistic(NaN) = NaN.
    /// </summary>
    public static Vector512<float> Logistic(Vector512<float> x) => LogisticCore<Vector512<float>, Lanes512>(x);

    /// <inheritdoc cref="Logistic(Vector512{float})"/>
    public static Vector256<float> Logistic(Vector256<float> x) => LogisticCore<Vector256<float>, Lanes256>(x);

    /// <inheritdoc cref="Logistic(Vector512{float})"/>
    public static Vector128<float> Logistic(Vector128<float> x) => LogisticCore<Vector128<float>, Lanes128>(x);

    /// <inheritdoc cref="Logistic(Vector512{float})"/>
    public static float Logistic(float x) => LogisticCore<float, ScalarLanes>(x);

    /// <summary>
    /// The error function. Max error 1 ulp (relative, down to the subnormals near 0). Cephes' odd polynomial for
    /// |x| &lt; 1; 1 − e^−x²·R(1/x)/x above, with R a degree-7 polynomial fitted for this class and x² split exactly;
    /// x's sign applied last: erf(±0) = ±0, erf(±Inf) = ±1, erf(NaN) = NaN.
    /// </summary>
    public static Vector512<float> Erf(Vector512<float> x) => ErfCore<Vector512<float>, Lanes512>(x);

    /// <inheritdoc cref="Erf(Vector512{float})"/>
    public static Vector256<float> Erf(Vector256<float> x) => ErfCore<Vector256<float>, Lanes256>(x);

    /// <inheritdoc cref="Erf(Vector512{float})"/>
    public static Vector128<float> Erf(Vector128<float> x) => ErfCore<Vector128<float>, Lanes128>(x);

    /// <inheritdoc cref="Erf(Vector512{float})"/>
    public static float Erf(float x) => ErfCore<float, ScalarLanes>(x);

    /// <summary>
    /// e^x − 1, accurate near 0. Max error 1 ulp. The reduction and polynomial of <see cref="Exp(Vector512{float})"/>,
    /// recombined as 2·(2^(k−1)·(e^r − 1) + 2^(k−1) − ½) with one rounding. expm1(±0) = ±0, expm1(−Inf) = −1,
    /// expm1(+Inf) = +Inf, expm1(NaN) = NaN.
    /// </summary>
    public static Vector512<float> Expm1(Vector512<float> x) => Expm1Core<Vector512<float>, Lanes512>(x);

    /// <inheritdoc cref="Expm1(Vector512{float})"/>
    public static Vector256<float> Expm1(Vector256<float> x) => Expm1Core<Vector256<float>, Lanes256>(x);

    /// <inheritdoc cref="Expm1(Vector512{float})"/>
    public static Vector128<float> Expm1(Vector128<float> x) => Expm1Core<Vector128<float>, Lanes128>(x);

    /// <inheritdoc cref="Expm1(Vector512{float})"/>
    public static float Expm1(float x) => Expm1Core<float, ScalarLanes>(x);

    /// <summary>
    /// log(1 + x), accurate near 0. Max error 1 ulp. The polynomial of <see cref="Log(Vector512{float})"/> on the
    /// mantissa of u = 1 + x, plus the first-order correction (x − (u − 1))/u for the rounding of u.
    /// log1p(±0) = ±0, log1p(−1) = −Inf, log1p(x &lt; −1) = NaN, log1p(+Inf) = +Inf, log1p(NaN) = NaN.
    /// </summary>
    public static Vector512<float> Log1p(Vector512<float> x) => Log1pCore<Vector512<float>, Lanes512>(x);

    /// <inheritdoc cref="Log1p(Vector512{float})"/>
    public static Vector256<float> Log1p(Vector256<float> x) => Log1pCore<Vector256<float>, Lanes256>(x);

    /// <inheritdoc cref="Log1p(Vector512{float})"/>
    public static Vector128<float> Log1p(Vector128<float> x) => Log1pCore<Vector128<float>, Lanes128>(x);

    /// <inheritdoc cref="Log1p(Vector512{float})"/>
    public static float Log1p(float x) => Log1pCore<float, ScalarLanes>(x);

    /// <summary>
    /// The sine. Max error 2 ulp. Reduction by π/2 in three FMA steps (Cody–Waite) and Cephes' polynomials,
    /// for |x| &lt; 2^20; lanes beyond take (float)Math.Sin((double)x) (exact reduction, slow path).
    /// sin(±0) = ±0, sin(±Inf) = NaN, sin(NaN) = NaN.
    /// </summary>
    public static Vector512<float> Sin(Vector512<float> x) => SinCore<Vector512<float>, Lanes512>(x);

    /// <inheritdoc cref="Sin(Vector512{float})"/>
    public static Vector256<float> Sin(Vector256<float> x) => SinCore<Vector256<float>, Lanes256>(x);

    /// <inheritdoc cref="Sin(Vector512{float})"/>
    public static Vector128<float> Sin(Vector128<float> x) => SinCore<Vector128<float>, Lanes128>(x);

    /// <inheritdoc cref="Sin(Vector512{float})"/>
    public static float Sin(float x) => SinCore<float, ScalarLanes>(x);

    /// <summary>
    /// The cosine. Max error 2 ulp. The reduction and polynomials of <see cref="Sin(Vector512{float})"/>, one
    /// quadrant on; lanes with |x| ≥ 2^20 take (float)Math.Cos((double)x). cos(±Inf) = NaN, cos(NaN) = NaN.
    /// </summary>
    public static Vector512<float> Cos(Vector512<float> x) => CosCore<Vector512<float>, Lanes512>(x);

    /// <inheritdoc cref="Cos(Vector512{float})"/>
    public static Vector256<float> Cos(Vector256<float> x) => CosCore<Vector256<float>, Lanes256>(x);

    /// <inheritdoc cref="Cos(Vector512{float})"/>
    public static Vector128<float> Cos(Vector128<float> x) => CosCore<Vector128<float>, Lanes128>(x);

    /// <inheritdoc cref="Cos(Vector512{float})"/>
    public static float Cos(float x) => CosCore<float, ScalarLanes>(x);
}
