namespace GraphDL.IR.Ops;

/// <summary>
/// Batched matrix product: <c>[..., m, k] × [..., k, n] → [..., m, n]</c>. Both operands have rank ≥ 2 and one float
/// or integer dtype. The batch dimensions (all but the last two) broadcast as in NumPy: aligned from the right, each
/// pair equal or one of them 1, the missing leading ones of the shorter operand taken as 1. Floats accumulate in
/// double and are rounded once to the dtype (k = 0 gives zeros; 0·inf is NaN as usual); integers accumulate in long
/// and wrap.
/// <code>%2 = matmul(%0, %1) : f32[64,128]</code>
/// </summary>
public sealed class Matmul : OpDef
{
    public static readonly Matmul Instance = new();

    public override string Name => "matmul";

    public override OpTraits Traits => OpTraits.Contraction;

    public override int MinOperands => 2;

    public override TensorType InferType(OpContext context)
    {
        TensorType a = context[0], b = context[1];
        if (a.Rank < 2 || b.Rank < 2)
        {
            throw context.Error($"operands must have rank 2 or more ([..., m, k] and [..., k, n]), got {a} and {b}");
        }
        if (a.DType != b.DType)
        {
            throw context.Error($"operand dtypes differ: {a} and {b} (convert one with cast)");
        }
        if (!DTypeClass.Numeric.Contains(a.DType))
        {
            throw context.Error($"operands must be {DTypeClass.Numeric.Describe()}, got {a} and {b}");
        }
        int k = a.Shape[a.Shape.Rank - 1];
        if (b.Shape[b.Rank - 2] != k)
        {
            throw context.Error($"inner dimensions differ: {a} has k={k} but {b} has k={b.Shape[b.Rank - 2]}");
        }
        var batch = BroadcastBatch(context, a, b);
        return new TensorType(a.DType, new Shape([.. batch, a.Shape[a.Rank - 2], b.Shape[b.Rank - 1]]));
    }

    private static int[] BroadcastBatch(OpContext context, TensorType a, TensorType b)
    {
        int rankA = a.Rank - 2, rankB = b.Rank - 2, rank = Math.Max(rankA, rankB);
        var batch = new int[rank];
        for (int i = 0; i < rank; i++)
        {
            // Align from the right: batch axis i of the result is axis i - (rank - rankX) of operand X.
            int da = i - (rank - rankA) >= 0 ? a.Shape[i - (rank - rankA)] : 1;
            int db = i - (rank - rankB) >= 0 ? b.Shape[i - (rank - rankB)] : 1;
            if (da != db && da != 1 && db != 1)
            {
                throw context.Error($"batch dimensions do not broadcast: {a} and {b} (batch axis {i} of the result has sizes {da} and {db})");
            }
            batch[i] = da == 1 ? db : da;
        }
        return batch;
    }

    public override HostTensor Evaluate(EvalContext context)
    {
        HostTensor a = context[0], b = context[1];
        var result = context.Result;
        int rank = result.Rank;
        int m = result.Shape[rank - 2], n = result.Shape[rank - 1], k = a.Shape[a.Shape.Rank - 1];
        var batchShape = new Shape(result.Shape.AsSpan()[..(rank - 2)].ToArray());
        long batchCount = batchShape.ElementCount;
        bool isFloat = a.DType.IsFloat();
        double[] fa = isFloat ? a.ToDoubleArray() : [], fb = isFloat ? b.ToDoubleArray() : [];
        long[] ia = isFloat ? [] : a.ToInt64Array(), ib = isFloat ? [] : b.ToInt64Array();
        double[] fout = isFloat ? new double[result.ElementCount] : [];
        long[] iout = isFloat ? [] : new long[result.ElementCount];
        for (long batch = 0; batch < batchCount; batch++)
        {
            var index = batchShape.Unravel(batch);
            long baseA = BatchOffset(a.Shape, index) * m * k;
            long baseB = BatchOffset(b.Shape, index) * k * n;
            // Row by row, k outer and n inner: each result element still sums its k products in order
            // p = 0, 1, ..., k−1 (the same sum as the textbook i-j-p loop), but B is read row-wise.
            for (int i = 0; i < m; i++)
            {
                long row = (batch * m + i) * n;
                for (int p = 0; p < k; p++)
                {
                    long bRow = baseB + (long)p * n;
                    if (isFloat)
                    {
                        double x = fa[baseA + (long)i * k + p];
                        for (int j = 0; j < n; j++)
                        {
                            fout[row + j] += x * fb[bRow + j];
                        }
                    }
                    else
                    {
                        long x = ia[baseA + (long)i * k + p];
                        for (int j = 0; j < n; j++)
                        {
                            iout[row + j] = unchecked(iout[row + j] + x * ib[bRow + j]);
                        }
                    }
                }
                if (!isFloat)
                {
                    for (int j = 0; j < n; j++)
                    {
                        iout[row + j] = ElementConversion.WrapInteger(iout[row + j], a.DType);
                    }
                }
            }
        }
        return isFloat
            ? HostTensor.FromDoubles(result.DType, result.Shape, fout)
            : HostTensor.FromInt64s(result.DType, result.Shape, iout);
    }

