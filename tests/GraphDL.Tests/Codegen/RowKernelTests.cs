using GraphDL.Cli.Fuzzing;
using GraphDL.Codegen.CSharp;
using GraphDL.Codegen.KernelIR;
using GraphDL.IR;
using GraphDL.IR.Ops;
using GraphDL.Runtime;
using Xunit.Abstractions;

namespace GraphDL.Tests.Codegen;

/// <summary>
/// Fused bodies with row reductions (softmax, log_softmax, layer_norm, cross-entropy pieces, plain reductions) lowered
/// by <see cref="KernelLowering.TryLower"/> to one kernel and compared with the reference interpreter: bit for bit in
/// exact mode (a NaN matches any NaN, see <see cref="BackendDiff"/>), within the tolerance documented on
/// <see cref="KernelOptions"/> in fast mode.
/// </summary>
public class RowKernelTests(ITestOutputHelper output)
{
    private const double Epsilon = 1.0 / (1 << 24);

    public static TheoryData<int, int> RowShapes()
    {
        var data = new TheoryData<int, int>();
        foreach (int rows in new[] { 1, 5 })
        {
            foreach (int columns in new[] { 1, 3, 15, 17, 1023, 4097 })
            {
                data.Add(rows, columns);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(RowShapes))]
    public void SoftmaxIsOneThreePassKernel(int rows, int columns)
    {
        var body = RowBodies.Softmax(rows, columns);
        // One kernel; rows of one element may need fewer passes, their values being per row.
        Assert.InRange(Lower(body).Kernel.Schedule.PassCount, columns == 1 ? 1 : 3, 3);
        CheckExact(body, 1);
        CheckFast(body, 2, (x, i) => (16 + columns) * Epsilon * (Math.Abs(x) + 1e-30));
    }

    /// <summary>
    /// The exponentials a softmax sums are kept in a row cache for the normalizing pass instead of being computed
    /// twice; rows longer than the cache recompute them (both forms are covered bit for bit above and here). The
    /// lengths leave, for 4, 8 and 16 lanes alike, a remainder after the unrolled steps of at least one vector and
    /// a scalar tail, so every loop is generated (a loop that would never run is not).
    /// </summary>
    [Theory]
    [InlineData(1055, true)]
    [InlineData(20031, false)]
    public void SoftmaxComputesEachExponentialOncePerRowThatFitsTheCache(int columns, bool cached)
    {
        var body = RowBodies.Softmax(2, columns);
        var source = CSharpKernelRenderer.Render(Lower(body).Kernel, KernelOptions.Fast);
        int exps = source.Split("VectorMath.Exp(").Length - 1;
        // The summing pass: four unrolled vector steps, one vector step and the scalar tail; the normalizing pass,
        // when it recomputes: one vector step and the tail.
        Assert.Equal(cached ? 6 : 8, exps);
        Assert.Equal(cached, source.Contains("stackalloc", StringComparison.Ordinal));
        CheckExact(body, 5);
        CheckFast(body, 6, (x, i) => (16 + columns) * Epsilon * (Math.Abs(x) + 1e-30));
    }

    [Theory]
    [MemberData(nameof(RowShapes))]
    public void LogSoftmaxIsOneKernel(int rows, int columns)
    {
        var body = Trace.Function("log_softmax", x => F.LogSoftmax(x, 1), TensorSpec.Input(DType.F32, rows, columns));
        Assert.InRange(Lower(body).Kernel.Schedule.PassCount, columns == 1 ? 1 : 3, 3);
        CheckExact(body, 3);
        CheckFast(body, 4, (x, i) => (16 + columns) * Epsilon * (Math.Abs(x) + 8));
    }

    [Theory]
    [MemberData(nameof(RowShapes))]
    public void LayerNormIsOneKernel(int rows, int columns)
    {
        var body = Trace.Function("layer_norm", (x, w, b) => F.LayerNorm(x, [columns], w, b),
            TensorSpec.Input(DType.F32, rows, columns), TensorSpec.Input(DType.F32, columns), TensorSpec.Input(DType.F32, columns));
        Assert.InRange(Lower(body).Kernel.Schedule.PassCount, columns == 1 ? 1 : 3, 3);
        CheckExact(body, 5);
        CheckFast(body, 6, (x, i) => (16 + columns) * Epsilon * 16 * (Math.Abs(x) + 1));
    }

    [Theory]
    [InlineData(5, 17)]
    [InlineData(3, 1023)]
    public void CrossEntropyRowPieceWritesOneValuePerRow(int rows, int columns)
    {
        var body = Trace.Function("nll_rows", (x, picked) => F.LogSumExp(x, 1) - picked,
            TensorSpec.Input(DType.F32, rows, columns), TensorSpec.Input(DType.F32, rows));
        var kernel = Lower(body).Kernel;
        Assert.True(kernel.IsRowBuffer(kernel.Buffers.Count - 1));
        CheckExact(body, 7);
        CheckFast(body, 8, (x, i) => (16 + columns) * Epsilon * (Math.Abs(x) + 8));
    }

    [Theory]
    [InlineData(5, 17)]
    [InlineData(2, 4097)]
    public void BroadcastOperandsFeedASoftmax(int rows, int columns)
    {
        var body = Trace.Function("scaled_softmax", (x, w, b) => F.Softmax(x * w + b, 1),
            TensorSpec.Input(DType.F32, rows, columns), TensorSpec.Input(DType.F32, columns), TensorSpec.Input(DType.F32, rows, 1));
        CheckExact(body, 9);
        CheckFast(body, 10, (x, i) => (16 + columns) * Epsilon * (Math.Abs(x) + 1e-30));
    }

    [Fact]
    public void SoftmaxOverALeadingAxisPermutesTheIterationSpace()
    {
        var body = Trace.Function("softmax0", x => F.Softmax(x, 0), TensorSpec.Input(DType.F32, 17, 5));
        var kernel = Lower(body).Kernel;
        Assert.Equal(new Shape(5, 17), kernel.Space);
        Assert.Equal([1, 5], kernel.Buffers[0].Strides);
        CheckExact(body, 11);
        CheckFast(body, 12, (x, i) => 33 * Epsilon * (Math.Abs(x) + 1e-30));
    }

    public static TheoryData<string, int[], int[], DType> Reductions()
    {
        var data = new TheoryData<string, int[], int[], DType>();
        foreach (var kind in new[] { "reduce_sum", "reduce_max", "reduce_min" })
        {
            data.Add(kind, [5, 1023], [1], DType.F32);
            data.Add(kind, [5, 17], [0], DType.F32);
            data.Add(kind, [5, 17], [0, 1], DType.F32);
            data.Add(kind, [4, 3, 37], [0, 2], DType.F32);
            data.Add(kind, [3, 4097], [1], DType.F64);
            data.Add(kind, [3, 0], [1], DType.F32);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Reductions))]
    public void ReductionsMatchTheInterpreter(string kind, int[] shape, int[] axes, DType dtype)
    {
        var body = RowBodies.Reduction(kind, new TensorType(dtype, shape), axes, abs: false);
        CheckExact(body, 13);
        if (kind != "reduce_sum")
        {
            // max and min do not depend on the order: fast mode is exact too.
            var inputs = FastInputs(body, 14);
            Assert.True(BackendDiff.Same(RowKernelHarness.Run(body, inputs, KernelOptions.Fast), ReferenceInterpreter.Run(body, inputs)[0]));
            return;
        }
        long n = axes.Aggregate(1L, (p, a) => p * shape[a]);
        using var harness = new RowKernelHarness(body, KernelOptions.Fast);
        var sumOfAbs = RowBodies.Reduction(kind, new TensorType(dtype, shape), axes, abs: true);
        foreach (bool specials in new[] { true, false })
        {
            var inputs = FastInputs(body, 15, specials);
            var scale = ReferenceInterpreter.Run(sumOfAbs, inputs)[0];
            CheckFast(harness, inputs, (x, i) => (n + 16) * Epsilon * scale.GetDouble(i));
        }
    }

