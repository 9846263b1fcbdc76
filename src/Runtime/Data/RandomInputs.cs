using GraphDL.IR;

namespace GraphDL.Runtime;

/// <summary>
/// Seeded random values for a graph's inputs, for <c>graphdl run</c> and numerical checks: floats standard normal,
/// integers uniform in [0, 10) (valid class indices for small problems), bools fair coins. The same seed gives the
/// same values on every machine.
/// </summary>
public static class RandomInputs
{
    public static IReadOnlyList<HostTensor> For(Graph graph, int seed)
    {
        var random = new Random(seed);
        return graph.Inputs.Select(input => Sample(input.Type, random)).ToArray();
    }

    public static HostTensor Sample(TensorType type, Random random)
    {
        long n = type.ElementCount;
        if (type.DType.IsFloat())
        {
            var values = new double[n];
            for (long i = 0; i < n; i++)
            {
                // Box–Muller on two uniforms in (0, 1].
                double u1 = 1.0 - random.NextDouble(), u2 = random.NextDouble();
                values[i] = Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
            }
            return HostTensor.FromDoubles(type.DType, type.Shape, values);
        }
        if (type.DType.IsInteger())
        {
            var values = new long[n];
            for (long i = 0; i < n; i++)
            {
                values[i] = random.Next(10);
            }
            return HostTensor.FromInt64s(type.DType, type.Shape, values);
        }
        var bools = new bool[n];
        for (long i = 0; i < n; i++)
        {
            bools[i] = random.Next(2) == 1;
        }
        return HostTensor.FromBools(type.Shape, bools);
    }
}
