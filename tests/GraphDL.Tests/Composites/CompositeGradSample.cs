using GraphDL.IR;

namespace GraphDL.Tests.Composites;

/// <summary>
/// One gradcheck point of a composite: the composite's name (the stem of its file under src/Frontend/Functional, e.g.
/// <c>CrossEntropy</c>), a variant name, the function built with the composite, and its inputs: float64 values
/// (differentiated) and integer values (held fixed: class indices, Philox seeds and offsets).
/// </summary>
public sealed record CompositeGradSample(string Composite, string Variant, Func<Tensor[], Tensor> Function, HostTensor[] Inputs)
{
    public string Id => $"{Composite}/{Variant}";

    public override string ToString() => Id;
}

/// <summary>Gradcheck samples for some composites; subclasses are found by reflection, so each family can add its own file.</summary>
public abstract class CompositeGradSampleSet
{
    public abstract IEnumerable<CompositeGradSample> Samples();

    /// <summary>Composite files without gradcheck samples, each with the reason (integer results, no float inputs, ...).</summary>
    public virtual IEnumerable<(string Composite, string Reason)> Exempt => [];

    protected static CompositeGradSample Sample(string composite, string variant, Func<Tensor[], Tensor> function, params HostTensor[] inputs) =>
        new(composite, variant, function, inputs);

    /// <summary>Float64 values of the given shape.</summary>
    protected static HostTensor F64(double[] values, params int[] shape) => HostTensor.FromDoubles(DType.F64, new Shape(shape), values);

    /// <summary>Int64 values of the given shape (a scalar when no shape is given and one value).</summary>
    protected static HostTensor I64(long[] values, params int[] shape) => HostTensor.FromInt64s(DType.I64, new Shape(shape), values);

    protected static HostTensor I64Scalar(long value) => HostTensor.FromInt64s(DType.I64, Shape.Scalar, [value]);

    /// <summary>Seeded float64 values uniform in [lo, hi).</summary>
    protected static HostTensor Uniform(int seed, double lo, double hi, params int[] shape)
    {
        var random = new Random(seed);
        var values = new double[new Shape(shape).ElementCount];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = lo + (hi - lo) * random.NextDouble();
        }
        return F64(values, shape);
    }

    /// <summary>Seeded float64 values with magnitudes in [0.2, 2) and random signs: away from the kinks at 0.</summary>
    protected static HostTensor AwayFromZero(int seed, params int[] shape)
    {
        var random = new Random(seed);
        var values = new double[new Shape(shape).ElementCount];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = (0.2 + 1.8 * random.NextDouble()) * (random.Next(2) == 0 ? -1 : 1);
        }
        return F64(values, shape);
    }

    /// <summary>Seeded distinct float64 values, a random permutation of 0.5·k − n/4 plus small jitter: no ties for max.</summary>
    protected static HostTensor Distinct(int seed, params int[] shape)
    {
        var random = new Random(seed);
        int n = (int)new Shape(shape).ElementCount;
        var values = Enumerable.Range(0, n).Select(k => 0.5 * k - n / 4.0 + 0.1 * random.NextDouble()).OrderBy(_ => random.Next()).ToArray();
        return F64(values, shape);
    }
}
