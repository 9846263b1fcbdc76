using System.Globalization;
using GraphDL.Codegen.KernelIR;
using GraphDL.IR;

namespace GraphDL.Codegen.CSharp;

public static partial class CSharpKernelRenderer
{
    /// <summary>
    /// Ops whose vector form is exact per lane: IEEE + − × ÷ √ and reciprocal, floor and ceil, max/min with the IR's
    /// NaN and ±0 rules, and the comparisons, logic, <c>where</c> and bool casts over lane masks (see
    /// <see cref="Emitter.VectorForm"/>).
    /// </summary>
    private static readonly HashSet<string> ExactVectorOps =
    [
        "add", "sub", "mul", "div", "neg", "abs", "sqrt", "reciprocal", "floor", "ceil", "max", "min", "stop_gradient",
        "eq", "ne", "lt", "le", "gt", "ge", "and", "or", "xor", "not", "where", "cast",
    ];

    /// <summary>The C# operator of each float comparison (false on NaN except ne, as the reference's).</summary>
    private static readonly Dictionary<string, string> ComparisonOperators = new()
    {
        ["eq"] = "==", ["ne"] = "!=", ["lt"] = "<", ["le"] = "<=", ["gt"] = ">", ["ge"] = ">=",
    };

    /// <summary>The f32 ops <see cref="Kernels.VectorMath"/> computes in every width, used in fast mode (op name → method).</summary>
    private static readonly Dictionary<string, string> VectorMathOps = new()
    {
        ["exp"] = "Exp", ["log"] = "Log", ["tanh"] = "Tanh", ["logistic"] = "Logistic", ["erf"] = "Erf",
        ["expm1"] = "Expm1", ["log1p"] = "Log1p", ["sin"] = "Sin", ["cos"] = "Cos",
    };

    private sealed partial class Emitter
    {
        /// <summary>The VectorMath method computing <paramref name="apply"/> in fast mode, or null.</summary>
        private string? FastMath(KernelApply apply) =>
            !_options.ExactMath && apply.DType == DType.F32 && VectorMathOps.TryGetValue(apply.Op.Name, out var method) ? method : null;

        /// <summary>
        /// How to write <paramref name="apply"/> on vectors (arguments, vector type → expression), or null where it
        /// has no vector form. A bool is a lane mask of the pass's float type (all bits set for true), so comparisons
        /// are the vector compares (ordered, so false on NaN, and ne their complement, as C# compares), logic is
        /// bitwise, <c>where</c> is a select, and bool → float is the mask and 1.0. Bools compare for equality
        /// bitwise.
        /// </summary>
        private Func<string[], string, string>? VectorForm(KernelApply apply)
        {
            if (FastMath(apply) is { } method)
            {
                return (a, _) => $"{Kernels}.VectorMath.{method}({a[0]})";
            }
            if (!ExactVectorOps.Contains(apply.Op.Name))
            {
                return null;
            }
            var operandTypes = apply.Arguments.Select(a => _kernel.Values[a].DType).ToArray();
            bool masks = operandTypes.Length > 0 && operandTypes.All(t => t == DType.Bool);
            if (apply.Op.Name == "cast")
            {
                return (operandTypes[0], apply.DType) switch
                {
                    (DType.Bool, DType.F32 or DType.F64) => (a, v) => $"({a[0]} & {v}.Create({(apply.DType == DType.F32 ? "1.0f" : "1.0")}))",
                    (DType.F32 or DType.F64, DType.Bool) => (a, v) => $"~{v}.Equals({a[0]}, {v}.Create({(operandTypes[0] == DType.F32 ? "0.0f" : "0.0")}))",
                    var (from, to) when from == to => (a, _) => a[0],
                    _ => null,
                };
            }
            if (masks)
            {
                return apply.Op.Name switch
                {
                    "eq" => (a, _) => $"~({a[0]} ^ {a[1]})",
                    "ne" or "xor" => (a, _) => $"({a[0]} ^ {a[1]})",
                    "and" => (a, _) => $"({a[0]} & {a[1]})",
                    "or" => (a, _) => $"({a[0]} | {a[1]})",
                    "not" => (a, _) => $"~{a[0]}",
                    "stop_gradient" => (a, _) => a[0],
                    _ => null,
                };
            }
            if (apply.DType == DType.Bool && !apply.Op.Has(OpTraits.Comparison))
            {
                return null;
            }
            return apply.Op.Name switch
            {
                "add" => (a, _) => $"{a[0]} + {a[1]}",
                "sub" => (a, _) => $"{a[0]} - {a[1]}",
                "mul" => (a, _) => $"{a[0]} * {a[1]}",
                "div" => (a, _) => $"{a[0]} / {a[1]}",
                "neg" => (a, _) => $"-{a[0]}",
                "abs" => (a, v) => $"{v}.Abs({a[0]})",
                "sqrt" => (a, v) => $"{v}.Sqrt({a[0]})",
                "reciprocal" => (a, v) => $"{v}.Create({(apply.DType == DType.F32 ? "1.0f" : "1.0")}) / {a[0]}",
                "floor" => (a, v) => $"{v}.Floor({a[0]})",
                "ceil" => (a, v) => $"{v}.Ceiling({a[0]})",
                "max" => (a, v) => $"{v}.Max({a[0]}, {a[1]})",
                "min" => (a, v) => $"{v}.Min({a[0]}, {a[1]})",
                "eq" => (a, v) => $"{v}.Equals({a[0]}, {a[1]})",
                "ne" => (a, v) => $"~{v}.Equals({a[0]}, {a[1]})",
                "lt" => (a, v) => $"{v}.LessThan({a[0]}, {a[1]})",
                "le" => (a, v) => $"{v}.LessThanOrEqual({a[0]}, {a[1]})",
                "gt" => (a, v) => $"{v}.GreaterThan({a[0]}, {a[1]})",
                "ge" => (a, v) => $"{v}.GreaterThanOrEqual({a[0]}, {a[1]})",
                "where" => (a, v) => $"{v}.ConditionalSelect({a[0]}, {a[1]}, {a[2]})",
                "stop_gradient" => (a, _) => a[0],
                _ => null,
            };
        }

