namespace GraphDL.IR;

/// <summary>The static type of an SSA value: element type and shape. Text form: <c>f32[64,784]</c>, <c>i64[]</c>.</summary>
public sealed record TensorType(DType DType, Shape Shape)
{
    public TensorType(DType dtype, params int[] dims) : this(dtype, new Shape(dims))
    {
    }

    public int Rank => Shape.Rank;

    public long ElementCount => Shape.ElementCount;

    public long SizeInBytes => ElementCount * DType.SizeInBytes();

    public TensorType WithDType(DType dtype) => this with { DType = dtype };

    public TensorType WithShape(Shape shape) => this with { Shape = shape };

    public override string ToString() => DType.Name() + Shape;
}
