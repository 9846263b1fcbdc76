namespace GraphDL.IR;

/// <summary>Base of every error GraphDL raises on purpose: catch this to catch them all.</summary>
public class GraphDLException : Exception
{
    public GraphDLException(string message) : base(message)
    {
    }

    public GraphDLException(string message, Exception inner) : base(message, inner)
    {
    }
}
