using GraphDL.IR;

namespace GraphDL;

/// <summary>
/// The type and role of one traced function argument: <c>TensorSpec.Input(DType.F32, 64, 784)</c>,
/// <c>TensorSpec.Param(DType.F32, 784, 128)</c>. The input's name defaults to the lambda parameter's name.
/// </summary>
public sealed record TensorSpec(TensorType Type, InputRole Role, string? Name = null)
{
    public static TensorSpec Input(DType dtype, params int[] shape) => new(new TensorType(dtype, new Shape(shape)), InputRole.Input);

    public static TensorSpec Param(DType dtype, params int[] shape) => new(new TensorType(dtype, new Shape(shape)), InputRole.Param);

    public static TensorSpec State(DType dtype, params int[] shape) => new(new TensorType(dtype, new Shape(shape)), InputRole.State);

    /// <summary>The same spec with an explicit input name (e.g. <c>l1.weight</c>).</summary>
    public TensorSpec Named(string name) => this with { Name = name };
}
