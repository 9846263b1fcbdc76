using GraphDL.Cli.Fuzzing;
using GraphDL.IR;
using GraphDL.Passes.Memory;
using GraphDL.Runtime;
using GraphDL.Tests.Codegen;
using GraphDL.Tests.Nn;
using Xunit.Abstractions;

namespace GraphDL.Tests.Memory;

/// <summary>
/// <see cref="CompileOptions.MemoryBudget"/> end to end, on a 16-layer MLP training step compiled for the CPU backend.
/// The remat pass judges its plans on the memory plan of the kernels the program will run, in the order it runs them
/// (<see cref="MemoryEstimate"/>), so the estimate tracks the program's arena and <c>sqrt</c> visibly lowers it; a budget
/// between <c>sqrt</c> and <c>none</c> is met by the compiled program with results bit-identical to no remat; a budget
/// no plan meets fails naming the smallest peak and the values live at it.
/// </summary>
[Collection(nameof(InitStreamCollection))]
public class MemoryBudgetTests(ITestOutputHelper output)
{
    private const int Layers = 16, Width = 32, Batch = 64, Classes = 10, Steps = 2;

    private static Sequential DeepMlp() =>
        new(Enumerable.Range(0, Layers).SelectMany(i => i < Layers - 1 ? new Module[] { new Linear(Width, Width), new ReLU() } : [new Linear(Width, Classes)]).ToArray());

    private static (HostTensor X, HostTensor Y)[] Batches()
    {
        var random = new Random(11);
        return Enumerable.Range(0, Steps).Select(_ => (
            HostTensor.Random(new TensorType(DType.F32, new Shape(Batch, Width)), random),
            HostTensor.FromInt64s(DType.I64, new Shape(Batch), Enumerable.Range(0, Batch).Select(_ => (long)random.Next(Classes)).ToArray()))).ToArray();
    }

    /// <summary>The step compiled from the same initial parameters; the caller disposes it.</summary>
    private static TrainStep<Sequential> Compile(CompileOptions options)
    {
        Init.ManualSeed(5);
        var batch = Batches()[0];
        return Compiler.TrainStep(DeepMlp(), (m, x, y) => F.CrossEntropy(m.Forward(x), y), new Sgd(0.1), batch.X, batch.Y, options);
    }

    private static long ArenaOf(RematPolicy policy)
    {
        using var step = Compile(new CompileOptions { Backend = new CpuBackend(), Remat = policy });
        return step.Memory!.ArenaBytes;
    }

    [Fact]
    public void SqrtLowersTheEstimateAndTheEstimateIsTheProgramsArena()
    {
        foreach (var policy in new[] { RematPolicy.None, RematPolicy.Sqrt })
        {
            using var step = Compile(new CompileOptions { Backend = new CpuBackend(), Remat = policy });
            var estimate = new CpuBackend().EstimateMemory(step.Graph);
            var program = step.Memory!;
            output.WriteLine($"{policy}: estimated peak {estimate.LowerBoundBytes}, arena {estimate.ArenaBytes}; " +
                $"program peak {program.LowerBoundBytes}, arena {program.ArenaBytes}, saved activations {program.SavedActivationBytes}");
            // The estimate is the program's own description: the same arena, byte for byte.
            Assert.Equal(estimate.ArenaBytes, program.ArenaBytes);
        }
        using var none = Compile(new CompileOptions { Backend = ReferenceBackend.Instance, Remat = RematPolicy.None });
        using var sqrt = Compile(new CompileOptions { Backend = ReferenceBackend.Instance, Remat = RematPolicy.Sqrt });
        var (nonePeak, sqrtPeak) = (MemoryEstimate.Of(none.Graph).LowerBoundBytes, MemoryEstimate.Of(sqrt.Graph).LowerBoundBytes);
        Assert.True(sqrtPeak * 3 <= nonePeak * 2, $"sqrt peaks at {sqrtPeak} bytes, none at {nonePeak}: less than a 1.5x cut");
    }

