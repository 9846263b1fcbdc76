namespace GraphDL.IR;

/// <summary>
/// An SSA value: a graph input, a node's result, or an immediate literal. Compared by reference;
/// every value is defined exactly once.
/// </summary>
public abstract class Value
{
    protected Value(TensorType type) => Type = type;

    public TensorType Type { get; }
}

/// <summary>The role of a graph input: data fed each call, a trainable parameter, or persistent state (running statistics, optimizer moments).</summary>
public enum InputRole
{
    Input,
    Param,
    State,
}

/// <summary>A named graph input: <c>%x: f32[64,784] input</c>.</summary>
public sealed class GraphInput : Value
{
    public GraphInput(string name, TensorType type, InputRole role) : base(type)
    {
        Name = name;
        Role = role;
    }

    public string Name { get; }

    public InputRole Role { get; }

    public override string ToString() => $"%{Name}: {Type} {Role.ToString().ToLowerInvariant()}";
}

/// <summary>
/// An immediate scalar operand of an elementwise op, splatted to <see cref="Value.Type"/>, as an LLVM constant
/// operand is: <c>max(%2, 0.0)</c>. It keeps elementwise chains readable and costs no memory.
/// </summary>
public sealed class Literal : Value
{
    public Literal(Scalar value, TensorType type) : base(type)
    {
        if (value.DType != type.DType)
        {
            throw new ArgumentException($"literal {value} of {value.DType.Name()} cannot have type {type}");
        }
        Scalar = value;
    }

    public Scalar Scalar { get; }

    public override string ToString() => Scalar.ToString();
}