    /// <summary>
    /// The flat index of the matrix of <paramref name="shape"/> used at result batch index <paramref name="index"/>:
    /// missing leading axes and size-1 axes contribute nothing (broadcast).
    /// </summary>
    private static long BatchOffset(Shape shape, int[] index)
    {
        int batchRank = shape.Rank - 2, skip = index.Length - batchRank;
        long offset = 0;
        for (int axis = 0; axis < batchRank; axis++)
        {
            int dim = shape[axis];
            offset = offset * dim + (dim == 1 ? 0 : index[axis + skip]);
        }
        return offset;
    }

    public override bool HasVjp => true;

    public override bool HasJvp => true;

    /// <summary>
    /// dA = ct · Bᵀ and dB = Aᵀ · ct (transposes permute the last two axes), each summed over the batch axes its
    /// operand broadcast (<see cref="SumToShape"/>).
    /// </summary>
    public override IReadOnlyList<Value?> Vjp(GraphBuilder builder, Node node, Value cotangent)
    {
        Value a = node.Operands[0], b = node.Operands[1];
        return
        [
            AutodiffRules.NeedsGradient(node, 0) ? SumToShape(builder, builder.Matmul(cotangent, Transpose(builder, b)), a.Type.Shape) : null,
            AutodiffRules.NeedsGradient(node, 1) ? SumToShape(builder, builder.Matmul(Transpose(builder, a), cotangent), b.Type.Shape) : null,
        ];
    }

    /// <summary>Bilinear: tA·B + A·tB.</summary>
    public override Value? Jvp(GraphBuilder builder, Node node, IReadOnlyList<Value?> tangents)
    {
        Value? left = tangents[0] is { } ta ? builder.Matmul(ta, node.Operands[1]) : null;
        Value? right = tangents[1] is { } tb ? builder.Matmul(node.Operands[0], tb) : null;
        return left is null ? right : right is null ? left : builder.Add(left, right);
    }

    /// <summary>Swaps the last two axes.</summary>
    private static Node Transpose(GraphBuilder builder, Value x)
    {
        int rank = x.Type.Rank;
        var perm = Enumerable.Range(0, rank).ToArray();
        (perm[rank - 2], perm[rank - 1]) = (perm[rank - 1], perm[rank - 2]);
        return builder.Permute(x, perm);
    }

    /// <summary>
    /// Undoes NumPy broadcasting for a gradient: sums <paramref name="value"/> over its extra leading axes and over
    /// the axes where <paramref name="target"/> has size 1, then reshapes to <paramref name="target"/>.
    /// </summary>
    internal static Value SumToShape(GraphBuilder builder, Value value, Shape target)
    {
        var shape = value.Type.Shape;
        int lead = shape.Rank - target.Rank;
        var axes = Enumerable.Range(0, shape.Rank).Where(d => d < lead || (target[d - lead] == 1 && shape[d] != 1)).ToArray();
        Value reduced = axes.Length == 0 ? value : builder.ReduceSum(value, axes);
        return reduced.Type.Shape == target ? reduced : builder.Reshape(reduced, target);
    }

    /// <summary>2·m·n·k multiply-adds per batch matrix; reads both operands once and writes the result.</summary>
    public override OpCost Cost(OpContext context)
    {
        var result = context.Result;
        double k = context[0].Shape[context[0].Rank - 1];
        return new OpCost(2.0 * result.ElementCount * k, context[0].SizeInBytes + context[1].SizeInBytes, result.SizeInBytes);
    }
}

public static partial class GraphBuilderOps
{
    /// <summary>Emits <c>matmul(a, b)</c>: <c>[..., m, k] × [..., k, n] → [..., m, n]</c>.</summary>
    public static Node Matmul(this GraphBuilder builder, Value a, Value b) => builder.Emit(Ops.Matmul.Instance, a, b);
}
