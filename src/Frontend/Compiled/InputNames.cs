namespace GraphDL;

/// <summary>Names the per-call inputs of a compiled function after the parameters of the user's lambda, as <see cref="Trace"/> does.</summary>
internal static class InputNames
{
    /// <summary>
    /// The names of <paramref name="count"/> tensor parameters of <paramref name="function"/> after its first
    /// <paramref name="skip"/> (the model): <c>(m, x, y, mask) =&gt; ...</c> gives <c>x, y, mask</c>. A name that is not
    /// an identifier, repeats, or is taken by a parameter, buffer or input the graph adds (<c>lr</c>, <c>rng.seed</c>)
    /// becomes <c>input0, input1, ...</c>.
    /// </summary>
    public static string[] Of(Delegate? function, int skip, int count, IEnumerable<string> taken)
    {
        var parameters = function?.Method.GetParameters() ?? [];
        var used = new HashSet<string>(taken, StringComparer.Ordinal) { "lr", "rng.seed", "rng.offset", "loss" };
        var names = new string[count];
        for (int i = 0; i < count; i++)
        {
            var name = skip + i < parameters.Length ? parameters[skip + i].Name : null;
            if (name is null || !IR.Text.GirSyntax.IsIdentifier(name) || used.Contains(name))
            {
                name = $"input{i}";
            }
            used.Add(name);
            names[i] = name;
        }
        return names;
    }
}
