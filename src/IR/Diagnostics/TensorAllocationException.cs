using System.Globalization;

namespace GraphDL.IR;

/// <summary>
/// Host memory for a tensor (or a program's buffers) cannot be had: more elements than one .NET array holds, more
/// bytes than this process may use, or the allocation itself ran out of memory. The message is one line:
/// <c>error: cannot allocate input %x f32[100000,100000] (40,000,000,000 bytes): a host tensor holds at most
/// 2,147,483,591 elements</c>.
/// </summary>
public sealed class TensorAllocationException : GraphDLException
{
    public TensorAllocationException(string what, long bytes, string reason, SourceLoc? loc = null)
        : base((loc is { IsKnown: true } l ? $"{l}: " : "") + $"error: cannot allocate {what} ({bytes.ToString("N0", CultureInfo.InvariantCulture)} bytes): {reason}")
    {
        What = what;
        Bytes = bytes;
        Reason = reason;
        Loc = loc ?? SourceLoc.Unknown;
    }

    /// <summary>What was to be allocated: a tensor type, or a name and type (<c>input %x f32[...]</c>).</summary>
    public string What { get; }

    public long Bytes { get; }

    /// <summary>Why it cannot be, without what or how big.</summary>
    public string Reason { get; }

    public SourceLoc Loc { get; }

    /// <summary>The same failure said of <paramref name="what"/> (what the caller calls the tensor), at <paramref name="loc"/> when known.</summary>
    public TensorAllocationException For(string what, SourceLoc? loc = null) => new(what, Bytes, Reason, loc is { IsKnown: true } ? loc : Loc);
}
