using System.Globalization;
using GraphDL.IR;
using GraphDL.Runtime;

namespace GraphDL;

/// <summary>Which autodiff modes <see cref="GradCheck"/> checks.</summary>
[Flags]
public enum GradCheckModes
{
    Forward = 1,
    Reverse = 2,
    Both = Forward | Reverse,
}

/// <summary>The outcome of a gradient check: every comparison that failed, with the numbers.</summary>
public sealed class GradCheckResult
{
    internal GradCheckResult(IReadOnlyList<string> failures, int comparisons)
    {
        Failures = failures;
        Comparisons = comparisons;
    }

    public bool Passed => Failures.Count == 0;

    public IReadOnlyList<string> Failures { get; }

    /// <summary>How many numbers were compared.</summary>
    public int Comparisons { get; }

    public override string ToString() => Passed
        ? $"gradcheck passed ({Comparisons} comparisons)"
        : $"gradcheck failed ({Failures.Count} of {Comparisons} comparisons):\n" + string.Join("\n", Failures.Take(20));
}

/// <summary>
/// Checks derivatives built by <see cref="Autodiff"/> against float64 central differences, as
/// <c>torch.autograd.gradcheck</c> does, plus the dot-product test ⟨u, J v⟩ = ⟨Jᵀu, v⟩ tying the two modes together.
/// Reverse mode is checked through a random projection ⟨u, f(x)⟩ of the output, forward mode along a random
/// direction v. Order 2 repeats the checks on the first derivatives (reverse-over-reverse, forward-over-reverse,
/// forward-over-forward, reverse-over-forward). All float inputs must be float64; other inputs are held fixed.
/// </summary>
public static class GradCheck
{
    public static GradCheckResult Check(Func<Tensor[], Tensor> f, IReadOnlyList<HostTensor> inputs, int order = 1,
        GradCheckModes modes = GradCheckModes.Both, double eps = 1e-6, double atol = 1e-5, double rtol = 1e-3, int seed = 0)
    {
        if (order is < 1 or > 2)
        {
            throw new ArgumentOutOfRangeException(nameof(order), "order must be 1 or 2");
        }
        foreach (var input in inputs.Where(i => i.DType.IsFloat() && i.DType != DType.F64))
        {
            throw new ArgumentException($"gradcheck needs float64 inputs (finite differences in {input.DType.Name()} are too coarse), got {input.Type}", nameof(inputs));
        }
        var checker = new Checker(inputs, eps, atol, rtol, new Random(seed));
        checker.First(f, modes, "");
        if (order == 2)
        {
            checker.Second(f, modes);
        }
        return new GradCheckResult(checker.Failures, checker.Comparisons);
    }

    private sealed class Checker(IReadOnlyList<HostTensor> inputs, double eps, double atol, double rtol, Random random)
    {
        public List<string> Failures { get; } = [];

        public int Comparisons { get; private set; }

        private int[] Differentiable => Enumerable.Range(0, inputs.Count).Where(i => inputs[i].DType.IsFloat()).ToArray();

        private static TensorSpec[] Specs(IReadOnlyList<HostTensor> values) =>
            values.Select((v, i) => TensorSpec.Input(v.DType, v.Shape.ToArray()).Named($"x{i}")).ToArray();

        private Graph Trace(string name, Func<Tensor[], Tensor[]> body) => GraphDL.Trace.Function(name, body, Specs(inputs));

        private static HostTensor Random(TensorType type, Random random) => RandomInputs.Sample(type, random);

        private static double Dot(HostTensor a, HostTensor b)
        {
            double sum = 0;
            for (long i = 0; i < a.ElementCount; i++)
            {
                sum += a.GetDouble(i) * b.GetDouble(i);
            }
            return sum;
        }

        private static HostTensor Perturb(HostTensor x, long index, double delta)
        {
            var values = x.ToDoubleArray();
            values[index] += delta;
            return HostTensor.FromDoubles(x.DType, x.Shape, values);
        }

        private static HostTensor Axpy(HostTensor x, HostTensor direction, double scale)
        {
            var values = x.ToDoubleArray();
            for (long i = 0; i < values.LongLength; i++)
            {
                values[i] += scale * direction.GetDouble(i);
            }
            return HostTensor.FromDoubles(x.DType, x.Shape, values);
        }

        private void Compare(string what, double analytic, double numeric)
        {
            Comparisons++;
            if (!(Math.Abs(analytic - numeric) <= atol + rtol * Math.Abs(numeric)))
            {
                Failures.Add(string.Create(CultureInfo.InvariantCulture, $"{what}: analytic {analytic:R}, numeric {numeric:R}"));
            }
        }

