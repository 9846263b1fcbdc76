using System.Globalization;
using GraphDL.IR;
using GraphDL.Runtime;

namespace GraphDL.Cli.Fuzzing;

/// <summary>
/// Differential checking of the compiled CPU backend: a graph runs on the reference interpreter and compiled in each
/// of the <see cref="FuzzConfiguration"/>s asked for, and each output is judged by a <see cref="DiffOracle"/>: in a
/// bit-exact configuration it must be bit-identical — the sign of zero, infinities, subnormals and every bit of every
/// number included — except that a NaN matches any NaN (<see cref="Same"/>); in a fast one it must lie within the
/// fast-mode enclosure. Also the seeded inputs these checks use: standard normal values with NaNs of both signs, ±Inf,
/// ±0, subnormals and huge values sprinkled in.
/// <para>
/// Why NaN sign and payload are not compared: where both operands of an op are NaN, x86 returns the first one, and
/// RyuJIT treats the NaN a float op returns as unspecified. It swaps the operands of + and × (to fold a load or a
/// hoisted invariant into the instruction) and rewrites a + (−b) as a − b (also when −b is written as an xor of the
/// sign bit), so a generated kernel can return the other operand's NaN, or a NaN of the other sign, than the
/// interpreter, which runs each op in its own loop. It can even differ between the Tier0 and optimized code of one
/// kernel. Found by the random-graph tests, where such differences come up in every run (they report how many
/// outputs matched only thanks to this rule); two of the graphs are kept in Regressions/nan_*.gir. Set
/// <c>GRAPHDL_STRICT_NAN=1</c> to compare NaN bits too.
/// </para>
/// </summary>
internal static class BackendDiff
{
    /// <summary>
    /// Null when the fused and unfused bit-exact programs (memory planned) give exactly the interpreter's outputs;
    /// else a description of the first difference (or of the exception a compiled program threw).
    /// </summary>
    public static string? Mismatch(Graph graph, IReadOnlyList<HostTensor> inputs) =>
        Check(new DiffOracle(graph, inputs), FuzzConfiguration.All.Where(c => c.Exact && c.PlanMemory).ToArray(), null).FirstOrDefault()?.ToString();

    /// <summary>
    /// Compiles <paramref name="oracle"/>'s graph in each configuration, runs it on the oracle's inputs and judges
    /// the outputs: one failure (the first output that is not acceptable, or the exception) per configuration that
    /// fails. What was compiled and judged is counted into <paramref name="stats"/>.
    /// </summary>
    public static IReadOnlyList<DiffFailure> Check(DiffOracle oracle, IReadOnlyList<FuzzConfiguration> configurations, DiffStats? stats)
    {
        var failures = new List<DiffFailure>();
        foreach (var configuration in configurations)
        {
            if (Check(oracle, configuration, stats) is { } failure)
            {
                failures.Add(failure);
            }
        }
        return failures;
    }

    /// <summary>The failure of one configuration on <paramref name="oracle"/>'s graph, or null when every output is acceptable.</summary>
    public static DiffFailure? Check(DiffOracle oracle, FuzzConfiguration configuration, DiffStats? stats)
    {
        var graph = oracle.Graph;
        IReadOnlyList<HostTensor> actual;
        try
        {
            using var program = configuration.Backend.Compile(graph);
            actual = program.Run(oracle.Inputs);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The first line only: a compile error's message carries the whole generated source.
            var first = e.Message.Split('\n')[0].TrimEnd();
            return new DiffFailure(configuration, -1, $"{e.GetType().Name}: {(first.Length > 300 ? first[..300] + "..." : first)}");
        }
        if (stats is not null)
        {
            stats.Programs++;
        }
        if (actual.Count != graph.Outputs.Count)
        {
            return new DiffFailure(configuration, -1, $"{actual.Count} outputs, the graph has {graph.Outputs.Count}");
        }
        for (int o = 0; o < actual.Count; o++)
        {
            if (oracle.Judge(configuration.Exact, o, actual[o], stats) is { } difference)
            {
                return new DiffFailure(configuration, o, $"output {graph.OutputName(o)} ({actual[o].Type}) differs: {difference}");
            }
        }
        return null;
    }

