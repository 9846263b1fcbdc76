using GraphDL.IR;
using GraphDL.Runtime;

namespace GraphDL.Tests.Nn;

/// <summary>Helpers for the nn tests: run traced code on the interpreter, make f64 data, compare with double references.</summary>
internal static class NnTestKit
{
    /// <summary>
    /// Traces <paramref name="body"/> over inputs shaped like <paramref name="inputs"/> (named in0, in1, ...) and runs
    /// it, feeding the parameters and buffers of <paramref name="model"/> by name and rng seed/offset 0.
    /// </summary>
    public static IReadOnlyList<HostTensor> Run(Module? model, Func<Tensor[], Tensor[]> body, params HostTensor[] inputs)
    {
        var specs = inputs.Select((t, i) => new TensorSpec(t.Type, InputRole.Input, $"in{i}")).ToArray();
        var graph = Trace.Function("f", body, specs);
        var feed = new Dictionary<string, HostTensor>();
        for (int i = 0; i < inputs.Length; i++)
        {
            feed[$"in{i}"] = inputs[i];
        }
        if (model is not null)
        {
            foreach (var (name, value) in model.StateDict())
            {
                feed[name] = value;
            }
        }
        feed["rng.seed"] = HostTensor.FromScalar(Scalar.FromInt64(DType.I64, 0));
        feed["rng.offset"] = HostTensor.FromScalar(Scalar.FromInt64(DType.I64, 0));
        return ReferenceInterpreter.Run(graph, feed);
    }

    /// <summary>A module's forward on one input, in its current mode.</summary>
    public static HostTensor Forward(Module model, HostTensor x) => Run(model, a => [model.Forward(a[0])], x)[0];

    /// <summary>Values from N(0, scale²), reproducible per seed.</summary>
    public static double[] Random(int seed, int count, double scale = 1)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ =>
        {
            double u1 = 1 - random.NextDouble(), u2 = random.NextDouble();
            return scale * Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
        }).ToArray();
    }

    public static HostTensor F64(double[] values, params int[] shape) => HostTensor.FromDoubles(DType.F64, new Shape(shape), values);

    public static HostTensor RandomF64(int seed, params int[] shape) => F64(Random(seed, (int)new Shape(shape).ElementCount), shape);

    public static void AssertClose(double[] expected, HostTensor actual, double tolerance = 1e-10)
    {
        Assert.Equal(expected.Length, actual.ElementCount);
        for (int i = 0; i < expected.Length; i++)
        {
            double a = actual.GetDouble(i);
            Assert.True(Math.Abs(a - expected[i]) <= tolerance * (1 + Math.Abs(expected[i])),
                $"element {i}: expected {expected[i]:R}, got {a:R}");
        }
    }

    /// <summary>Row-major x·Wᵀ + b for x [rows, in], W [out, in].</summary>
    public static double[] Linear(double[] x, int rows, double[] w, int outFeatures, double[]? b = null)
    {
        int inFeatures = w.Length / outFeatures;
        var y = new double[rows * outFeatures];
        for (int r = 0; r < rows; r++)
        {
            for (int o = 0; o < outFeatures; o++)
            {
                double sum = b?[o] ?? 0;
                for (int i = 0; i < inFeatures; i++)
                {
                    sum += x[r * inFeatures + i] * w[o * inFeatures + i];
                }
                y[r * outFeatures + o] = sum;
            }
        }
        return y;
    }

    public static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));

    /// <summary>erf to about 1e-15 (series for small |x|, continued fraction beyond).</summary>
    public static double Erf(double x)
    {
        if (Math.Abs(x) > 3)
        {
            // erfc(x) by its continued fraction (Lentz), accurate for large |x|.
            double a = Math.Abs(x), f = a, c = a, d = 0;
            for (int k = 1; k < 200; k++)
            {
                double coefficient = k / 2.0;
                d = a + coefficient * d;
                d = 1 / d;
                c = a + coefficient / c;
                double delta = c * d;
                f *= delta;
                if (Math.Abs(delta - 1) < 1e-16)
                {
                    break;
                }
            }
            double erfc = Math.Exp(-a * a) / Math.Sqrt(Math.PI) / f;
            return Math.Sign(x) * (1 - erfc);
        }
        double sum = 0, term = x;
        for (int n = 0; n < 200; n++)
        {
            sum += term / (2 * n + 1);
            term *= -x * x / (n + 1);
            if (Math.Abs(term) < 1e-20)
            {
                break;
            }
        }
        return 2 / Math.Sqrt(Math.PI) * sum;
    }

    /// <summary>The values of a module's parameter or buffer by qualified name.</summary>
    public static double[] Values(Module model, string name) => model.StateDict()[name].ToDoubleArray();
}
