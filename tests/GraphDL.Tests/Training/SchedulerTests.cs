using GraphDL.Codegen.Programs;
using GraphDL.IR;
using GraphDL.Passes;
using GraphDL.Passes.Fusion;
using GraphDL.Passes.Memory;
using GraphDL.Runtime;

namespace GraphDL.Tests.Training;

/// <summary>
/// Each learning-rate schedule against an independent double-precision computation: PyTorch's chainable form (each
/// rate from the previous one, as <c>get_lr</c> computes it), where ours is the closed form; and a training step driven
/// by a schedule against SGD in doubles with the same rates, compiled once.
/// </summary>
public class SchedulerTests
{
    private const double Base = 0.1;

    /// <summary>The rates a schedule sets on the optimizer: at construction, then after each of <paramref name="steps"/> calls of Step.</summary>
    private static double[] Rates(Func<Optimizer, LRScheduler> make, int steps)
    {
        var optimizer = new Sgd(Base);
        var schedule = make(optimizer);
        var rates = new List<double> { optimizer.LearningRate };
        for (int t = 0; t < steps; t++)
        {
            schedule.Step();
            rates.Add(optimizer.LearningRate);
            Assert.Equal(optimizer.LearningRate, schedule.LearningRateAt(t + 1));
        }
        return [.. rates];
    }

    /// <summary>PyTorch's chainable get_lr: the rate at step t from the rate at t − 1.</summary>
    private static double[] Chain(double first, int steps, Func<int, double, double> next)
    {
        var rates = new double[steps + 1];
        rates[0] = first;
        for (int t = 1; t <= steps; t++)
        {
            rates[t] = next(t, rates[t - 1]);
        }
        return rates;
    }

    [Fact]
    public void StepLR() => TrainingTestUtil.AssertClose(
        Chain(Base, 12, (t, lr) => t % 4 == 0 ? lr * 0.5 : lr),
        Rates(o => new StepLR(o, stepSize: 4, gamma: 0.5), 12), "StepLR");

    [Fact]
    public void ExponentialLR() => TrainingTestUtil.AssertClose(
        Chain(Base, 10, (_, lr) => lr * 0.9),
        Rates(o => new ExponentialLR(o, gamma: 0.9), 10), "ExponentialLR");

    [Fact]
    public void CosineAnnealingLR()
    {
        const int tMax = 10;
        const double etaMin = 0.001;
        // torch's recursion, including the branch at the end of each half period; 25 steps go past T_max.
        var expected = Chain(Base, 25, (t, lr) => (t - 1 - tMax) % (2 * tMax) == 0
            ? lr + (Base - etaMin) * (1 - Math.Cos(Math.PI / tMax)) / 2
            : (1 + Math.Cos(Math.PI * t / tMax)) / (1 + Math.Cos(Math.PI * (t - 1) / tMax)) * (lr - etaMin) + etaMin);
        var rates = Rates(o => new CosineAnnealingLR(o, tMax, etaMin), 25);
        TrainingTestUtil.AssertClose(expected, rates, "CosineAnnealingLR", 1e-9);
        Assert.Equal(etaMin, rates[tMax], 15);
    }

    [Fact]
    public void LinearWarmup()
    {
        const double start = 0.25, end = 1.0;
        const int total = 4;
        var expected = Chain(Base * start, 8, (t, lr) => t > total ? lr : lr * (1 + (end - start) / (total * start + (t - 1) * (end - start))));
        TrainingTestUtil.AssertClose(expected, Rates(o => new LinearLR(o, start, end, total), 8), "LinearLR");
    }

    [Theory]
    [InlineData(false, AnnealStrategy.Cos)]
    [InlineData(false, AnnealStrategy.Linear)]
    [InlineData(true, AnnealStrategy.Cos)]
    public void OneCycle(bool threePhase, AnnealStrategy anneal)
    {
        const double max = 1.0, div = 25, finalDiv = 1e4;
        const int total = 20;
        const double pct = 0.3;
        double initial = max / div, min = initial / finalDiv;
        // Leslie Smith's cycle, as torch lays out its phases: (last step of the phase, from, to).
        (double End, double From, double To)[] phases = threePhase
            ? [(pct * total - 1, initial, max), (2 * pct * total - 2, max, initial), (total - 1, initial, min)]
            : [(pct * total - 1, initial, max), (total - 1, max, min)];
        var expected = new double[total + 1];
        for (int t = 0; t <= total; t++)
        {
            int phase = Array.FindIndex(phases, p => t <= p.End);
            phase = phase < 0 ? phases.Length - 1 : phase;
            double begin = phase == 0 ? 0 : phases[phase - 1].End;
            double fraction = (t - begin) / (phases[phase].End - begin);
            var (_, from, to) = phases[phase];
            expected[t] = anneal == AnnealStrategy.Cos ? to + (from - to) * (1 + Math.Cos(Math.PI * fraction)) / 2 : from + (to - from) * fraction;
        }
        var rates = Rates(o => new OneCycleLR(o, max, total, pct, anneal, div, finalDiv, threePhase), total);
        TrainingTestUtil.AssertClose(expected, rates, "OneCycleLR");
        Assert.Equal(initial, rates[0], 15);
        Assert.Equal(max, rates[(int)(pct * total) - 1], 15);

        var optimizer = new Sgd(0.5);
        var schedule = new OneCycleLR(optimizer, max, total);
        for (int t = 0; t < total; t++)
        {
            schedule.Step();
        }
        Assert.Throws<InvalidOperationException>(schedule.Step);
        Assert.Throws<ArgumentOutOfRangeException>(() => new OneCycleLR(new Sgd(1), 1.0, totalSteps: 2, pctStart: 0.3));
    }