    [Fact]
    public void ABudgetBetweenSqrtAndNoneIsMetWithBitIdenticalResults()
    {
        long noneArena = ArenaOf(RematPolicy.None), sqrtArena = ArenaOf(RematPolicy.Sqrt);
        long budget = (noneArena + sqrtArena) / 2;
        var batches = Batches();
        float[] Train(TrainStep<Sequential> step) => batches.Select(b => step.Run(b.X, b.Y)).ToArray();

        using var baseline = Compile(new CompileOptions { Backend = new CpuBackend() });
        var baselineLosses = Train(baseline);
        using var budgeted = Compile(new CompileOptions { Backend = new CpuBackend(), MemoryBudget = budget });
        var losses = Train(budgeted);
        output.WriteLine($"arena: none {noneArena}, sqrt {sqrtArena}, budget {budget} -> {budgeted.Memory!.ArenaBytes} " +
            $"(saved activations {budgeted.Memory.SavedActivationBytes}, none {baseline.Memory!.SavedActivationBytes})");
        Assert.InRange(budgeted.Memory.ArenaBytes, 0, budget);
        Assert.True(budgeted.Graph.Nodes.Count > baseline.Graph.Nodes.Count, "nothing was recomputed");
        Assert.Equal(baselineLosses.Select(BitConverter.SingleToInt32Bits), losses.Select(BitConverter.SingleToInt32Bits));
        foreach (var (name, value) in baseline.Model.StateDict())
        {
            var actual = budgeted.Model.StateDict()[name];
            Assert.True(actual.BitEquals(value), $"{name} differs: {BackendDiff.FirstDifference(actual, value)}");
        }
    }

    [Fact]
    public void AnUnreachableBudgetFailsNamingTheSmallestPeakAndItsLiveSet()
    {
        var error = Assert.Throws<RematBudgetException>(() => Compile(new CompileOptions { Backend = new CpuBackend(), MemoryBudget = 1024 }));
        output.WriteLine(error.Message);
        Assert.Equal(1024, error.BudgetBytes);
        Assert.Equal(error.SmallestPeakBytes, error.LiveAtPeak.Sum(n => MemoryPlan.AlignUp(n.Type.SizeInBytes)));
        Assert.True(error.ArenaBytes >= error.SmallestPeakBytes && error.SmallestPeakBytes > 1024);
        Assert.StartsWith($"remat: the memory budget of 1024 bytes cannot be met; the smallest achievable peak is {error.SmallestPeakBytes} bytes " +
            $"(arena {error.ArenaBytes} bytes), with {error.LiveAtPeak.Count} values live at that peak:", error.Message);
        var node = error.LiveAtPeak[0];
        Assert.Contains($"\n  {node.Type.SizeInBytes} bytes  {node.Type}  {node.Op.Name}  at MemoryBudgetTests.cs:", error.Message);
    }

    [Fact]
    public void AnExplicitPolicyRunsAsGivenAndTheProgramsArenaIsChecked()
    {
        long sqrtArena = ArenaOf(RematPolicy.Sqrt);
        using (var fits = Compile(new CompileOptions { Backend = new CpuBackend(), Remat = RematPolicy.Sqrt, MemoryBudget = sqrtArena }))
        {
            Assert.Equal(sqrtArena, fits.Memory!.ArenaBytes);
        }
        var error = Assert.Throws<MemoryBudgetException>(() =>
            Compile(new CompileOptions { Backend = new CpuBackend(), Remat = RematPolicy.Sqrt, MemoryBudget = sqrtArena - 1 }));
        output.WriteLine(error.Message);
        Assert.Equal((sqrtArena - 1, sqrtArena), (error.BudgetBytes, error.ArenaBytes));
        Assert.StartsWith($"the compiled program's arena of {sqrtArena} bytes exceeds the memory budget of {sqrtArena - 1} bytes; " +
            $"its peak is {error.PeakBytes} bytes live at once, with {error.LiveAtPeak.Count} values live at that peak:", error.Message);
        Assert.Contains("at MemoryBudgetTests.cs:", error.Message);
    }

    [Fact]
    public void MemoryBudgetTakesThePlaceOfNoneOnlyAndMustBePositive()
    {
        Assert.Equal(RematPolicy.Budget(4096), new CompileOptions { Remat = RematPolicy.None, MemoryBudget = 4096 }.EffectiveRemat);
        Assert.Equal(RematPolicy.Sqrt, new CompileOptions { Remat = RematPolicy.Sqrt, MemoryBudget = 4096 }.EffectiveRemat);
        Assert.Equal(RematPolicy.Budget(1024), new CompileOptions { Remat = RematPolicy.Budget(1024), MemoryBudget = 4096 }.EffectiveRemat);
        Assert.Equal(RematPolicy.None, new CompileOptions { Remat = RematPolicy.None }.EffectiveRemat);
        Assert.Contains("must be positive", Assert.Throws<ArgumentOutOfRangeException>(() => new CompileOptions { MemoryBudget = 0 }).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new CompileOptions { MemoryBudget = -1 });
    }
}
