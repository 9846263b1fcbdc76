using GraphDL.IR;

namespace GraphDL.Passes;

/// <summary>
/// A graph transformation: a pure function from a graph to a graph (the input is never modified), with a name
/// used in pipelines, dumps and flags (<c>--passes=cse,dce</c>) and a one-line description.
/// </summary>
public interface IPass
{
    string Name { get; }

    string Description { get; }

    Graph Run(Graph graph);
}

/// <summary>A pass given by a name, a description and a function.</summary>
public sealed class LambdaPass(string name, string description, Func<Graph, Graph> run) : IPass
{
    public string Name => name;

    public string Description => description;

    public Graph Run(Graph graph) => run(graph);

    public override string ToString() => name;
}
