using GraphDL.IR;

namespace GraphDL.Tests.OpInfo;

/// <summary>The edge cases a sample exercises; every op's samples together must cover all of them (or say why not).</summary>
[Flags]
public enum Covers
{
    None = 0,
    /// <summary>A rank-0 (scalar) operand or result.</summary>
    Rank0 = 1,
    /// <summary>A size-1 dimension (the broadcasting and squeezing corner).</summary>
    Size1 = 2,
    /// <summary>A size-0 dimension (empty tensor).</summary>
    Empty = 4,
    /// <summary>Negative values (or negative offsets where values do not matter).</summary>
    Negative = 8,
    /// <summary>NaN, +Inf or -Inf in the operands.</summary>
    NonFinite = 16,
    /// <summary>Input the type rule (or evaluation) must reject, with an expected message.</summary>
    Error = 32,
    All = Rank0 | Size1 | Empty | Negative | NonFinite | Error,
}

/// <summary>
/// One OpInfo sample (as in PyTorch's OpInfo): operands, attributes, and either the expected result — written out
/// by hand or computed independently of the op's own code — or the error the op must raise.
/// </summary>
public sealed class OpSample
{
    public OpSample(string op, string name, Covers covers)
    {
        Op = op;
        Name = name;
        Covers = covers;
    }

    public string Op { get; }

    public string Name { get; }

    public Covers Covers { get; }

    public List<HostTensor> Inputs { get; } = [];

    public List<(string Name, Attr Value)> Attributes { get; } = [];

    /// <summary>The expected result (its dtype and shape are checked too).</summary>
    public HostTensor? Expected { get; private set; }

    /// <summary>A fragment the type rule's <see cref="ShapeException"/> message must contain.</summary>
    public string? TypeError { get; private set; }

    /// <summary>A fragment an <see cref="EvaluationException"/> raised while running must contain.</summary>
    public string? RunError { get; private set; }

    public double Rtol { get; private set; }

    public double Atol { get; private set; }

    public string Id => $"{Op}/{Name}";

    public OpSample In(params HostTensor[] inputs)
    {
        Inputs.AddRange(inputs);
        return this;
    }

    public OpSample Attr(string name, Attr value)
    {
        Attributes.Add((name, value));
        return this;
    }

    public OpSample Attr(string name, long value) => Attr(name, new IntAttr(value));

    public OpSample Attr(string name, params int[] values) => Attr(name, new IntListAttr(values));

    public OpSample Attr(string name, bool value) => Attr(name, new BoolAttr(value));

    public OpSample Attr(string name, string value) => Attr(name, new StringAttr(value));

    public OpSample Attr(string name, DType value) => Attr(name, new DTypeAttr(value));

    public OpSample Attr(string name, Scalar value) => Attr(name, new ScalarAttr(value));

    public OpSample Expect(HostTensor expected)
    {
        Expected = expected;
        return this;
    }

    /// <summary>Compare with tolerance (default: exact, NaN equal to NaN).</summary>
    public OpSample Tolerance(double rtol, double atol)
    {
        Rtol = rtol;
        Atol = atol;
        return this;
    }

    public OpSample Throws(string messageFragment)
    {
        TypeError = messageFragment;
        return this;
    }

    public OpSample ThrowsAtRun(string messageFragment)
    {
        RunError = messageFragment;
        return this;
    }

    public override string ToString() => Id;
}

/// <summary>
/// A set of samples, usually for one family of ops. Subclasses are found by reflection; an op that cannot meet a
/// coverage category (e.g. <c>not</c> has no NaN) names it in <see cref="Exemptions"/> with the reason.
/// </summary>
public abstract class OpSampleSet
{
    public abstract IEnumerable<OpSample> Samples();

    public virtual IEnumerable<(string Op, Covers Categories, string Reason)> Exemptions => [];

    protected static OpSample Sample(string op, string name, Covers covers) => new(op, name, covers);
}

/// <summary>Short constructors for sample tensors: <c>T.F32([1, 2, 3, 4], 2, 2)</c>; no dims means rank 0.</summary>
public static class T
{
    public static HostTensor F32(float[] data, params int[] dims) => HostTensor.FromArray(data, dims.Length == 0 && data.Length != 1 ? [data.Length] : dims);

    public static HostTensor F64(double[] data, params int[] dims) => HostTensor.FromArray(data, dims.Length == 0 && data.Length != 1 ? [data.Length] : dims);

    public static HostTensor I32(int[] data, params int[] dims) => HostTensor.FromArray(data, dims.Length == 0 && data.Length != 1 ? [data.Length] : dims);

    public static HostTensor I64(long[] data, params int[] dims) => HostTensor.FromArray(data, dims.Length == 0 && data.Length != 1 ? [data.Length] : dims);

    public static HostTensor Bool(bool[] data, params int[] dims) => HostTensor.FromArray(data, dims.Length == 0 && data.Length != 1 ? [data.Length] : dims);

    /// <summary>Values of any dtype given as doubles (rounded to the dtype): <c>T.Of(DType.F16, [1.5, 2], 2)</c>.</summary>
    public static HostTensor Of(DType dtype, double[] data, params int[] dims) =>
        HostTensor.FromDoubles(dtype, new Shape(dims.Length == 0 && data.Length != 1 ? [data.Length] : dims), data);

    /// <summary>A rank-0 tensor.</summary>
    public static HostTensor Scalar(float value) => HostTensor.FromArray([value], []);

    public static HostTensor Scalar(double value) => HostTensor.FromArray([value], []);

    public static HostTensor Scalar(int value) => HostTensor.FromArray([value], []);

    public static HostTensor Scalar(long value) => HostTensor.FromArray([value], []);

    public static HostTensor Scalar(bool value) => HostTensor.FromArray([value], []);

    /// <summary>An empty tensor of the given shape (one dim must be 0).</summary>
    public static HostTensor Empty(DType dtype, params int[] dims) => HostTensor.Zeros(new TensorType(dtype, new Shape(dims)));
}