    [Fact]
    public void WarmupThenCosineInSequence()
    {
        const int warmup = 5, decay = 10;
        var rates = Rates(o => new SequentialLR(o, [new LinearLR(o, 0.1, 1.0, warmup), new CosineAnnealingLR(o, decay, 0.01)], [warmup]), 20);
        var expected = Enumerable.Range(0, 21).Select(t => t < warmup
            ? Base * (0.1 + 0.9 * t / warmup)
            : 0.01 + (Base - 0.01) * (1 + Math.Cos(Math.PI * (t - warmup) / decay)) / 2).ToArray();
        TrainingTestUtil.AssertClose(expected, rates, "warmup + cosine");

        var optimizer = new Sgd(1);
        var other = new Sgd(1);
        Assert.Throws<ArgumentException>(() => new SequentialLR(optimizer, [new StepLR(optimizer, 2), new StepLR(other, 2)], [3]));
        Assert.Throws<ArgumentException>(() => new SequentialLR(optimizer, [new StepLR(optimizer, 2), new StepLR(optimizer, 2)], []));
    }

    [Fact]
    public void StateRoundTripsAndRefusesAnotherType()
    {
        var optimizer = new Sgd(Base);
        var schedule = new CosineAnnealingLR(optimizer, 10);
        for (int t = 0; t < 7; t++)
        {
            schedule.Step();
        }
        var state = schedule.StateDict();
        var fresh = new Sgd(Base);
        var restored = new CosineAnnealingLR(fresh, 10);
        restored.LoadStateDict(state);
        Assert.Equal(7, restored.Steps);
        Assert.Equal(optimizer.LearningRate, fresh.LearningRate);
        Assert.Throws<ArgumentException>(() => new StepLR(new Sgd(Base), 3).LoadStateDict(state));
    }

    /// <summary>One f64 parameter vector, loss ½‖w − target‖²: the gradient is w − target.</summary>
    private sealed class Point : Module
    {
        public Point() => W = AddParameter("w", HostTensor.FromArray([0.0, 0.0, 0.0], 3));

        public Tensor W { get; }
    }

    /// <summary>The compiled CPU backend, counting the programs it compiles.</summary>
    private sealed class CountingBackend : IBackend
    {
        private readonly IBackend _inner = Backend.Cpu;

        public int Compilations { get; private set; }

        public string Name => _inner.Name;

        public IExecutable Compile(Graph graph)
        {
            Compilations++;
            return _inner.Compile(graph);
        }

        public IExecutable Compile(Graph graph, PassManager? instrumentation)
        {
            Compilations++;
            return _inner.Compile(graph, instrumentation);
        }

        public FusionPlan? PlanFusion(Graph graph) => _inner.PlanFusion(graph);

        public FusePass? FusePass => _inner.FusePass;

        public ProgramDescription? Lower(Graph graph) => _inner.Lower(graph);

        public MemoryPlan? EstimateMemory(Graph graph) => _inner.EstimateMemory(graph);
    }

    [Fact]
    public void AScheduledStepMatchesSgdInDoublesAndCompilesOnce()
    {
        var model = new Point();
        var optimizer = new Sgd(0.5, momentum: 0.5);
        var target = TrainingTestUtil.F64([1.0, -2.0, 3.0], 3);
        var log = new List<string>();
        var backend = new CountingBackend();
        using var step = Compiler.TrainStep(model, (m, goal) => ((m.W - goal) * (m.W - goal)).Sum() * 0.5, optimizer, target,
            new CompileOptions { Log = log.Add, Backend = backend });
        var schedule = new SequentialLR(optimizer, [new LinearLR(optimizer, 0.2, 1.0, 3), new CosineAnnealingLR(optimizer, 6)], [3]);

        double[] w = [0, 0, 0], goal = target.ToDoubleArray();
        double[]? buffer = null;
        for (int t = 0; t < 9; t++)
        {
            double lr = t < 3 ? 0.5 * (0.2 + 0.8 * t / 3) : 0.5 * (1 + Math.Cos(Math.PI * (t - 3) / 6)) / 2;
            var g = w.Select((v, i) => v - goal[i]).ToArray();
            buffer = buffer is null ? g : buffer.Select((b, i) => 0.5 * b + g[i]).ToArray();
            w = w.Select((v, i) => v - lr * buffer[i]).ToArray();

            var result = step.Step(target);
            schedule.Step();
            TrainingTestUtil.AssertClose([lr], [result.LearningRate], $"rate of step {t + 1}");
            TrainingTestUtil.AssertClose(w, model.W.Parameter!.Data.ToDoubleArray(), $"w after step {t + 1}");
        }
        // The rate is an input of the one compiled graph: no recompile, no new shape.
        Assert.Contains(step.Graph.Inputs, i => i.Name == "lr" && i.Type == new TensorType(DType.F64, Shape.Scalar));
        Assert.Single(step.CompiledShapes);
        Assert.Empty(log);
        Assert.Equal(1, backend.Compilations);
    }
}
