namespace GraphDL.Tests.Autodiff.Samples;

/// <summary>Movement primitives: their rules move the cotangent back (reshape, inverse permute, scatter into zeros, slice, split).</summary>
public sealed class MovementGradSamples : GradSampleSet
{
    public override IEnumerable<GradSample> Samples()
    {
        yield return Sample("reshape", "matrix to matrix", [AwayFromZero(101, 2, 3)], Ints("shape", 3, 2));
        yield return Sample("reshape", "merge and split", [AwayFromZero(102, 2, 3, 2)], Ints("shape", 4, 1, 3));

        yield return Sample("permute", "transpose", [AwayFromZero(103, 2, 3)], Ints("perm", 1, 0));
        yield return Sample("permute", "rotate rank 3", [AwayFromZero(104, 2, 3, 2)], Ints("perm", 2, 0, 1));

        yield return Sample("slice", "step 1", [AwayFromZero(105, 3, 4)], Ints("start", 1, 0), Ints("stop", 3, 3), Ints("step", 1, 1));
        // Step 2 reaching the end on one axis, stopping short on the other: 5 rows from 1 give rows 1, 3.
        yield return Sample("slice", "step 2", [AwayFromZero(106, 5, 4)], Ints("start", 1, 0), Ints("stop", 5, 3), Ints("step", 2, 2));
        // Step 3 over 0..7 gives 0, 3, 6: the dilated cotangent (9 long) is trimmed to 7 before padding.
        yield return Sample("slice", "step 3", [AwayFromZero(107, 2, 10)], Ints("start", 0, 0), Ints("stop", 2, 7), Ints("step", 1, 3));
        yield return Sample("slice", "step 3 from inside", [AwayFromZero(108, 8, 2)], Ints("start", 1, 1), Ints("stop", 8, 2), Ints("step", 3, 1));

        yield return Sample("pad", "lo and hi", [AwayFromZero(109, 2, 3)], Ints("lo", 1, 0), Ints("hi", 0, 2), ScalarAttr("value", 0.0));
        // A non-zero fill is a constant: no gradient, and the tangent is padded with zeros.
        yield return Sample("pad", "non-zero fill", [AwayFromZero(110, 3, 2)], Ints("lo", 2, 1), Ints("hi", 1, 1), ScalarAttr("value", 1.5));

        yield return Sample("concat", "three along axis 1", [AwayFromZero(111, 2, 1), AwayFromZero(112, 2, 3), AwayFromZero(113, 2, 2)], Int("axis", 1));
        yield return Sample("concat", "two along axis 0", [AwayFromZero(114, 1, 3), AwayFromZero(115, 2, 3)], Int("axis", 0));
    }
}
