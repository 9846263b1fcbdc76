using GraphDL.IR;

namespace GraphDL.Tests.Autodiff.Samples;

/// <summary>
/// reduce_max and reduce_min. The operand values are distinct (and far apart on the scale of gradcheck's steps), so
/// each extremum is unique and the rules' split among ties does not arise; TieGradientTests covers ties.
/// </summary>
public sealed class ReductionGradSamples : GradSampleSet
{
    public override IEnumerable<GradSample> Samples()
    {
        foreach (var op in new[] { "reduce_max", "reduce_min" })
        {
            yield return Sample(op, "rows", [AwayFromZero(201, 2, 3)], Ints("axes", 1), Bool("keepdims", false));
            yield return Sample(op, "columns kept", [AwayFromZero(202, 3, 4)], Ints("axes", 0), Bool("keepdims", true));
            yield return Sample(op, "all to rank 0", [AwayFromZero(203, 2, 3)], Ints("axes", 0, 1), Bool("keepdims", false));
            yield return Sample(op, "outer axes of rank 3", [AwayFromZero(204, 2, 3, 2)], Ints("axes", 0, 2), Bool("keepdims", false));
            yield return Sample(op, "rank 0 no axes", [HostTensor.FromArray(new[] { -0.6 })], Ints("axes"), Bool("keepdims", false));
        }
    }

    public override IEnumerable<(string Op, string Reason)> NotDifferentiable =>
    [
        ("argmax", "its result is an i64 index"),
        ("argmin", "its result is an i64 index"),
    ];
}
