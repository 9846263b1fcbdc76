using GraphDL.IR;

namespace GraphDL.Runtime.Serialization;

/// <summary>
/// A checkpoint that cannot be read, or does not fit what it is loaded into: a malformed safetensors file (a header
/// length past the end, JSON that does not parse, an unknown dtype, data offsets outside the data region or
/// overlapping), or a tensor the model lacks, misses or shapes differently. The message names the file and, where
/// one tensor is at fault, that tensor (also in <see cref="Tensor"/>).
/// </summary>
public sealed class CheckpointException : GraphDLException
{
    public CheckpointException(string filePath, string? tensor, string problem)
        : base($"{filePath}: {(tensor is null ? "" : $"tensor '{tensor}': ")}{problem}")
    {
        FilePath = filePath;
        Tensor = tensor;
        Problem = problem;
    }

    /// <summary>The checkpoint file.</summary>
    public string FilePath { get; }

    /// <summary>The tensor at fault, or null when the fault is the file's (its length, its header as a whole).</summary>
    public string? Tensor { get; }

    /// <summary>What is wrong, without the file and tensor names.</summary>
    public string Problem { get; }
}
