using GraphDL.Codegen.Kernels;
using GraphDL.IR;

namespace GraphDL.Codegen.Programs;

/// <summary>
/// An f32 <c>matmul</c> with batch axes ([..., m, k] × [..., k, n], batch axes broadcast as in NumPy) run by
/// <c>Gemm.SgemmBatched</c> (the runtime loops over <see cref="OuterDims"/>). An operand that is a permute swapping its last two axes is read in place as a
/// transposed operand (its batch axes are untouched, so every batch matrix is the stored one with the other
/// stride).
/// </summary>
/// <remarks>
/// The result's batch axes (size-1 axes dropped) are split into an inner run, the longest suffix along which each
/// operand's matrices lie a constant stride apart (0 where it broadcasts), taken by one batched GEMM call, and
/// outer axes looped over. A right operand shared by a whole run of contiguous, untransposed left matrices turns
/// the run into one GEMM with run·m rows (the usual [b, s, k] × [k, n] of a linear layer).
/// </remarks>
public sealed record BatchedGemmStep(
    Node Node, Value A, bool TransA, Value B, bool TransB, int M, int N, int K,
    int[] OuterDims, long[] OuterStrideA, long[] OuterStrideB, long[] OuterStrideC,
    int Inner, long InnerStrideA, long InnerStrideB, long InnerStrideC) : LibraryStep(Node)
{
    /// <summary>Whether <paramref name="value"/> is a permute that swaps its last two axes and keeps the others.</summary>
    public static bool IsLastAxesSwap(Value value)
    {
        if (value is not Node { Op.Name: "permute" } permute || permute.Type.Rank < 2)
        {
            return false;
        }
        var perm = permute.Attributes.Ints("perm");
        int rank = perm.Count;
        return perm[rank - 2] == rank - 1 && perm[rank - 1] == rank - 2 && Enumerable.Range(0, rank - 2).All(d => perm[d] == d);
    }

    /// <summary>A step for an f32 matmul with at least one operand of rank 3 or more; otherwise null.</summary>
    public static BatchedGemmStep? TryCreate(Node node)
    {
        if (node.Op.Name != "matmul" || node.Type.DType != DType.F32 || node.Type.Rank < 3)
        {
            return null;
        }
        Value a = node.Operands[0], b = node.Operands[1];
        bool transA = IsLastAxesSwap(a), transB = IsLastAxesSwap(b);
        var result = node.Type.Shape;
        int rank = result.Rank, m = result[rank - 2], n = result[rank - 1], k = a.Type.Shape[a.Type.Rank - 1];
        var dims = new List<int>();
        var strides = new List<(long A, long B, long C)>();
        long strideC = (long)m * n;
        var stridesA = BatchStrides(a.Type.Shape, rank - 2);
        var stridesB = BatchStrides(b.Type.Shape, rank - 2);
        for (int axis = rank - 3; axis >= 0; axis--)
        {
            if (result[axis] != 1)
            {
                dims.Insert(0, result[axis]);
                strides.Insert(0, (stridesA[axis], stridesB[axis], strideC));
            }
            strideC *= result[axis];
        }
        // The inner run: the last axis, and each axis before it whose strides continue the run's for every operand.
        int first = dims.Count;
        long inner = 1;
        var (innerA, innerB, innerC) = (0L, 0L, 0L);
        while (first > 0)
        {
            var s = strides[first - 1];
            bool continues = first == dims.Count
                || (s.A == innerA * inner && s.B == innerB * inner && s.C == innerC * inner);
            if (!continues)
            {
                break;
            }
            if (first == dims.Count)
            {
                (innerA, innerB, innerC) = s;
            }
            inner *= dims[first - 1];
            first--;
        }
        if (inner > int.MaxValue)
        {
            return null;
        }
        return new BatchedGemmStep(node, transA ? ((Node)a).Operands[0] : a, transA, transB ? ((Node)b).Operands[0] : b, transB, m, n, k,
            dims[..first].ToArray(), strides[..first].Select(s => s.A).ToArray(), strides[..first].Select(s => s.B).ToArray(),
            strides[..first].Select(s => s.C).ToArray(), (int)inner, innerA, innerB, innerC);
    }

    /// <summary>
    /// The element distance between consecutive matrices of an operand of <paramref name="shape"/> along each of the
    /// result's <paramref name="batchRank"/> batch axes (aligned from the right): 0 where the operand broadcasts.
    /// </summary>
    private static long[] BatchStrides(Shape shape, int batchRank)
    {
        var strides = new long[batchRank];
        int operandBatch = shape.Rank - 2;
        long stride = (long)shape[shape.Rank - 2] * shape[shape.Rank - 1];
        for (int axis = operandBatch - 1; axis >= 0; axis--)
        {
            strides[axis + batchRank - operandBatch] = shape[axis] == 1 ? 0 : stride;
            stride *= shape[axis];
        }
        return strides;
    }

    /// <summary>A and B: a transposed operand is read in place, so the permute's own operand is what the step reads.</summary>
    public override IReadOnlyList<Value> Reads { get; } = A == B ? [A] : [A, B];
}
