using GraphDL.IR;

namespace GraphDL.Cli.Fuzzing;

/// <summary>
/// Makes a random-graph failure small enough to read and keep as a regression test: first the recipe (drop steps one
/// at a time, then point each step at the latest value, while the graph still fails in the same configuration), then
/// the graph itself (only the failing output and the nodes it needs, then without the inputs nothing reads, each kept
/// only if it still fails). Deterministic: every candidate is judged by a fresh check.
/// </summary>
internal static class FailureShrinker
{
    public static RecipeFailure Shrink(RecipeFailure failure)
    {
        var configuration = failure.Configuration;
        var recipe = Minimize(failure.Recipe, candidate => RecipeCheck.Fails(candidate, configuration));
        // A failure that disappears when re-run (it should not: everything is seeded) keeps the original.
        var shrunk = recipe == failure.Recipe ? failure : RecipeCheck.Run(recipe, [configuration]).FirstOrDefault() ?? failure;
        if (shrunk.Failure.Output < 0)
        {
            return shrunk;
        }
        foreach (bool dropInputs in new[] { false, true })
        {
            var graph = KeepOutput(shrunk.Graph, shrunk.Failure.Output, dropInputs);
            var oracle = new DiffOracle(graph, BackendDiff.Inputs(graph, shrunk.Recipe.InputSeed));
            if (BackendDiff.Check(oracle, configuration, null) is { } pruned)
            {
                shrunk = shrunk with { Graph = graph, Failure = pruned };
            }
        }
        return shrunk;
    }

    /// <summary>The greedy minimization of a recipe while <paramref name="fails"/> holds.</summary>
    public static GraphRecipe Minimize(GraphRecipe recipe, Func<GraphRecipe, bool> fails)
    {
        for (bool progress = true; progress;)
        {
            progress = false;
            for (int i = recipe.Steps.Length - 1; i >= 0 && recipe.Steps.Length > 1; i--)
            {
                var candidate = recipe with { Steps = [.. recipe.Steps[..i], .. recipe.Steps[(i + 1)..]] };
                if (fails(candidate))
                {
                    (recipe, progress) = (candidate, true);
                }
            }
            for (int i = 0; i < recipe.Steps.Length; i++)
            {
                if (recipe.Steps[i].Pick != 0)
                {
                    var steps = recipe.Steps.ToArray();
                    steps[i] = steps[i] with { Pick = 0 };
                    var candidate = recipe with { Steps = steps };
                    if (fails(candidate))
                    {
                        (recipe, progress) = (candidate, true);
                    }
                }
            }
        }
        return recipe;
    }

    /// <summary>
    /// <paramref name="graph"/> with only output <paramref name="output"/> and the nodes it depends on; with
    /// <paramref name="dropUnusedInputs"/>, also without the inputs those nodes do not read (which changes the seeded
    /// values the others get).
    /// </summary>
    public static Graph KeepOutput(Graph graph, int output, bool dropUnusedInputs)
    {
        var kept = graph.Outputs[output];
        var live = new HashSet<Value>(ReferenceEqualityComparer.Instance) { kept.Value };
        for (int n = graph.Nodes.Count - 1; n >= 0; n--)
        {
            if (live.Contains(graph.Nodes[n]))
            {
                live.UnionWith(graph.Nodes[n].Operands);
            }
        }
        var builder = new GraphBuilder(graph.Name);
        var map = new Dictionary<Value, Value>(ReferenceEqualityComparer.Instance);
        foreach (var input in graph.Inputs.Where(i => !dropUnusedInputs || live.Contains(i)))
        {
            map[input] = builder.AddInput(input.Name, input.Type, input.Role);
        }
        foreach (var node in graph.Nodes.Where(live.Contains))
        {
            using (builder.At(node.Loc))
            {
                map[node] = builder.Emit(node.Op, node.Operands.Select(o => o is Literal ? o : map[o]).ToArray(), node.Attributes);
            }
        }
        builder.Output(kept.Value is Literal ? kept.Value : map[kept.Value], kept.Name);
        return builder.Build();
    }
}
