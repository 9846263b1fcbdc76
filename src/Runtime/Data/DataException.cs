using GraphDL.IR;

namespace GraphDL.Runtime.Data;

/// <summary>
/// A data set that cannot be read or fetched: a malformed, truncated or corrupt file, a hash mismatch, a missing
/// tool. The message names the file (or directory) and says what is wrong with it.
/// </summary>
public sealed class DataException : GraphDLException
{
    public DataException(string message) : base(message)
    {
    }

    public DataException(string message, Exception inner) : base(message, inner)
    {
    }
}
