using GraphDL.IR;

namespace GraphDL.Runtime;

/// <summary>
/// Seeded random values for a graph's inputs, for <c>graphdl run</c> and numerical checks: floats standard normal,
/// integers uniform in [0, 10) (valid class indices for small problems), bools fair coins. The same seed gives the
/// same values on every machine.
/// </summary>
public static class RandomInputs
{
    /// <exception cref="TensorAllocationException">An input is too large to allocate; the message names it.</exception>
    public static IReadOnlyList<HostTensor> For(Graph graph, int seed)
    {
        var random = new Random(seed);
        return graph.Inputs.Select(input =>
        {
            try
            {
                return Sample(input.Type, random);
            }
            catch (TensorAllocationException e)
            {
                throw e.For($"input %{input.Name} {input.Type}");
            }
        }).ToArray();
    }

    public static HostTensor Sample(TensorType type, Random random) => HostTensor.Random(type, random);
}
