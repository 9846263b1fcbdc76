namespace GraphDL.Tests.Codegen;

/// <summary>
/// Double-precision references for <c>VectorMath</c>, rounded to float by the caller: <see cref="Math"/> where it has
/// the function, and accurate double formulas where it has none (.NET's <c>double.ExpM1</c> and <c>double.LogP1</c>
/// are <c>Exp(x) − 1</c> and <c>Log(x + 1)</c>, which cancel near 0).
/// </summary>
internal static class VectorMathReference
{
    public static double Exp(float x) => Math.Exp(x);

    public static double Log(float x) => Math.Log(x);

    public static double Tanh(float x) => Math.Tanh(x);

    public static double Sin(float x) => Math.Sin(x);

    public static double Cos(float x) => Math.Cos(x);

    public static double Logistic(float x) => 1.0 / (1.0 + Math.Exp(-(double)x));

    /// <summary>
    /// erf(x) = (2x/√π)·e^−x²·Σ (2x²)^n / (1·3·…·(2n+1)) (Abramowitz &amp; Stegun 7.1.6): every term positive, so the
    /// sum keeps double's relative accuracy; |x| ≥ 6 gives ±1 (erfc(6) ≈ 2e-17). x² is exact in double for a float x.
    /// </summary>
    public static double Erf(float x)
    {
        double a = Math.Abs((double)x);
        if (double.IsNaN(a))
        {
            return double.NaN;
        }
        if (a >= 6)
        {
            return Math.CopySign(1.0, x);
        }
        double twoA2 = 2 * a * a;
        double term = 1, sum = 1;
        for (int n = 1; term > 1e-18 * sum; n++)
        {
            term *= twoA2 / (2 * n + 1);
            sum += term;
        }
        return x * (2 / Math.Sqrt(Math.PI)) * Math.Exp(-a * a) * sum;
    }

    /// <summary>e^x − 1 = 2t/(1 − t) with t = tanh(x/2) for |x| &lt; 1, where Exp(x) − 1 would cancel; Exp(x) − 1 elsewhere.</summary>
    public static double Expm1(float x)
    {
        double d = x;
        if (Math.Abs(d) < 1)
        {
            double t = Math.Tanh(d / 2);
            return 2 * t / (1 - t);
        }
        return Math.Exp(d) - 1;
    }

    /// <summary>log(1 + x): 1 + x is exact in double for a float x of magnitude ≥ 2^-29; below, the Taylor terms.</summary>
    public static double Log1p(float x)
    {
        double d = x;
        if (Math.Abs(d) < 1.0 / (1 << 29))
        {
            return d * (1 - d * (1.0 / 2 - d / 3));
        }
        return Math.Log(1 + d);
    }
}
