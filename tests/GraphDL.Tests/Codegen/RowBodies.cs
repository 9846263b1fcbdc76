using GraphDL.IR;
using GraphDL.IR.Ops;

namespace GraphDL.Tests.Codegen;

/// <summary>Fused-body graphs, built with <see cref="GraphBuilder"/> as the fusion pass outlines them.</summary>
internal static class RowBodies
{
    /// <summary>Softmax over the rows of x: f32[rows, columns], with the max and sum broadcast back along the row.</summary>
    public static Graph Softmax(int rows, int columns)
    {
        var b = new GraphBuilder("softmax");
        var x = b.AddInput("x", new TensorType(DType.F32, rows, columns));
        var max = b.ReduceMax(x, [1], keepdims: true);
        var e = b.Exp(b.Sub(x, b.BroadcastInDim(max, [rows, columns], [0, 1])));
        var sum = b.ReduceSum(e, [1], keepdims: true);
        b.Output(b.Div(e, b.BroadcastInDim(sum, [rows, columns], [0, 1])));
        return b.Build();
    }

    /// <summary><paramref name="op"/> (reduce_sum, reduce_max or reduce_min) of x (or of |x|) over <paramref name="axes"/>.</summary>
    public static Graph Reduction(string op, TensorType type, int[] axes, bool abs)
    {
        var b = new GraphBuilder(op.Replace("reduce_", "", StringComparison.Ordinal));
        Value x = b.AddInput("x", type);
        if (abs)
        {
            x = b.Abs(x);
        }
        b.Output(op switch
        {
            "reduce_sum" => b.ReduceSum(x, axes),
            "reduce_max" => b.ReduceMax(x, axes),
            _ => b.ReduceMin(x, axes),
        });
        return b.Build();
    }

    /// <summary>One unary op on f32[rows, columns].</summary>
    public static Graph Unary(string op, int rows, int columns)
    {
        var b = new GraphBuilder(op);
        var x = b.AddInput("x", new TensorType(DType.F32, rows, columns));
        b.Output(b.Emit(OpRegistry.Find(op)!, x));
        return b.Build();
    }

    /// <summary>A GEMM epilogue: max(c + bias, 0) with c: f32[rows, columns] and bias: f32[columns].</summary>
    public static Graph BiasRelu(int rows, int columns)
    {
        var b = new GraphBuilder("bias_relu");
        var c = b.AddInput("c", new TensorType(DType.F32, rows, columns));
        var bias = b.AddInput("bias", new TensorType(DType.F32, columns));
        var sum = b.Add(c, b.BroadcastInDim(bias, [rows, columns], [1]));
        b.Output(b.Max(sum, b.Splat(0.0, sum.Type)));
        return b.Build();
    }
}
