using System.Globalization;

namespace GraphDL.IR;

/// <summary>The kinds of attribute an op can declare; each has one text form.</summary>
public enum AttrKind
{
    /// <summary><c>axis=1</c></summary>
    Int,
    /// <summary><c>shape=[64,128]</c></summary>
    IntList,
    /// <summary><c>p=0.5</c></summary>
    Float,
    /// <summary><c>keepdims=true</c></summary>
    Bool,
    /// <summary><c>mode="max"</c>, checked against the op's allowed choices</summary>
    String,
    /// <summary><c>dtype=f32</c></summary>
    DType,
    /// <summary><c>value=0.0</c>, in the dtype of the node's result</summary>
    Scalar,
    /// <summary><c>value=[[1.0, 2.0], [3.0, 4.0]]</c>, shaped and typed like the node's result</summary>
    Tensor,
    /// <summary>
    /// A nested graph (a region): printed after the node's type as <c>{ (%x: f32[4]) ... return %1 }</c>, not in the
    /// attribute list. An op declares at most one (see <see cref="Ops.Fused"/>).
    /// </summary>
    Graph,
}

/// <summary>An attribute value. Records compare by value, so structurally equal graphs have equal attributes.</summary>
public abstract record Attr
{
    public abstract AttrKind Kind { get; }

    /// <summary>The text form used by the printer.</summary>
    public abstract string Format();

    public sealed override string ToString() => Format();
}

public sealed record IntAttr(long Value) : Attr
{
    public override AttrKind Kind => AttrKind.Int;

    public override string Format() => Value.ToString(CultureInfo.InvariantCulture);
}

public sealed record IntListAttr : Attr
{
    private readonly int[] _values;

    public IntListAttr(IEnumerable<int> values) => _values = values.ToArray();

    public IReadOnlyList<int> Values => _values;

    public override AttrKind Kind => AttrKind.IntList;

    public override string Format() => "[" + string.Join(",", _values) + "]";

    public bool Equals(IntListAttr? other) => other is not null && _values.AsSpan().SequenceEqual(other._values);

    public override int GetHashCode() => _values.Aggregate(17, (h, v) => h * 31 + v);
}

public sealed record FloatAttr(double Value) : Attr
{
    public override AttrKind Kind => AttrKind.Float;

    public override string Format() => FloatFormat.Format(Value, DType.F64);

    public bool Equals(FloatAttr? other) => other is not null && BitConverter.DoubleToInt64Bits(Value) == BitConverter.DoubleToInt64Bits(other.Value);

    public override int GetHashCode() => Value.GetHashCode();
}

public sealed record BoolAttr(bool Value) : Attr
{
    public override AttrKind Kind => AttrKind.Bool;

    public override string Format() => Value ? "true" : "false";
}

public sealed record StringAttr(string Value) : Attr
{
    public override AttrKind Kind => AttrKind.String;

    public override string Format() => Text.GirSyntax.Quote(Value);
}

public sealed record DTypeAttr(DType Value) : Attr
{
    public override AttrKind Kind => AttrKind.DType;

    public override string Format() => Value.Name();
}

public sealed record ScalarAttr(Scalar Value) : Attr
{
    public override AttrKind Kind => AttrKind.Scalar;

    public override string Format() => Value.ToString();
}

public sealed record TensorAttr(HostTensor Value) : Attr
{
    public override AttrKind Kind => AttrKind.Tensor;

    /// <summary>Nested lists in row-major order, one level per axis; a rank-0 tensor is its bare scalar.</summary>
    public override string Format()
    {
        var builder = new System.Text.StringBuilder();
        void Append(int axis, long offset, long[] strides)
        {
            if (axis == Value.Shape.Rank)
            {
                builder.Append(Value.GetScalar(offset).ToString());
                return;
            }
            builder.Append('[');
            for (int i = 0; i < Value.Shape[axis]; i++)
            {
                if (i > 0)
                {
                    builder.Append(", ");
                }
                Append(axis + 1, offset + i * strides[axis], strides);
            }
            builder.Append(']');
        }
        Append(0, 0, Value.Shape.Strides());
        return builder.ToString();
    }

    public bool Equals(TensorAttr? other) => other is not null && Value.BitEquals(other.Value);

    public override int GetHashCode() => Value.Type.GetHashCode();
}