        /// <summary>A value as a vector operand: element-level values by name, row-level ones splatted, constants inline.</summary>
        private string VectorReference(int value, string vector, string suffix) => _kernel.Values[value] switch
        {
            KernelConstant { DType: DType.Bool } constant => $"{vector}<{_lane}>.{(constant.Value.AsBool() ? "AllBitsSet" : "Zero")}",
            KernelConstant constant => $"{vector}.Create({Literal(constant.Value)})",
            _ when _schedule.LevelOf(value) == ValueLevel.Row => $"s{value}",
            _ => $"v{value}{suffix}",
        };

        /// <summary>A value as a scalar operand: by name, constants inline.</summary>
        private string ScalarReference(int value) =>
            _kernel.Values[value] is KernelConstant constant ? Literal(constant.Value) : $"v{value}";

        /// <summary>The scalar expression computing a load or an op (at the row, or at element j).</summary>
        private string ScalarExpression(KernelLayout layout, int index) => _kernel.Values[index] switch
        {
            KernelLoad load => _schedule.LevelOf(index) == ValueLevel.Row
                ? $"b{load.Buffer}[o{load.Buffer}]"
                : $"b{load.Buffer}[{ElementAddress(layout, load.Buffer)}]",
            KernelApply apply => ScalarApply(apply),
            var other => throw new InvalidOperationException($"v{index} ({other.GetType().Name}) has no scalar expression"),
        };

        /// <summary>
        /// An op on scalars: + − × ÷ as C# operators (exactly rounded in the dtype, as the interpreter's double result
        /// rounded once is), VectorMath in fast mode, else the op's own reference function.
        /// </summary>
        private string ScalarApply(KernelApply apply)
        {
            var args = apply.Arguments.Select(ScalarReference).ToArray();
            var argTypes = apply.Arguments.Select(a => _kernel.Values[a].DType).ToArray();
            var op = apply.Op;
            string type = ElementType(apply.DType);
            string instance = $"global::{op.GetType().FullName}.Instance";
            if (FastMath(apply) is { } method)
            {
                return $"{Kernels}.VectorMath.{method}({args[0]})";
            }
            if (apply.DType.IsInteger() && op.Name is not ("where" or "cast" or "stop_gradient"))
            {
                // The op's own integer function: it wraps as the reference does, and I32 wraps once more on narrowing.
                return $"unchecked(({type}){instance}.ApplyInteger({string.Join(", ", args)}))";
            }
            switch (op.Name)
            {
                case "cast" when argTypes[0].IsInteger() && apply.DType == DType.Bool: return $"({args[0]} != 0)";
                case "cast" when argTypes[0].IsInteger(): return $"unchecked(({type}){args[0]})";
                case "add": return $"{args[0]} + {args[1]}";
                case "sub": return $"{args[0]} - {args[1]}";
                case "mul": return $"{args[0]} * {args[1]}";
                case "div": return $"{args[0]} / {args[1]}";
                case "stop_gradient": return args[0];
                case "max" or "min" when apply.DType is DType.F32 or DType.F64:
                    return $"{Kernels}.ScalarExtrema.{(op.Name == "max" ? "Max" : "Min")}({args[0]}, {args[1]})";
                case "where": return $"{args[0]} ? {args[1]} : {args[2]}";
                case "cast" when argTypes[0] == DType.Bool: return $"({args[0]} ? ({type})1 : ({type})0)";
                case "cast": return $"({type}){args[0]}";
            }
            bool boolOperands = argTypes.All(t => t == DType.Bool);
            if (op.Has(OpTraits.Comparison) && argTypes[0].IsFloat() && ComparisonOperators.TryGetValue(op.Name, out var comparison))
            {
                // Widening to double (the reference's CompareFloat) keeps every order, so the C# operator is the same.
                return $"({args[0]} {comparison} {args[1]})";
            }
            if (op.Has(OpTraits.Comparison))
            {
                return boolOperands ? $"{instance}.CompareInteger({args[0]} ? 1 : 0, {args[1]} ? 1 : 0)"
                    : argTypes[0].IsInteger() ? $"{instance}.CompareInteger({args[0]}, {args[1]})"
                    : $"{instance}.CompareFloat({args[0]}, {args[1]})";
            }
            if (boolOperands)
            {
                return $"{instance}.ApplyBool({string.Join(", ", args)})";
            }
            return $"({type}){instance}.ApplyFloat({string.Join(", ", args)})";
        }
    }

    /// <summary>An exact C# literal: floats by their bits, so NaN payloads, infinities and −0 survive.</summary>
    private static string Literal(Scalar value) => value.DType switch
    {
        DType.F32 => $"global::System.BitConverter.Int32BitsToSingle(unchecked((int)0x{BitConverter.SingleToInt32Bits((float)value.AsDouble()):X8}))",
        DType.F64 => $"global::System.BitConverter.Int64BitsToDouble(unchecked((long)0x{BitConverter.DoubleToInt64Bits(value.AsDouble()):X16}))",
        DType.Bool => value.AsBool() ? "true" : "false",
        _ => value.AsInt64().ToString(CultureInfo.InvariantCulture),
    };
}
