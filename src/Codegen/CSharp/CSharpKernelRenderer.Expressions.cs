using System.Globalization;
using Microsoft.CodeAnalysis.CSharp;
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
                return (a, _) => $"VectorMath.{method}({a[0]})";
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

        /// <summary>A value as a scalar operand: by name, constants inline (negative ones in parentheses, so <c>-x</c> never reads <c>--1f</c>).</summary>
        private string ScalarReference(int value) => _kernel.Values[value] switch
        {
            KernelConstant constant when Literal(constant.Value) is var literal => literal.StartsWith('-') ? $"({literal})" : literal,
            _ => $"v{value}",
        };

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
            string instance = $"{op.GetType().FullName}.Instance";
            if (FastMath(apply) is { } method)
            {
                return $"VectorMath.{method}({args[0]})";
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
                    return $"ScalarExtrema.{(op.Name == "max" ? "Max" : "Min")}({args[0]}, {args[1]})";
                case "where": return $"{args[0]} ? {args[1]} : {args[2]}";
                case "cast" when argTypes[0] == DType.Bool: return $"({args[0]} ? ({type})1 : ({type})0)";
                case "cast": return $"({type}){args[0]}";
            }
            if (apply.DType.IsFloat())
            {
                // The ops with exact vector forms, exactly rounded in the dtype as the vector lanes are.
                switch (op.Name)
                {
                    case "neg": return $"-{args[0]}";
                    case "abs": return $"{type}.Abs({args[0]})";
                    case "sqrt": return $"{type}.Sqrt({args[0]})";
                    case "reciprocal": return $"1 / {args[0]}";
                    case "floor": return $"{type}.Floor({args[0]})";
                    case "ceil": return $"{type}.Ceiling({args[0]})";
                }
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

    /// <summary>
    /// A C# literal of exactly <paramref name="value"/>'s bits: finite floats in the shortest decimal form that reads
    /// back as the same number (<c>0.015625f</c>, <c>0.1</c>, <c>1E-45f</c>, <c>-0f</c>), infinities by name, and
    /// NaN by its bit pattern so its payload survives. <c>LiteralTests</c> compiles such literals with Roslyn and
    /// compares the bits, special values and subnormals included.
    /// </summary>
    internal static string Literal(Scalar value) => value.DType switch
    {
        DType.F32 => FloatLiteral((float)value.AsDouble()),
        DType.F64 => DoubleLiteral(value.AsDouble()),
        DType.Bool => value.AsBool() ? "true" : "false",
        _ => value.AsInt64().ToString(CultureInfo.InvariantCulture),
    };

    internal static string FloatLiteral(float x) => x switch
    {
        float.PositiveInfinity => "float.PositiveInfinity",
        float.NegativeInfinity => "float.NegativeInfinity",
        _ when float.IsNaN(x) => $"BitConverter.Int32BitsToSingle(unchecked((int)0x{BitConverter.SingleToInt32Bits(x):X8}))",
        _ => ReadsBack(x.ToString(CultureInfo.InvariantCulture) + "f", x) ?? ReadsBack(x.ToString("G9", CultureInfo.InvariantCulture) + "f", x)
            ?? $"BitConverter.Int32BitsToSingle(unchecked((int)0x{BitConverter.SingleToInt32Bits(x):X8}))",
    };

    internal static string DoubleLiteral(double x)
    {
        if (double.IsInfinity(x))
        {
            return x > 0 ? "double.PositiveInfinity" : "double.NegativeInfinity";
        }
        string bits = $"BitConverter.Int64BitsToDouble(unchecked((long)0x{BitConverter.DoubleToInt64Bits(x):X16}))";
        return double.IsNaN(x) ? bits
            : ReadsBack(AsDouble(x.ToString(CultureInfo.InvariantCulture)), x) ?? ReadsBack(AsDouble(x.ToString("G17", CultureInfo.InvariantCulture)), x) ?? bits;

        // A digit string alone would be an int literal: a decimal point makes it a double (1 → 1.0, -0 → -0.0).
        static string AsDouble(string text) => text.Contains('.') || text.Contains('E') ? text : text + ".0";
    }

    /// <summary>
    /// <paramref name="literal"/> if Roslyn's lexer reads it as exactly <paramref name="x"/>, else null. .NET's
    /// shortest round-trip string is tried first; it misses at a few powers of two (2^-25 prints as
    /// 2.980232238769531E-08, which reads back as the double below it), where 17 (for floats 9) significant digits,
    /// tried next, always read back.
    /// </summary>
    private static string? ReadsBack(string literal, float x) => LexesAs(literal, Math.Abs(x)) ? literal : null;

    private static string? ReadsBack(string literal, double x) => LexesAs(literal, Math.Abs(x)) ? literal : null;

    /// <summary>Whether Roslyn reads <paramref name="literal"/> as <paramref name="magnitude"/>, of its type (a leading minus is an operator, which negates exactly).</summary>
    private static bool LexesAs(string literal, object magnitude) => SyntaxFactory.ParseToken(literal.TrimStart('-')).Value is { } value && value.Equals(magnitude);
}
