using GraphDL.IR;

namespace GraphDL;

/// <summary>
/// Traces a C# function over symbolic tensors into a <see cref="Graph"/>:
/// <code>
/// var graph = Trace.Function("mlp", (x, w1, b1) => F.Relu(x.MatMul(w1) + b1),
///     TensorSpec.Input(DType.F32, 64, 784), TensorSpec.Param(DType.F32, 784, 128), TensorSpec.Param(DType.F32, 128));
/// </code>
/// The function runs once; every tensor operation emits IR stamped with the caller's file and line. The graph is
/// verified before it is returned.
/// </summary>
public static class Trace
{
    public static Graph Function(string name, Func<Tensor, Tensor> f, TensorSpec x) =>
        Run(name, f.Method.GetParameters().Select(p => p.Name), [x], a => [f(a[0])]);

    public static Graph Function(string name, Func<Tensor, Tensor, Tensor> f, TensorSpec x, TensorSpec y) =>
        Run(name, f.Method.GetParameters().Select(p => p.Name), [x, y], a => [f(a[0], a[1])]);

    public static Graph Function(string name, Func<Tensor, Tensor, Tensor, Tensor> f, TensorSpec x, TensorSpec y, TensorSpec z) =>
        Run(name, f.Method.GetParameters().Select(p => p.Name), [x, y, z], a => [f(a[0], a[1], a[2])]);

    public static Graph Function(string name, Func<Tensor, Tensor, Tensor, Tensor, Tensor> f, TensorSpec x, TensorSpec y, TensorSpec z, TensorSpec w) =>
        Run(name, f.Method.GetParameters().Select(p => p.Name), [x, y, z, w], a => [f(a[0], a[1], a[2], a[3])]);

    public static Graph Function(string name, Func<Tensor, Tensor, Tensor, Tensor, Tensor, Tensor> f, TensorSpec x, TensorSpec y, TensorSpec z, TensorSpec w, TensorSpec v) =>
        Run(name, f.Method.GetParameters().Select(p => p.Name), [x, y, z, w, v], a => [f(a[0], a[1], a[2], a[3], a[4])]);

    /// <summary>Any number of arguments and results; inputs are named by their specs, else <c>arg0, arg1, ...</c>.</summary>
    public static Graph Function(string name, Func<Tensor[], Tensor[]> f, params TensorSpec[] specs) =>
        Run(name, [], specs, f);

    /// <summary>Like <see cref="Function(string, Func{Tensor[], Tensor[]}, TensorSpec[])"/> with named outputs (e.g. <c>loss</c>).</summary>
    public static Graph Function(string name, Func<Tensor[], IReadOnlyList<(string Name, Tensor Value)>> f, params TensorSpec[] specs)
    {
        string[] names = [];
        var graph = Run(name, [], specs, a =>
        {
            var results = f(a);
            names = results.Select(r => r.Name).ToArray();
            return results.Select(r => r.Value).ToArray();
        }, () => names);
        return graph;
    }

    private static Graph Run(string name, IEnumerable<string?> parameterNames, IReadOnlyList<TensorSpec> specs,
        Func<Tensor[], Tensor[]> body, Func<string[]>? outputNames = null)
    {
        if (!IR.Text.GirSyntax.IsIdentifier(name))
        {
            throw new ArgumentException($"graph name '{name}' must be an identifier (letters, digits, '_' and '.')", nameof(name));
        }
        var lambdaNames = parameterNames.ToArray();
        var context = new TraceContext(name);
        var outer = TraceContext.Current;
        TraceContext.Current = context;
        try
        {
            var arguments = new Tensor[specs.Count];
            for (int i = 0; i < specs.Count; i++)
            {
                var inputName = specs[i].Name ?? (i < lambdaNames.Length && lambdaNames[i] is { } p && IR.Text.GirSyntax.IsIdentifier(p) ? p : $"arg{i}");
                arguments[i] = new Tensor(context, context.Builder.AddInput(inputName, specs[i].Type, specs[i].Role));
            }
            var results = body(arguments);
            var names = outputNames?.Invoke() ?? [];
            for (int i = 0; i < results.Length; i++)
            {
                if (results[i].Context != context)
                {
                    throw new InvalidOperationException($"result {i} of @{name} is a tensor of another trace (@{results[i].Context.Builder.Name})");
                }
                context.Builder.Output(results[i].Value, i < names.Length ? names[i] : null);
            }
            return context.Builder.Build();
        }
        finally
        {
            context.Finished = true;
            TraceContext.Current = outer;
        }
    }
}