    public static TheoryData<string, int> Transcendentals() => new()
    {
        { "exp", 1 }, { "log", 1 }, { "tanh", 1 }, { "logistic", 2 }, { "erf", 1 }, { "expm1", 1 }, { "log1p", 1 }, { "sin", 2 }, { "cos", 2 },
    };

    [Theory]
    [MemberData(nameof(Transcendentals))]
    public void FastTranscendentalsAreWithinTheirUlpBoundInBodyAndTail(string op, int ulps)
    {
        var body = RowBodies.Unary(op, 5, 1023);
        var inputs = FastInputs(body, 16);
        var expected = ReferenceInterpreter.Run(body, inputs)[0];
        var actual = RowKernelHarness.Run(body, inputs, KernelOptions.Fast);
        long worst = 0;
        for (long i = 0; i < expected.ElementCount; i++)
        {
            float e = (float)expected.GetDouble(i), a = (float)actual.GetDouble(i);
            if (float.IsNaN(e) || float.IsNaN(a))
            {
                Assert.True(float.IsNaN(e) && float.IsNaN(a), $"{op} element {i}: {a} vs {e}");
                continue;
            }
            worst = Math.Max(worst, Math.Abs(UlpSweep.OrderedIndex(a) - UlpSweep.OrderedIndex(e)));
        }
        output.WriteLine($"{op}: max {worst} ulp");
        Assert.True(worst <= ulps, $"{op}: {worst} ulp > {ulps}");
        Assert.True(BackendDiff.Same(RowKernelHarness.Run(body, inputs, KernelOptions.Exact), expected));
    }

