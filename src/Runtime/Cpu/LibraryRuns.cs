using System.Runtime.InteropServices;
using GraphDL.Codegen.Kernels;
using GraphDL.Codegen.Programs;
using GraphDL.IR;

namespace GraphDL.Runtime;

/// <summary>
/// A <see cref="BatchedGemmStep"/>: the result's outer batch axes looped over, each inner run one batched GEMM call,
/// or one GEMM of Inner·m rows when B is shared by contiguous A matrices (a linear layer over [b, s, k]).
/// </summary>
internal sealed class BatchedGemmRun(BatchedGemmStep step) : CpuStep(step)
{
    public override unsafe void Run(ProgramBuffers buffers)
    {
        if (step.Node.Type.ElementCount == 0)
        {
            return;
        }
        float* a = (float*)buffers.Address(step.A), b = (float*)buffers.Address(step.B), c = (float*)buffers.Address(step.Node);
        long outerCount = step.OuterDims.Aggregate(1L, (product, dim) => product * dim);
        for (long outer = 0; outer < outerCount; outer++)
        {
            long offsetA = 0, offsetB = 0, offsetC = 0;
            for (int axis = 0; axis < step.OuterDims.Length; axis++)
            {
                long index = outer / OuterIterationsBelow(axis) % step.OuterDims[axis];
                offsetA += index * step.OuterStrideA[axis];
                offsetB += index * step.OuterStrideB[axis];
                offsetC += index * step.OuterStrideC[axis];
            }
            Multiply(a + offsetA, b + offsetB, c + offsetC);
        }
    }

    /// <summary>The number of outer iterations one step of outer axis <paramref name="axis"/> spans.</summary>
    private long OuterIterationsBelow(int axis)
    {
        long below = 1;
        for (int d = axis + 1; d < step.OuterDims.Length; d++)
        {
            below *= step.OuterDims[d];
        }
        return below;
    }

    /// <summary>One inner run: a batched GEMM, or one GEMM of step.Inner·m rows when B is shared by contiguous A matrices.</summary>
    private unsafe void Multiply(float* a, float* b, float* c)
    {
        int lda = Math.Max(1, step.TransA ? step.M : step.K), ldb = Math.Max(1, step.TransB ? step.K : step.N), ldc = Math.Max(1, step.N);
        int threads = Environment.ProcessorCount;
        if (step.Inner > 1 && step.InnerStrideB == 0 && !step.TransA && step.InnerStrideA == (long)step.M * step.K && (long)step.Inner * step.M <= int.MaxValue)
        {
            Gemm.Sgemm(step.Inner * step.M, step.N, step.K, a, lda, false, b, ldb, step.TransB, c, ldc, accumulate: false, threads);
            return;
        }
        Gemm.SgemmBatched(step.Inner, step.M, step.N, step.K, a, lda, step.TransA, b, ldb, step.TransB, c, ldc, accumulate: false, threads,
            step.InnerStrideA, step.InnerStrideB, step.InnerStrideC);
    }
}

/// <summary>A <see cref="Conv2dStep"/> on every core.</summary>
internal sealed unsafe class Conv2dRun(Conv2dStep step) : CpuStep(step)
{
    public override void Run(ProgramBuffers buffers) => Conv2dKernel.Sconv2d(step.Geometry,
        (float*)buffers.Address(step.Node.Operands[0]), (float*)buffers.Address(step.Node.Operands[1]), (float*)buffers.Address(step.Node),
        Environment.ProcessorCount);
}

/// <summary>A <see cref="WindowReductionStep"/> (pooling) in f32 or f64.</summary>
internal sealed class WindowReductionRun(WindowReductionStep step) : CpuStep(step)
{
    public override unsafe void Run(ProgramBuffers buffers)
    {
        nint x = buffers.Address(step.Node.Operands[0]), y = buffers.Address(step.Node);
        if (step.Node.Type.DType == DType.F32)
        {
            WindowReduction.Reduce(step.Geometry, (float*)x, (float*)y);
        }
        else
        {
            WindowReduction.Reduce(step.Geometry, (double*)x, (double*)y);
        }
    }
}

