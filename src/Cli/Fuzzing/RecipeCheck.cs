using GraphDL.IR;
using GraphDL.Passes.Autodiff;

namespace GraphDL.Cli.Fuzzing;

/// <summary>
/// A configuration in which a random graph failed: the graph that shows it (the forward graph, or the VJP graph when
/// only that fails), its inputs' seed, and what differs.
/// </summary>
internal sealed record RecipeFailure(GraphRecipe Recipe, DiffFailure Failure, bool Backward, Graph Graph)
{
    public FuzzConfiguration Configuration => Failure.Configuration;

    public override string ToString() => $"{Failure.Configuration} ({(Backward ? "backward" : "forward")}): {Failure.Message}";
}

/// <summary>
/// The differential check of one random graph: its forward graph and its vector-Jacobian product (the forward outputs
/// plus the gradient of every input for seeded cotangents, so backward graphs are checked too) run compiled in each
/// configuration and on the interpreter, on <see cref="BackendDiff.Inputs"/> seeded with the recipe's input seed.
/// </summary>
internal static class RecipeCheck
{
    /// <summary>One failure per configuration that fails, the forward graph's if it fails there, else the VJP graph's.</summary>
    public static IReadOnlyList<RecipeFailure> Run(GraphRecipe recipe, IReadOnlyList<FuzzConfiguration> configurations, DiffStats? stats = null)
    {
        var forward = RandomGraphs.Build(recipe);
        var forwardOracle = new DiffOracle(forward, BackendDiff.Inputs(forward, recipe.InputSeed));
        DiffOracle? backwardOracle = null;
        var failures = new List<RecipeFailure>();
        foreach (var configuration in configurations)
        {
            if (BackendDiff.Check(forwardOracle, configuration, stats) is { } forwardFailure)
            {
                failures.Add(new RecipeFailure(recipe, forwardFailure, false, forward));
                continue;
            }
            backwardOracle ??= Backward(forward, recipe.InputSeed);
            if (BackendDiff.Check(backwardOracle, configuration, stats) is { } backwardFailure)
            {
                failures.Add(new RecipeFailure(recipe, backwardFailure, true, backwardOracle.Graph));
            }
        }
        return failures;
    }

    private static DiffOracle Backward(Graph forward, int inputSeed)
    {
        var vjp = GradientTransforms.Vjp(forward, forward.Inputs.Select(i => i.Name).ToArray());
        return new DiffOracle(vjp, BackendDiff.Inputs(vjp, inputSeed));
    }

    /// <summary>Whether <paramref name="recipe"/> fails in <paramref name="configuration"/> (a graph that cannot even be built does not).</summary>
    public static bool Fails(GraphRecipe recipe, FuzzConfiguration configuration)
    {
        try
        {
            return Run(recipe, [configuration]).Count > 0;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return false;
        }
    }
}