    [Fact]
    public void TranscendentalChainsMatch()
    {
        var body = Trace.Function("chain", (x, y) => (x.Exp() * 0.5).Tanh() + F.Sigmoid(x) * y.Log1p() - (x * y).Expm1() / 4.0,
            TensorSpec.Input(DType.F32, 5, 1023), TensorSpec.Input(DType.F32, 1023));
        CheckExact(body, 17);
        CheckFast(body, 18, (x, i) => 1e-5 * (Math.Abs(x) + 1));
        using var fast = new RowKernelHarness(body, KernelOptions.Fast);
        Assert.Contains("VectorMath.Tanh(", fast.Method, StringComparison.Ordinal);
    }

    [Fact]
    public void LargeKernelsRunRowsInParallelWithTheSameResults()
    {
        var body = RowBodies.Softmax(64, 4097);
        using (var exact = new RowKernelHarness(body, KernelOptions.Exact))
        {
            Assert.Contains("RowParallel.For(", exact.Method, StringComparison.Ordinal);
        }
        using (var small = new RowKernelHarness(RowBodies.Softmax(4, 17), KernelOptions.Fast))
        {
            Assert.DoesNotContain("RowParallel", small.Method, StringComparison.Ordinal);
        }
        CheckExact(body, 19);
        CheckFast(body, 20, (x, i) => (16 + 4097) * Epsilon * (Math.Abs(x) + 1e-30));
    }