        /// <summary>First-order checks of f at the inputs, labelled with <paramref name="prefix"/> for nested checks.</summary>
        public void First(Func<Tensor[], Tensor> f, GradCheckModes modes, string prefix)
        {
            var plain = Trace("f", x => [f(x)]);
            HostTensor Eval(IReadOnlyList<HostTensor> xs) => ReferenceInterpreter.Run(plain, xs)[0];
            var y = Eval(inputs);
            if (!y.DType.IsFloat())
            {
                throw new ArgumentException($"gradcheck needs a float output, got {y.Type}");
            }
            var diff = Differentiable;
            var u = Random(y.Type, random);
            var v = diff.Select(i => Random(inputs[i].Type, random)).ToArray();
            HostTensor[]? vjps = null;
            HostTensor? jvp = null;
            if (modes.HasFlag(GradCheckModes.Reverse))
            {
                var graph = Trace("vjp", x => Autodiff.Vjp(f(x), F.Constant(u), diff.Select(i => x[i]).ToArray()));
                vjps = ReferenceInterpreter.Run(graph, inputs).ToArray();
                for (int k = 0; k < diff.Length; k++)
                {
                    int i = diff[k];
                    for (long j = 0; j < inputs[i].ElementCount; j++)
                    {
                        var plus = inputs.ToArray();
                        var minus = inputs.ToArray();
                        plus[i] = Perturb(inputs[i], j, eps);
                        minus[i] = Perturb(inputs[i], j, -eps);
                        double numeric = (Dot(u, Eval(plus)) - Dot(u, Eval(minus))) / (2 * eps);
                        Compare($"{prefix}reverse d/dx{i}[{j}]", vjps[k].GetDouble(j), numeric);
                    }
                }
            }
            if (modes.HasFlag(GradCheckModes.Forward))
            {
                var graph = Trace("jvp", x => [Autodiff.Jvp(f(x), diff.Select(i => x[i]).ToArray(), v.Select(t => F.Constant(t)).ToArray())]);
                jvp = ReferenceInterpreter.Run(graph, inputs)[0];
                var plus = inputs.ToArray();
                var minus = inputs.ToArray();
                for (int k = 0; k < diff.Length; k++)
                {
                    plus[diff[k]] = Axpy(inputs[diff[k]], v[k], eps);
                    minus[diff[k]] = Axpy(inputs[diff[k]], v[k], -eps);
                }
                HostTensor yp = Eval(plus), ym = Eval(minus);
                for (long j = 0; j < y.ElementCount; j++)
                {
                    Compare($"{prefix}forward (J v)[{j}]", jvp.GetDouble(j), (yp.GetDouble(j) - ym.GetDouble(j)) / (2 * eps));
                }
            }
            if (vjps is not null && jvp is not null)
            {
                double left = Dot(u, jvp), right = Enumerable.Range(0, diff.Length).Sum(k => Dot(vjps[k], v[k]));
                Compare($"{prefix}dot-product test <u, J v> vs <J^T u, v>", right, left);
            }
        }

        /// <summary>Second-order checks: first-order checks of the first derivatives.</summary>
        public void Second(Func<Tensor[], Tensor> f, GradCheckModes modes)
        {
            var diff = Differentiable;
            var probe = ReferenceInterpreter.Run(Trace("shape", x => [f(x)]), inputs)[0];
            if (modes.HasFlag(GradCheckModes.Reverse))
            {
                var u = Random(probe.Type, random);
                var w = diff.Select(i => Random(inputs[i].Type, random)).ToArray();
                // g(x) = Σ_k <w_k, (Jᵀu)_k>: its gradient is a Hessian-style product, checked in both modes.
                Tensor G(Tensor[] x)
                {
                    var grads = Autodiff.Vjp(f(x), F.Constant(u), diff.Select(i => x[i]).ToArray());
                    Tensor total = (grads[0] * F.Constant(w[0])).Sum();
                    for (int k = 1; k < grads.Length; k++)
                    {
                        total += (grads[k] * F.Constant(w[k])).Sum();
                    }
                    return total;
                }
                First(G, modes, "of the VJP: ");
            }
            if (modes.HasFlag(GradCheckModes.Forward))
            {
                var v = diff.Select(i => Random(inputs[i].Type, random)).ToArray();
                Tensor H(Tensor[] x) => Autodiff.Jvp(f(x), diff.Select(i => x[i]).ToArray(), v.Select(t => F.Constant(t)).ToArray());
                First(H, modes, "of the JVP: ");
            }
        }
    }
}
