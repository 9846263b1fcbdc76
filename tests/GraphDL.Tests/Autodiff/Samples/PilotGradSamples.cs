namespace GraphDL.Tests.Autodiff.Samples;

/// <summary>The first rules, written with the autodiff machinery.</summary>
public sealed class PilotGradSamples : GradSampleSet
{
    public override IEnumerable<GradSample> Samples()
    {
        yield return Sample("add", "matrix", [AwayFromZero(1, 2, 3), AwayFromZero(2, 2, 3)]);

        yield return Sample("mul", "matrix", [AwayFromZero(4, 2, 3), AwayFromZero(5, 2, 3)]);
        yield return Sample("exp", "vector", [Uniform(6, -2, 2, 5)]);
        yield return Sample("broadcast_in_dim", "row to matrix", [AwayFromZero(7, 3)], Ints("shape", 2, 3), Ints("dims", 1));
        yield return Sample("broadcast_in_dim", "size-1 expand", [AwayFromZero(8, 2, 1)], Ints("shape", 4, 2, 3), Ints("dims", 1, 2));
        yield return Sample("reduce_sum", "rows", [AwayFromZero(9, 2, 3)], Ints("axes", 1), Bool("keepdims", false));
        yield return Sample("reduce_sum", "all kept", [AwayFromZero(10, 2, 3)], Ints("axes", 0, 1), Bool("keepdims", true));
    }
}