    [Theory]
    [InlineData(7, 37)]
    [InlineData(3, 1025)]
    public void TileEntryComputesOnlyItsRectangleInPlace(int rows, int columns)
    {
        var body = RowBodies.BiasRelu(rows, columns);
        using var harness = new RowKernelHarness(body, KernelOptions.Fast with { TileEntry = true });
        Assert.Contains("k0_tile(nint* buffers, long r0, long r1, long c0, long c1)", harness.Method, StringComparison.Ordinal);
        var inputs = BackendDiff.Inputs(body, 21);
        var expected = ReferenceInterpreter.Run(body, inputs)[0];
        var c = (float[])inputs[0].Storage.Clone();
        var storages = harness.Lowered.Inputs.Select(i => harness.IndexOf(i) == 0 ? c : inputs[harness.IndexOf(i)].Storage).Append(c).ToArray();

        int r = rows / 2, k = columns / 3;
        harness.RunTile(storages, 1, r + 1, k, 2 * k + 1);
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < columns; j++)
            {
                bool inside = i >= 1 && i < r + 1 && j >= k && j < 2 * k + 1;
                var want = inside ? expected.GetDouble((long)i * columns + j) : inputs[0].GetDouble((long)i * columns + j);
                Assert.True(want.Equals((double)c[i * columns + j]), $"[{i},{j}] {(inside ? "inside" : "outside")}: {c[i * columns + j]} vs {want}");
            }
        }

        // The rest of the output, tile by tile, completes the result.
        harness.RunTile(storages, 0, 1, 0, columns);
        harness.RunTile(storages, r + 1, rows, 0, columns);
        harness.RunTile(storages, 1, r + 1, 0, k);
        harness.RunTile(storages, 1, r + 1, 2 * k + 1, columns);
        Assert.True(BackendDiff.Same(HostTensor.FromStorage(expected.Type, c), expected));
    }

    [Fact]
    public void BodiesThatCannotBeOneKernelSayWhy()
    {
        var builder = new GraphBuilder("two_ways");
        var x = builder.AddInput("x", new TensorType(DType.F32, 4, 4));
        builder.Output(builder.Add(builder.ReduceSum(x, [1]), builder.ReduceSum(x, [0])));
        Assert.False(KernelLowering.TryLower("k", builder.Build(), out _, out var reason));
        Assert.Contains("reductions over different axes", reason, StringComparison.Ordinal);

        var product = Trace.Function("mm", (a, b) => a.MatMul(b), TensorSpec.Input(DType.F32, 2, 3), TensorSpec.Input(DType.F32, 3, 2));
        Assert.False(KernelLowering.TryLower("k", product, out _, out reason));
        Assert.Contains("matmul", reason, StringComparison.Ordinal);
    }

    private static LoweredKernel Lower(Graph body)
    {
        Assert.True(KernelLowering.TryLower("k0", body, out var lowered, out var reason), reason);
        return lowered;
    }

    private static void CheckExact(Graph body, int seed)
    {
        var inputs = BackendDiff.Inputs(body, seed);
        var expected = ReferenceInterpreter.Run(body, inputs)[0];
        var actual = RowKernelHarness.Run(body, inputs, KernelOptions.Exact);
        Assert.True(BackendDiff.Same(actual, expected), $"exact: {BackendDiff.FirstDifference(actual, expected)}");
    }

    /// <summary>
    /// Fast mode: NaN where the interpreter has NaN, equal infinities, else |actual − expected| within
    /// <paramref name="bound"/>(expected, index). Reports the largest error as a fraction of its bound.
    /// </summary>
    private void CheckFast(Graph body, int seed, Func<double, long, double> bound)
    {
        using var harness = new RowKernelHarness(body, KernelOptions.Fast);
        // With specials most long rows hold a NaN or an infinity; without, every element is checked against its bound.
        CheckFast(harness, FastInputs(body, seed), bound);
        CheckFast(harness, FastInputs(body, seed, specials: false), bound);
    }

    private void CheckFast(RowKernelHarness harness, IReadOnlyList<HostTensor> inputs, Func<double, long, double> bound)
    {
        var body = harness.Body;
        var expected = ReferenceInterpreter.Run(body, inputs)[0];
        var actual = harness.Run(inputs);
        double worst = 0;
        for (long i = 0; i < expected.ElementCount; i++)
        {
            double e = expected.GetDouble(i), a = actual.GetDouble(i);
            if (double.IsNaN(e) || double.IsInfinity(e) || double.IsNaN(a) || double.IsInfinity(a))
            {
                Assert.True(e.Equals(a), $"fast: element {i} is {a}, the interpreter gives {e}");
                continue;
            }
            double allowed = bound(e, i);
            Assert.True(Math.Abs(a - e) <= allowed, $"fast: element {i} is {a}, the interpreter gives {e} (allowed ±{allowed})");
            worst = Math.Max(worst, allowed == 0 ? 0 : Math.Abs(a - e) / allowed);
        }
        output.WriteLine($"{body.Name}: largest fast-mode error {worst:P1} of its bound");
    }

    /// <summary>Seeded inputs (standard normal × 3), with NaN, ±Inf and ±0 sprinkled in (about one element in 12) when <paramref name="specials"/>.</summary>
    private static IReadOnlyList<HostTensor> FastInputs(Graph body, int seed, bool specials = true)
    {
        double[] special = [double.NaN, double.PositiveInfinity, double.NegativeInfinity, 0.0, -0.0];
        var random = new Random(seed);
        return body.Inputs.Select(input =>
        {
            var values = HostTensor.Random(input.Type, random).ToDoubleArray();
            for (int i = 0; i < values.Length; i++)
            {
                values[i] = specials && random.Next(12) == 0 ? special[random.Next(special.Length)] : 3 * values[i];
            }
            return HostTensor.FromDoubles(input.Type.DType, input.Type.Shape, values);
        }).ToArray();
    }
}
