namespace GraphDL.IR;

/// <summary>A node's estimated work: floating-point (or integer) operations and bytes moved to and from memory when run alone.</summary>
public readonly record struct OpCost(double Flops, long BytesRead, long BytesWritten)
{
    public long Bytes => BytesRead + BytesWritten;

    /// <summary>Reads every operand once, writes the result once, <paramref name="flopsPerElement"/> operations per result element.</summary>
    public static OpCost Streaming(OpContext context, double flopsPerElement) => new(
        flopsPerElement * context.Result.ElementCount,
        context.Operands.Sum(t => t.SizeInBytes),
        context.Result.SizeInBytes);
}
