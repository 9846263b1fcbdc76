using GraphDL.Cli.Fuzzing;
using GraphDL.IR;
using GraphDL.Tests.Composites;

namespace GraphDL.Tests.Codegen;

/// <summary>
/// Every composite gradcheck sample (<see cref="CompositeGradSampleSet"/>: the functional composites and the nn ones)
/// traced with its gradient — the composite's output and <c>Autodiff.Grad</c> of its sum with respect to every float
/// input, in one graph — then run compiled fused, compiled unfused and on the interpreter, which must agree bit for bit
/// (NaN sign and payload aside, see <see cref="BackendDiff"/>). Each runs in f64 and in f32, on the sample's own
/// values and on seeded values with NaN, ±Inf, ±0 and subnormals in the float inputs.
/// </summary>
public class CompositeEquivalenceTests
{
    private static readonly Lazy<Dictionary<string, CompositeGradSample>> ById = new(() => typeof(CompositeEquivalenceTests).Assembly.GetTypes()
        .Where(t => t.IsSubclassOf(typeof(CompositeGradSampleSet)) && !t.IsAbstract)
        .OrderBy(t => t.FullName, StringComparer.Ordinal)
        .SelectMany(t => ((CompositeGradSampleSet)Activator.CreateInstance(t)!).Samples())
        .ToDictionary(s => s.Id));

    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var id in ById.Value.Keys.Order(StringComparer.Ordinal))
        {
            data.Add(id, "f64");
            data.Add(id, "f32");
        }
        return data;
    }

    /// <summary>The composite's output followed by the gradient of its sum with respect to each float input.</summary>
    private static Graph ForwardAndGradient(CompositeGradSample sample, HostTensor[] inputs)
    {
        var specs = inputs.Select((v, i) => TensorSpec.Input(v.DType, v.Shape.ToArray()).Named($"x{i}")).ToArray();
        return Trace.Function("composite", x =>
        {
            var y = sample.Function(x);
            var wrt = x.Where(t => t.DType.IsFloat()).ToArray();
            return y.DType.IsFloat() && wrt.Length > 0 ? [y, .. GraphDL.Autodiff.Grad(y.Sum(), wrt)] : [y];
        }, specs);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void ForwardAndGradientCompiledMatchTheInterpreter(string id, string dtype)
    {
        var sample = ById.Value[id];
        var inputs = dtype == "f64" ? sample.Inputs
            : sample.Inputs.Select(t => t.DType.IsFloat() ? HostTensor.FromDoubles(DType.F32, t.Shape, t.ToDoubleArray()) : t).ToArray();
        var graph = ForwardAndGradient(sample, inputs);
        Assert.True(graph.Outputs.Count > 1, $"{id}: no gradient outputs");

        var failure = BackendDiff.Mismatch(graph, inputs);
        Assert.True(failure is null, $"{id} ({dtype}), the sample's values: {failure}\n{graph}");

        // The float inputs again, now seeded values with special values sprinkled in; integer inputs (class indices,
        // random keys) stay the sample's, so they remain valid.
        var seeded = BackendDiff.Inputs(graph, seed: id.Length);
        var special = inputs.Select((t, i) => t.DType.IsFloat() ? seeded[i] : t).ToArray();
        failure = BackendDiff.Mismatch(graph, special);
        Assert.True(failure is null, $"{id} ({dtype}), seeded values with specials: {failure}\n{graph}");
    }

    [Fact]
    public void EveryCompositeSampleIsCovered() => Assert.True(ById.Value.Count >= 60, $"only {ById.Value.Count} composite samples found");
}