/// <summary>A <see cref="MovementStep"/>: a reshape's bytes copied as they are, or one strided copy per operand.</summary>
internal sealed class MovementRun(MovementStep step) : CpuStep(step)
{
    public override unsafe void Run(ProgramBuffers buffers)
    {
        var type = step.Node.Type;
        int size = type.DType.SizeInBytes();
        byte* dst = (byte*)buffers.Address(step.Node);
        if (step.Node.Op.Name == "reshape")
        {
            // Row-major order is unchanged: the bytes move as they are (a reshape that is not a graph output shares
            // its operand's buffer instead, see AliasStep).
            Buffer.MemoryCopy((void*)buffers.Address(step.Node.Operands[0]), dst, type.SizeInBytes, type.SizeInBytes);
            return;
        }
        if (step.Node.Op.Name == "pad")
        {
            // The fill value, converted as the reference converts it, repeated by a stride-0 read.
            var fill = HostTensor.Full(new TensorType(type.DType, Shape.Scalar), step.Node.Attributes.Scalar("value")).Storage;
            fixed (byte* value = &MemoryMarshal.GetArrayDataReference(fill))
            {
                StridedCopy.Copy(value, 0, [0], dst, 0, [1], [checked((int)type.ElementCount)], size);
            }
        }
        for (int k = 0; k < step.Node.Operands.Count; k++)
        {
            var copy = step.CopyOf(k);
            StridedCopy.Copy((byte*)buffers.Address(step.Node.Operands[k]), copy.SrcOffset, copy.SrcStrides, dst, copy.DstOffset, copy.DstStrides, copy.Shape, size);
        }
    }
}

/// <summary>
/// An <see cref="IndexingStep"/>. An index out of range is the reference's evaluation error: the node's reference
/// evaluation runs and raises it.
/// </summary>
internal sealed class IndexingRun(IndexingStep step) : CpuStep(step)
{
    public override unsafe void Run(ProgramBuffers buffers)
    {
        var x = step.Node.Operands[0];
        var index = buffers.Read(step.Node.Operands[1]);
        int axis = (int)step.Node.Attributes.Int("axis");
        ReadOnlySpan<long> indices = index.DType == DType.I64 ? index.AsSpan<long>() : index.ToInt64Array();
        if (!AxisIndexing.InRange(indices, x.Type.Shape[axis]))
        {
            // The reference evaluation raises the error.
            var operands = step.Node.Operands.Select(buffers.Read).ToArray();
            buffers.Store(step.Node, step.Node.Op.Evaluate(new EvalContext(step.Node.Op, operands, step.Node.Attributes, step.Node.Type, step.Node.Loc)));
            return;
        }
        if (step.Node.Op.Name == "gather")
        {
            AxisIndexing.Gather((byte*)buffers.Address(x), x.Type.Shape.AsSpan(), indices, index.Shape.AsSpan(), axis,
                (byte*)buffers.Address(step.Node), step.Node.Type.DType.SizeInBytes());
            return;
        }
        var sums = buffers.Read(x).ToDoubleArray();
        fixed (double* ps = sums)
        {
            AxisIndexing.ScatterAdd(ps, x.Type.Shape.AsSpan(), indices, index.Shape.AsSpan(), axis, buffers.Read(step.Node.Operands[2]).ToDoubleArray());
        }
        buffers.Store(step.Node, HostTensor.FromDoubles(step.Node.Type.DType, step.Node.Type.Shape, sums));
    }
}

/// <summary>An <see cref="IotaStep"/>, converted to the dtype as the reference converts it.</summary>
internal sealed class IotaRun(IotaStep step) : CpuStep(step)
{
    public override void Run(ProgramBuffers buffers)
    {
        var shape = step.Node.Type.Shape;
        int axis = (int)step.Node.Attributes.Int("axis");
        long stride = shape.Strides()[axis];
        var positions = new long[shape.ElementCount];
        for (long i = 0; i < positions.LongLength; i++)
        {
            positions[i] = i / stride % shape[axis];
        }
        buffers.Store(step.Node, HostTensor.FromInt64s(step.Node.Type.DType, shape, positions));
    }
}
