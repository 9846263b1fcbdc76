using System.Globalization;
using System.Runtime.Intrinsics;
using System.Text;
using GraphDL.Codegen.KernelIR;
using GraphDL.IR;

namespace GraphDL.Codegen.CSharp;

/// <summary>
/// Renders a <see cref="Kernel"/> as one readable C# method <c>static unsafe void NAME(nint* buffers)</c>: a header
/// comment listing the fused nodes and their source lines, a loop over rows of the iteration space, and an inner
/// loop over the last axis that is vectorized with the widest accelerated <see cref="Vector512{T}"/> /
/// <see cref="Vector256{T}"/> / <see cref="Vector128{T}"/> when every value is one float dtype and every op has a
/// vector form, followed by a scalar tail. Scalar code calls each op's own reference function
/// (<c>ApplyFloat</c>, <c>CompareFloat</c>) except for + − × ÷, so results equal the interpreter's bit for bit.
/// </summary>
public static class CSharpKernelRenderer
{
    private static readonly HashSet<string> VectorOps = ["add", "sub", "mul", "div", "neg", "abs", "sqrt", "max", "min", "stop_gradient"];

    public static string Render(Kernel kernel)
    {
        var text = new StringBuilder();
        text.Append("    // ").Append(kernel.Name).Append(": ").Append(kernel.Space.Rank == 0 ? "scalar" : kernel.Space.ToString()).Append('\n');
        foreach (var node in kernel.Sources)
        {
            text.Append("    //   ").Append(node.Op.Name).Append(" : ").Append(node.Type);
            if (node.Loc.IsKnown)
            {
                text.Append("  (").Append(node.Loc).Append(')');
            }
            text.Append('\n');
        }
        // Kernels run hot from their first call: skip the unoptimized tier.
        text.Append("    [global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]\n");
        text.Append("    public static unsafe void ").Append(kernel.Name).Append("(nint* buffers)\n    {\n");
        foreach (var buffer in kernel.Buffers)
        {
            text.Append($"        {ElementType(buffer.Type.DType)}* b{buffer.Index} = ({ElementType(buffer.Type.DType)}*)buffers[{buffer.Index}];\n");
        }
        int rank = kernel.Space.Rank;
        bool flat = kernel.Buffers.All(b => b.Strides.SequenceEqual(KernelBuffer.RowMajor(kernel.Space)));
        long inner = rank == 0 ? 1 : flat ? kernel.Space.ElementCount : kernel.Space[rank - 1];
        long rows = rank == 0 || flat ? 1 : kernel.Space.ElementCount / Math.Max(1, inner);
        if (kernel.Space.ElementCount == 0)
        {
            return text.Append("    }\n").ToString();
        }
        text.Append($"        for (long row = 0; row < {rows}; row++)\n        {{\n");
        foreach (var buffer in kernel.Buffers)
        {
            text.Append($"            long o{buffer.Index} = {RowOffset(kernel.Space, buffer, flat)};\n");
        }
        text.Append("            long j = 0;\n");
        long innerStride(KernelBuffer b) => rank == 0 ? 0 : flat ? 1 : b.Strides[rank - 1];
        if (VectorWidth(kernel) is { } vector)
        {
            text.Append($"            for (; j + {vector.Lanes} <= {inner}; j += {vector.Lanes})\n            {{\n");
            for (int v = 0; v < kernel.Values.Count; v++)
            {
                text.Append($"                var v{v} = {VectorExpression(kernel, v, vector.Name, innerStride)};\n");
            }
            foreach (var store in kernel.Stores)
            {
                text.Append($"                v{store.Value}.Store(b{store.Buffer} + o{store.Buffer} + j);\n");
            }
            text.Append("            }\n");
        }
        text.Append($"            for (; j < {inner}; j++)\n            {{\n");
        for (int v = 0; v < kernel.Values.Count; v++)
        {
            text.Append($"                {ElementType(kernel.Values[v].DType)} v{v} = {ScalarExpression(kernel, v, innerStride)};\n");
        }
        foreach (var store in kernel.Stores)
        {
            text.Append($"                b{store.Buffer}[o{store.Buffer} + j] = v{store.Value};\n");
        }
        text.Append("            }\n        }\n    }\n");
        return text.ToString();
    }

    /// <summary>The vector type to use, or null when the kernel must stay scalar.</summary>
    private static (string Name, int Lanes)? VectorWidth(Kernel kernel)
    {
        var dtype = kernel.Values.Count > 0 ? kernel.Values[0].DType : DType.F32;
        if (dtype is not (DType.F32 or DType.F64)
            || kernel.Values.Any(v => v.DType != dtype || v is KernelApply a && !VectorOps.Contains(a.Op.Name))
            || kernel.Buffers.Any(b => b.Type.DType != dtype)
            || (kernel.Space.Rank > 0 && kernel.Buffers.Any(b => b.Strides[^1] is not (0 or 1) && !b.Strides.SequenceEqual(KernelBuffer.RowMajor(kernel.Space)))))
        {
            return null;
        }
        int size = dtype == DType.F32 ? 4 : 8;
        return Vector512.IsHardwareAccelerated ? ("Vector512", 64 / size)
            : Vector256.IsHardwareAccelerated ? ("Vector256", 32 / size)
            : Vector128.IsHardwareAccelerated ? ("Vector128", 16 / size)
            : null;
    }

