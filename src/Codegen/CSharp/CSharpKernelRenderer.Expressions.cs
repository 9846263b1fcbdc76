using System.Globalization;
using System.Text;
using Microsoft.CodeAnalysis.CSharp;
using GraphDL.Codegen.KernelIR;
using GraphDL.IR;

namespace GraphDL.Codegen.CSharp;

public static partial class CSharpKernelRenderer
{
    private sealed partial class Emitter
    {
        /// <summary>The dtype an op's snippets are chosen by: its last operand's (where's branches, a cast's input).</summary>
        private DType OperandType(KernelApply apply) => _kernel.Values[apply.Arguments[^1]].DType;

        /// <summary>The op's fast-math code, in fast mode for f32 (the same in the vector body and the scalar tail), or null.</summary>
        private CodeSnippet? FastCode(KernelApply apply) => _options.ExactMath || apply.DType != DType.F32 || OperandType(apply) != DType.F32
            ? null
            : apply.Op.CSharp.Find(SnippetForm.Fast, DType.F32, DType.F32);

        /// <summary>
        /// The op's code on vectors (see <see cref="SnippetForm.Vector"/>), or null where it has none: then the pass
        /// stays scalar. A bool is a lane mask of the pass's float type (all bits set for true).
        /// </summary>
        private CodeSnippet? VectorCode(KernelApply apply) =>
            FastCode(apply) ?? apply.Op.CSharp.Find(SnippetForm.Vector, OperandType(apply), apply.DType);

        /// <summary>Fills a vector snippet: {T} is the lane type, {V} the vector class.</summary>
        private string VectorApply(KernelApply apply, string vector, string suffix) =>
            Fill(VectorCode(apply)!.Template, apply.Arguments.Select(a => VectorReference(a, vector, suffix)).ToArray(), _lane, vector);

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
        /// An op on scalars, from its C# snippets: the fast-math code in fast mode, else code exact in the dtype, else
        /// code computed in double and rounded once to the result dtype, as the interpreter computes it.
        /// </summary>
        private string ScalarApply(KernelApply apply)
        {
            var args = apply.Arguments.Select(ScalarReference).ToArray();
            string type = ElementType(apply.DType);
            if (FastCode(apply) is { } fast)
            {
                return Fill(fast.Template, args, type, null);
            }
            var (code, inDouble) = ScalarCode(apply.Op, OperandType(apply), apply.DType)
                ?? throw new InvalidOperationException($"{apply.Op.Name} of {OperandType(apply).Name()} to {apply.DType.Name()} has no C# scalar snippet (add one to the op's file, src/IR/Ops/{apply.Op.GetType().Name}.cs)");
            string text = Fill(code.Template, args, type, null);
            return !inDouble || apply.DType == DType.F64 ? text : $"({type})" + (IsPrimary(text) ? text : $"({text})");
        }
    }

    /// <summary>
    /// The exact scalar code of <paramref name="op"/> for these dtypes: a <see cref="SnippetForm.Scalar"/> snippet,
    /// else a <see cref="SnippetForm.ScalarInDouble"/> one for a float result (InDouble: round it to the dtype), or null.
    /// </summary>
    internal static (CodeSnippet Code, bool InDouble)? ScalarCode(OpDef op, DType operand, DType result) =>
        op.CSharp.Find(SnippetForm.Scalar, operand, result) is { } exact ? (exact, false)
        : result.IsFloat() && op.CSharp.Find(SnippetForm.ScalarInDouble, operand, result) is { } inDouble ? (inDouble, true)
        : null;

    /// <summary>A template with its operands and {T} (and {V} for vectors) filled in.</summary>
    private static string Fill(string template, string[] operands, string type, string? vector)
    {
        var text = new StringBuilder(template).Replace("{T}", type);
        if (vector is not null)
        {
            text.Replace("{V}", vector);
        }
        for (int i = 0; i < operands.Length; i++)
        {
            text.Replace("{" + i.ToString(CultureInfo.InvariantCulture) + "}", operands[i]);
        }
        return text.ToString();
    }

    /// <summary>Whether <paramref name="code"/> is one call, <c>A.B(...)</c>, which a cast may precede without parentheses.</summary>
    private static bool IsPrimary(string code)
    {
        int open = code.IndexOf('(');
        if (open <= 0 || !code[..open].All(c => char.IsLetterOrDigit(c) || c is '.' or '_') || code[^1] != ')')
        {
            return false;
        }
        int depth = 0;
        for (int i = open; i < code.Length; i++)
        {
            depth += code[i] switch { '(' => 1, ')' => -1, _ => 0 };
            if (depth == 0)
            {
                return i == code.Length - 1;
            }
        }
        return false;
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
