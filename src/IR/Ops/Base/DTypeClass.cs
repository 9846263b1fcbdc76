namespace GraphDL.IR.Ops;

/// <summary>Sets of dtypes an op accepts.</summary>
[Flags]
public enum DTypeClass
{
    Float = 1,
    Integer = 2,
    Bool = 4,
    Numeric = Float | Integer,
    IntegerOrBool = Integer | Bool,
    Any = Float | Integer | Bool,
}

internal static class DTypeClassExtensions
{
    public static bool Contains(this DTypeClass set, DType dtype) =>
        (dtype.IsFloat() && set.HasFlag(DTypeClass.Float))
        || (dtype.IsInteger() && set.HasFlag(DTypeClass.Integer))
        || (dtype.IsBool() && set.HasFlag(DTypeClass.Bool));

    public static string Describe(this DTypeClass set) => set switch
    {
        DTypeClass.Float => "a float type (f16, bf16, f32, f64)",
        DTypeClass.Integer => "an integer type (i32, i64)",
        DTypeClass.Bool => "bool",
        DTypeClass.Numeric => "a numeric type (float or integer)",
        DTypeClass.IntegerOrBool => "bool or an integer type",
        _ => "any type",
    };
}