    /// <summary>
    /// <see cref="HostTensor.BitEquals"/>, except that a NaN element equals any NaN element (see the class comment).
    /// </summary>
    public static bool Same(HostTensor actual, HostTensor expected) => actual.Type == expected.Type && FirstDifferent(actual, expected) < 0;

    /// <summary>With <c>GRAPHDL_STRICT_NAN=1</c> NaN bits are compared too (plain <see cref="HostTensor.BitEquals"/>), to see the NaN differences.</summary>
    private static readonly bool StrictNan = Environment.GetEnvironmentVariable("GRAPHDL_STRICT_NAN") == "1";

    private static long FirstDifferent(HostTensor actual, HostTensor expected)
    {
        bool isFloat = expected.DType.IsFloat();
        for (long i = 0; i < expected.ElementCount; i++)
        {
            if (!actual.GetScalar(i).Equals(expected.GetScalar(i)) && !(!StrictNan && isFloat && double.IsNaN(actual.GetDouble(i)) && double.IsNaN(expected.GetDouble(i))))
            {
                return i;
            }
        }
        return -1;
    }

    /// <summary>The first element that differs (<see cref="Same"/>), with both values and their bit patterns.</summary>
    public static string FirstDifference(HostTensor actual, HostTensor expected)
    {
        if (actual.Type != expected.Type)
        {
            return $"type {actual.Type}, the interpreter gives {expected.Type}";
        }
        long i = FirstDifferent(actual, expected);
        return i < 0 ? "no element differs"
            : $"element [{string.Join(",", expected.Shape.Unravel(i))}] is {Describe(actual, i)}, the interpreter gives {Describe(expected, i)}";
    }

    /// <summary>Element <paramref name="i"/> with its bit pattern.</summary>
    public static string Describe(HostTensor tensor, long i) => tensor.DType switch
    {
        DType.F32 => $"{((float)tensor.GetDouble(i)).ToString("R", CultureInfo.InvariantCulture)} (0x{BitConverter.SingleToInt32Bits((float)tensor.GetDouble(i)):X8})",
        DType.F64 => $"{tensor.GetDouble(i).ToString("R", CultureInfo.InvariantCulture)} (0x{BitConverter.DoubleToInt64Bits(tensor.GetDouble(i)):X16})",
        _ => tensor.GetScalar(i).ToString(),
    };

    /// <summary>Values sprinkled into the inputs: NaNs of both signs, infinities, signed zeros, subnormals, huge values.</summary>
    private static readonly double[] Specials =
    [
        double.NaN, BitConverter.Int64BitsToDouble(0x7FF8000000000000), double.PositiveInfinity, double.NegativeInfinity,
        0.0, -0.0, 1e-40, -1e-310, 1e30, -3e38, 1.0, -1.0,
    ];

    /// <summary>
    /// Seeded inputs for every input of <paramref name="graph"/>: floats standard normal (as <see cref="HostTensor.Random"/>)
    /// with about one element in 12 replaced by a special value when <paramref name="specials"/>; integers and bools as
    /// <see cref="HostTensor.Random"/> gives them.
    /// </summary>
    public static IReadOnlyList<HostTensor> Inputs(Graph graph, int seed, bool specials = true)
    {
        var random = new Random(seed);
        return graph.Inputs.Select(input =>
        {
            var tensor = HostTensor.Random(input.Type, random);
            if (!specials || !input.Type.DType.IsFloat())
            {
                return tensor;
            }
            var values = tensor.ToDoubleArray();
            for (int i = 0; i < values.Length; i++)
            {
                if (random.Next(12) == 0)
                {
                    values[i] = Specials[random.Next(Specials.Length)];
                }
            }
            return HostTensor.FromDoubles(input.Type.DType, input.Type.Shape, values);
        }).ToArray();
    }
}

/// <summary>
/// A configuration in which a graph gave an unacceptable output (<see cref="Output"/>, or −1 when it did not compile,
/// threw, or returned the wrong number of outputs), with what differs.
/// </summary>
internal sealed record DiffFailure(FuzzConfiguration Configuration, int Output, string Message)
{
    public override string ToString() => $"{Configuration}: {Message}";
}
