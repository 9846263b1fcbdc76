using GraphDL.IR;

namespace GraphDL.Passes;

/// <summary>What a graph holds: nodes, ops by trait, and the estimated work of running every node on its own.</summary>
public sealed record GraphStatistics(int Nodes, int Elementwise, int Reduction, int Movement, int Contraction, int Other, double Flops, double Bytes)
{
    /// <summary>No graph (a stage whose result is not a graph).</summary>
    public static GraphStatistics Empty { get; } = new(0, 0, 0, 0, 0, 0, 0, 0);

    public static GraphStatistics Of(Graph graph)
    {
        int elementwise = 0, reduction = 0, movement = 0, contraction = 0, other = 0;
        double flops = 0, bytes = 0;
        foreach (var node in graph.Nodes)
        {
            var op = node.Op;
            if (op.Has(OpTraits.Elementwise))
            {
                elementwise++;
            }
            else if (op.Has(OpTraits.Reduction))
            {
                reduction++;
            }
            else if (op.Has(OpTraits.Movement))
            {
                movement++;
            }
            else if (op.Has(OpTraits.Contraction))
            {
                contraction++;
            }
            else
            {
                other++;
            }
            var cost = Fusion.NodeCost.Of(node);
            flops += cost.Flops;
            bytes += cost.BytesRead + cost.BytesWritten;
        }
        return new(graph.Nodes.Count, elementwise, reduction, movement, contraction, other, flops, bytes);
    }
}
