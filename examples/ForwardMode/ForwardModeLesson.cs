using System.Globalization;
using GraphDL.IR;
using GraphDL.Runtime;

namespace GraphDL.Examples.ForwardMode;

/// <summary>The largest absolute difference of each comparison the lesson makes.</summary>
public sealed record ForwardModeResults(
    double DualVsJvp,
    double JvpVsFiniteDifferences,
    double JacobianForwardVsReverse,
    double JacobianVsFiniteDifferences,
    double HvpVsFiniteDifferences,
    double HessianAsymmetry)
{
    /// <summary>The bound each difference must stay under: derivatives in f64 agree to rounding, finite differences to about h².</summary>
    public const double ExactTolerance = 1e-12, FiniteDifferenceTolerance = 1e-7;

    public bool Passed =>
        DualVsJvp < ExactTolerance && JacobianForwardVsReverse < ExactTolerance && HessianAsymmetry < ExactTolerance
        && JvpVsFiniteDifferences < FiniteDifferenceTolerance && JacobianVsFiniteDifferences < FiniteDifferenceTolerance
        && HvpVsFiniteDifferences < FiniteDifferenceTolerance;
}

/// <summary>
/// Forward-mode differentiation, from dual numbers to graphs. f(x) = sin(x·A) ⊙ exp(tanh(x·B)) maps ℝⁿ to ℝᵐ
/// (x a row vector, A and B fixed n×m matrices). Its Jacobian-vector product J·v is computed three ways: with
/// <see cref="Dual"/> numbers in plain C#, by GraphDL's forward mode (<see cref="Autodiff.Jvp"/>: a graph transform
/// that adds a tangent node beside each primal node), and by central finite differences. The whole Jacobian is then
/// built column by column with n JVPs (forward mode) and row by row with m VJPs (reverse mode,
/// <see cref="Autodiff.Vjp"/>): the two must agree. Last, the Hessian-vector product of a scalar g, forward over
/// reverse (<see cref="Autodiff.HessianVectorProduct"/>), against finite differences of the gradient.
/// All in f64, compiled by <paramref name="backend"/>.
/// </summary>
public sealed class ForwardModeLesson(IBackend backend, TextWriter output)
{
    public const int N = 4, M = 3;
    private const double Step = 1e-5;

    private readonly double[] _a = Fill(N * M, 1), _b = Fill(N * M, 2), _m = Fill(N * M, 3);
    private readonly double[] _x = [0.3, -1.2, 0.7, 2.0], _v = [1.0, 0.5, -0.25, 2.0];