    private static string RowOffset(Shape space, KernelBuffer buffer, bool flat)
    {
        if (flat || space.Rank <= 1)
        {
            return "0";
        }
        // row enumerates the outer axes 0..rank-2 in row-major order.
        var terms = new List<string>();
        long divisor = 1;
        for (int axis = space.Rank - 2; axis >= 0; axis--)
        {
            if (buffer.Strides[axis] != 0 && space[axis] != 1)
            {
                terms.Add($"(row / {divisor} % {space[axis]}) * {buffer.Strides[axis]}");
            }
            divisor *= space[axis];
        }
        return terms.Count == 0 ? "0" : string.Join(" + ", terms);
    }

    private static string ScalarExpression(Kernel kernel, int index, Func<KernelBuffer, long> innerStride)
    {
        var value = kernel.Values[index];
        switch (value)
        {
            case KernelLoad load:
                var buffer = kernel.Buffers[load.Buffer];
                long stride = innerStride(buffer);
                return stride switch
                {
                    0 => $"b{load.Buffer}[o{load.Buffer}]",
                    1 => $"b{load.Buffer}[o{load.Buffer} + j]",
                    _ => $"b{load.Buffer}[o{load.Buffer} + j * {stride}]",
                };
            case KernelConstant constant:
                return Literal(constant.Value);
            case KernelApply apply:
                return ScalarApply(kernel, apply);
            default:
                throw new NotSupportedException(value.GetType().Name);
        }
    }

    private static string ScalarApply(Kernel kernel, KernelApply apply)
    {
        var args = apply.Arguments.Select(a => $"v{a}").ToArray();
        var argTypes = apply.Arguments.Select(a => kernel.Values[a].DType).ToArray();
        var op = apply.Op;
        string type = ElementType(apply.DType);
        string instance = $"global::{op.GetType().FullName}.Instance";
        switch (op.Name)
        {
            case "add": return $"{args[0]} + {args[1]}";
            case "sub": return $"{args[0]} - {args[1]}";
            case "mul": return $"{args[0]} * {args[1]}";
            case "div": return $"{args[0]} / {args[1]}";
            case "stop_gradient": return args[0];
            case "where": return $"{args[0]} ? {args[1]} : {args[2]}";
            case "cast": return $"({type}){args[0]}";
        }
        bool boolOperands = argTypes.All(t => t == DType.Bool);
        if (op.Has(OpTraits.Comparison))
        {
            return boolOperands
                ? $"{instance}.CompareInteger({args[0]} ? 1 : 0, {args[1]} ? 1 : 0)"
                : $"{instance}.CompareFloat({args[0]}, {args[1]})";
        }
        if (boolOperands)
        {
            return $"{instance}.ApplyBool({string.Join(", ", args)})";
        }
        return $"({type}){instance}.ApplyFloat({string.Join(", ", args)})";
    }

    private static string VectorExpression(Kernel kernel, int index, string vector, Func<KernelBuffer, long> innerStride)
    {
        var value = kernel.Values[index];
        switch (value)
        {
            case KernelLoad load:
                return innerStride(kernel.Buffers[load.Buffer]) == 0
                    ? $"{vector}.Create(b{load.Buffer}[o{load.Buffer}])"
                    : $"{vector}.Load(b{load.Buffer} + o{load.Buffer} + j)";
            case KernelConstant constant:
                return $"{vector}.Create({Literal(constant.Value)})";
            case KernelApply apply:
                var a = apply.Arguments.Select(x => $"v{x}").ToArray();
                return apply.Op.Name switch
                {
                    "add" => $"{a[0]} + {a[1]}",
                    "sub" => $"{a[0]} - {a[1]}",
                    "mul" => $"{a[0]} * {a[1]}",
                    "div" => $"{a[0]} / {a[1]}",
                    "neg" => $"-{a[0]}",
                    "abs" => $"{vector}.Abs({a[0]})",
                    "sqrt" => $"{vector}.Sqrt({a[0]})",
                    "max" => $"{vector}.Max({a[0]}, {a[1]})",
                    "min" => $"{vector}.Min({a[0]}, {a[1]})",
                    "stop_gradient" => a[0],
                    _ => throw new NotSupportedException(apply.Op.Name),
                };
            default:
                throw new NotSupportedException(value.GetType().Name);
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

    internal static string ElementType(DType dtype) => dtype switch
    {
        DType.F32 => "float",
        DType.F64 => "double",
        DType.Bool => "bool",
        DType.I32 => "int",
        DType.I64 => "long",
        _ => throw new NotSupportedException($"no C# element type for {dtype.Name()} kernels"),
    };
}
