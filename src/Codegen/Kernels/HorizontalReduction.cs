using System.Runtime.Intrinsics;

namespace GraphDL.Codegen.Kernels;

/// <summary>
/// The maximum and minimum across the lanes of a vector, for the end of a generated kernel's vectorized max/min
/// reduction (sums use <c>Vector512.Sum</c>). Lanes combine with <see cref="Math.Max(float, float)"/>: NaN propagates
/// and −0 &lt; +0, as in the IR's reduce_max and reduce_min, so the result does not depend on the lane order.
/// </summary>
public static class HorizontalReduction
{
    public static float Max(Vector512<float> v) => Max(Vector256.Max(v.GetLower(), v.GetUpper()));

    public static float Max(Vector256<float> v) => Max(Vector128.Max(v.GetLower(), v.GetUpper()));

    public static float Max(Vector128<float> v) => Math.Max(Math.Max(v[0], v[1]), Math.Max(v[2], v[3]));

    public static double Max(Vector512<double> v) => Max(Vector256.Max(v.GetLower(), v.GetUpper()));

    public static double Max(Vector256<double> v) => Max(Vector128.Max(v.GetLower(), v.GetUpper()));

    public static double Max(Vector128<double> v) => Math.Max(v[0], v[1]);

    public static float Min(Vector512<float> v) => Min(Vector256.Min(v.GetLower(), v.GetUpper()));

    public static float Min(Vector256<float> v) => Min(Vector128.Min(v.GetLower(), v.GetUpper()));

    public static float Min(Vector128<float> v) => Math.Min(Math.Min(v[0], v[1]), Math.Min(v[2], v[3]));

    public static double Min(Vector512<double> v) => Min(Vector256.Min(v.GetLower(), v.GetUpper()));

    public static double Min(Vector256<double> v) => Min(Vector128.Min(v.GetLower(), v.GetUpper()));

    public static double Min(Vector128<double> v) => Math.Min(v[0], v[1]);
}