    public ForwardModeResults Run()
    {
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"f(x) = sin(x·A) ⊙ exp(tanh(x·B)): ℝ^{N} → ℝ^{M}, at x = [{Join(_x)}], direction v = [{Join(_v)}]"));
        ShowTangentGraph();

        // 1. J·v three ways.
        var (y, dualJv) = DualJvp(_x, _v);
        using var jvp = backend.Compile(Trace.Function("jvp", a =>
        {
            var value = F(a[0], a[2], a[3]);
            return [value, Autodiff.Jvp(value, [a[0]], [a[1]])];
        }, Row("x"), Row("v"), Matrix("a"), Matrix("b")));
        var outputs = jvp.Run([RowOf(_x), RowOf(_v), MatrixOf(_a), MatrixOf(_b)]);
        var graphJv = outputs[1].ToArray<double>();
        var fdJv = FiniteDifference(_v);
        output.WriteLine($"  f(x)               = [{Join(y)}]");
        output.WriteLine($"  J·v, dual numbers  = [{Join(dualJv)}]");
        output.WriteLine($"  J·v, GraphDL jvp   = [{Join(graphJv)}]  ({jvp.Graph.Nodes.Count} nodes: primal and tangent side by side)");
        output.WriteLine($"  J·v, central diff. = [{Join(fdJv)}]  (h = {Step})");
        double dualVsJvp = MaxDifference(dualJv, graphJv), jvpVsFd = MaxDifference(graphJv, fdJv);

        // 2. The Jacobian: n JVPs give its columns, m VJPs its rows.
        using var vjp = backend.Compile(Trace.Function("vjp", a => [Autodiff.Vjp(F(a[0], a[2], a[3]), a[1], [a[0]])[0]],
            Row("x"), Row("u", M), Matrix("a"), Matrix("b")));
        var forward = new double[M, N];
        var reverse = new double[M, N];
        var differences = new double[M, N];
        for (int j = 0; j < N; j++)
        {
            var column = jvp.Run([RowOf(_x), RowOf(Basis(N, j)), MatrixOf(_a), MatrixOf(_b)])[1].ToArray<double>();
            var fd = FiniteDifference(Basis(N, j));
            for (int i = 0; i < M; i++)
            {
                forward[i, j] = column[i];
                differences[i, j] = fd[i];
            }
        }
        for (int i = 0; i < M; i++)
        {
            var row = vjp.Run([RowOf(_x), RowOf(Basis(M, i)), MatrixOf(_a), MatrixOf(_b)])[0].ToArray<double>();
            for (int j = 0; j < N; j++)
            {
                reverse[i, j] = row[j];
            }
        }
        output.WriteLine($"Jacobian ({M}×{N}), forward mode ({N} JVPs, one per input) | reverse mode ({M} VJPs, one per output):");
        for (int i = 0; i < M; i++)
        {
            output.WriteLine($"  [{Join(Row(forward, i))}] | [{Join(Row(reverse, i))}]");
        }
        output.WriteLine("  forward mode costs one pass per input, reverse one per output: for a loss (one output), reverse wins.");
        double forwardVsReverse = MaxDifference(forward, reverse), jacobianVsFd = MaxDifference(forward, differences);

        // 3. Hessian-vector products of g(x) = Σ tanh(x·M) ⊙ (x·M), forward over reverse.
        using var hvp = backend.Compile(Trace.Function("hvp", a => [Autodiff.HessianVectorProduct(G(a[0], a[2]), [a[0]], [a[1]])[0]],
            Row("x"), Row("v"), Matrix("m")));
        using var grad = backend.Compile(Trace.Function("grad", a => [Autodiff.Grad(G(a[0], a[1]), [a[0]])[0]], Row("x"), Matrix("m")));
        double[] Hvp(double[] direction) => hvp.Run([RowOf(_x), RowOf(direction), MatrixOf(_m)])[0].ToArray<double>();
        double[] Grad(double[] at) => grad.Run([RowOf(at), MatrixOf(_m)])[0].ToArray<double>();
        var hv = Hvp(_v);
        var plus = Grad(Axpy(Step, _v, _x));
        var minus = Grad(Axpy(-Step, _v, _x));
        var fdHv = plus.Select((p, k) => (p - minus[k]) / (2 * Step)).ToArray();
        output.WriteLine("g(x) = Σ tanh(x·M) ⊙ (x·M): Hessian-vector product H·v, the JVP of the gradient:");
        output.WriteLine($"  H·v, forward over reverse = [{Join(hv)}]  ({hvp.Graph.Nodes.Count} nodes)");
        output.WriteLine($"  H·v, central diff. of ∇g  = [{Join(fdHv)}]");
        // H is symmetric, so uᵀ(H·v) = vᵀ(H·u) for any u, v: a check that needs no reference at all.
        var u = Basis(N, 1);
        double asymmetry = Math.Abs(Dot(u, hv) - Dot(_v, Hvp(u)));

        return new ForwardModeResults(dualVsJvp, jvpVsFd, forwardVsReverse, jacobianVsFd, MaxDifference(hv, fdHv), asymmetry);
    }

    /// <summary>The IR of a JVP on a tiny function: each primal node gets its tangent node, and nothing runs backwards.</summary>
    private void ShowTangentGraph()
    {
        var graph = Trace.Function("sin_times_x_jvp", (x, dx) => Autodiff.Jvp(x.Sin() * x, [x], [dx]),
            TensorSpec.Input(DType.F64), TensorSpec.Input(DType.F64));
        output.WriteLine("the forward-mode graph of h(x) = sin(x)·x (tangent dx): h'(x)·dx = (cos(x)·x + sin(x))·dx");
        foreach (var line in graph.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            output.WriteLine("  " + line);
        }
    }

    /// <summary>f(x) = sin(x·A) ⊙ exp(tanh(x·B)).</summary>
    private static Tensor F(Tensor x, Tensor a, Tensor b) => x.MatMul(a).Sin() * x.MatMul(b).Tanh().Exp();

    /// <summary>g(x) = Σ tanh(x·M) ⊙ (x·M).</summary>
    private static Tensor G(Tensor x, Tensor m)
    {
        var z = x.MatMul(m);
        return (z.Tanh() * z).Sum();
    }

    /// <summary>f and J·v at once, on dual numbers: x + εv in, f(x) + ε·J·v out.</summary>
    private (double[] Value, double[] Tangent) DualJvp(double[] x, double[] v)
    {
        var duals = x.Select((xi, i) => new Dual(xi, v[i])).ToArray();
        var value = new double[M];
        var tangent = new double[M];
        for (int j = 0; j < M; j++)
        {
            Dual xa = default, xb = default;
            for (int i = 0; i < N; i++)
            {
                xa += _a[i * M + j] * duals[i];
                xb += _b[i * M + j] * duals[i];
            }
            var fj = Dual.Sin(xa) * Dual.Exp(Dual.Tanh(xb));
            (value[j], tangent[j]) = (fj.Value, fj.Tangent);
        }
        return (value, tangent);
    }

    /// <summary>(f(x + h·v) − f(x − h·v)) / 2h, in plain C#.</summary>
    private double[] FiniteDifference(double[] v)
    {
        var plus = DualJvp(Axpy(Step, v, _x), new double[N]).Value;
        var minus = DualJvp(Axpy(-Step, v, _x), new double[N]).Value;
        return plus.Select((p, j) => (p - minus[j]) / (2 * Step)).ToArray();
    }

    private static TensorSpec Row(string name, int width = N) => TensorSpec.Input(DType.F64, 1, width).Named(name);

    private static TensorSpec Matrix(string name) => TensorSpec.Input(DType.F64, N, M).Named(name);

    private static HostTensor RowOf(double[] values) => HostTensor.FromArray(values, 1, values.Length);

    private static HostTensor MatrixOf(double[] values) => HostTensor.FromArray(values, N, M);

    /// <summary>Fixed, varied entries in [−1, 1] (a seeded generator: the lesson prints the same numbers every run).</summary>
    private static double[] Fill(int count, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => Math.Round(random.NextDouble() * 2 - 1, 2)).ToArray();
    }

    private static double[] Basis(int size, int k) => Enumerable.Range(0, size).Select(i => i == k ? 1.0 : 0.0).ToArray();

    private static double[] Axpy(double a, double[] x, double[] y) => y.Select((yi, i) => yi + a * x[i]).ToArray();

    private static double Dot(double[] x, double[] y) => x.Select((xi, i) => xi * y[i]).Sum();

    private static double[] Row(double[,] matrix, int i) => Enumerable.Range(0, matrix.GetLength(1)).Select(j => matrix[i, j]).ToArray();

    private static double MaxDifference(double[] x, double[] y) => x.Select((xi, i) => Math.Abs(xi - y[i])).Max();

    private static double MaxDifference(double[,] x, double[,] y) =>
        Enumerable.Range(0, x.GetLength(0)).Max(i => MaxDifference(Row(x, i), Row(y, i)));

    private static string Join(IEnumerable<double> values) =>
        string.Join(", ", values.Select(v => v.ToString("F6", CultureInfo.InvariantCulture)));
}
