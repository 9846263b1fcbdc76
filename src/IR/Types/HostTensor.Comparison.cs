namespace GraphDL.IR;

public sealed partial class HostTensor
{
    /// <summary>
    /// NumPy's <c>allclose</c>: same shape, and every element satisfies |a − b| ≤ atol + rtol·|b| (b is
    /// <paramref name="expected"/>). Infinities must match exactly; NaN matches NaN only with <paramref name="equalNan"/>.
    /// Compares values, so an f32 tensor can be checked against an f64 expectation; integer and bool tensors compare exactly.
    /// </summary>
    public bool AllClose(HostTensor expected, double rtol = 1e-5, double atol = 1e-8, bool equalNan = false) =>
        FirstMismatch(expected, rtol, atol, equalNan) is null;

    /// <summary>Describes the first element that fails <see cref="AllClose"/>, or null when all pass.</summary>
    public string? FirstMismatch(HostTensor expected, double rtol = 1e-5, double atol = 1e-8, bool equalNan = false)
    {
        if (Shape != expected.Shape)
        {
            return $"shape {Shape} differs from expected {expected.Shape}";
        }
        bool integers = !DType.IsFloat() && !expected.DType.IsFloat();
        for (long i = 0; i < ElementCount; i++)
        {
            if (integers)
            {
                // Exactly, not through double: i64 neighbours above 2^53 would look equal there.
                long got = GetInt64(i), want = expected.GetInt64(i);
                if (got != want && !(Math.Abs((double)((Int128)got - want)) <= atol + rtol * Math.Abs((double)want)))
                {
                    var at = string.Join(",", Shape.Unravel(i));
                    return $"element [{at}] is {got}, expected {want}";
                }
                continue;
            }
            double actual = GetDouble(i), wanted = expected.GetDouble(i);
            if (!IsClose(actual, wanted, rtol, atol, equalNan))
            {
                var index = string.Join(",", Shape.Unravel(i));
                return $"element [{index}] is {actual:R}, expected {wanted:R} (|diff| {Math.Abs(actual - wanted):G3}, allowed {atol + rtol * Math.Abs(wanted):G3})";
            }
        }
        return null;
    }

    public static bool IsClose(double actual, double expected, double rtol, double atol, bool equalNan)
    {
        if (double.IsNaN(actual) || double.IsNaN(expected))
        {
            return equalNan && double.IsNaN(actual) && double.IsNaN(expected);
        }
        if (double.IsInfinity(actual) || double.IsInfinity(expected))
        {
            return actual == expected;
        }
        return Math.Abs(actual - expected) <= atol + rtol * Math.Abs(expected);
    }

    /// <summary>Same type and the same bits in every element (NaN payloads included for floats).</summary>
    public bool BitEquals(HostTensor other)
    {
        if (Type != other.Type)
        {
            return false;
        }
        for (long i = 0; i < ElementCount; i++)
        {
            if (!GetScalar(i).Equals(other.GetScalar(i)))
            {
                return false;
            }
        }
        return true;
    }
}
