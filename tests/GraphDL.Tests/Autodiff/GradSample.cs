using GraphDL.IR;

namespace GraphDL.Tests.Autodiff;

/// <summary>
/// One point at which a primitive's derivatives are checked: float64 inputs (away from kinks and poles) and
/// attributes. Integer inputs (indices) are passed through undifferentiated.
/// </summary>
public sealed record GradSample(string Op, string Name, HostTensor[] Inputs, (string Name, Attr Value)[] Attributes)
{
    public string Id => $"{Op}/{Name}";

    public override string ToString() => Id;
}

/// <summary>Gradient samples for a family of primitives; subclasses are found by reflection.</summary>
public abstract class GradSampleSet
{
    public abstract IEnumerable<GradSample> Samples();

    /// <summary>Primitives that have no derivative at all, with the reason (bool results, integer-only operands, ...).</summary>
    public virtual IEnumerable<(string Op, string Reason)> NotDifferentiable => [];

    protected static GradSample Sample(string op, string name, HostTensor[] inputs, params (string, Attr)[] attributes) =>
        new(op, name, inputs, attributes);

    /// <summary>Seeded float64 values uniform in [lo, hi), of the given shape.</summary>
    protected static HostTensor Uniform(int seed, double lo, double hi, params int[] shape)
    {
        var random = new Random(seed);
        var type = new TensorType(DType.F64, new Shape(shape));
        var values = new double[type.ElementCount];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = lo + (hi - lo) * random.NextDouble();
        }
        return HostTensor.FromDoubles(DType.F64, type.Shape, values);
    }

    /// <summary>Seeded float64 values with magnitudes in [0.2, 2) and random signs: no value near 0 and no two equal.</summary>
    protected static HostTensor AwayFromZero(int seed, params int[] shape)
    {
        var random = new Random(seed);
        var type = new TensorType(DType.F64, new Shape(shape));
        var values = new double[type.ElementCount];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = (0.2 + 1.8 * random.NextDouble()) * (random.Next(2) == 0 ? -1 : 1);
        }
        return HostTensor.FromDoubles(DType.F64, type.Shape, values);
    }

    protected static (string, Attr) Ints(string name, params int[] values) => (name, new IntListAttr(values));

    protected static (string, Attr) Int(string name, long value) => (name, new IntAttr(value));

    protected static (string, Attr) Bool(string name, bool value) => (name, new BoolAttr(value));

    protected static (string, Attr) Str(string name, string value) => (name, new StringAttr(value));

    protected static (string, Attr) DTypeAttr(string name, DType value) => (name, new GraphDL.IR.DTypeAttr(value));

    protected static (string, Attr) ScalarAttr(string name, double value) => (name, new GraphDL.IR.ScalarAttr(Scalar.FromDouble(DType.F64, value)));
}
