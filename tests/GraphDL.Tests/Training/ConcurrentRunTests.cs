using GraphDL.IR;
using GraphDL.Runtime;

namespace GraphDL.Tests.Training;

/// <summary>
/// Compiled functions called from many threads at once: every call gets the answer for its own input. Inputs and
/// expected values are small integers and multiples of 1/64, exact in f32, so each result is compared exactly.
/// </summary>
public class ConcurrentRunTests
{
    private const int Threads = 8, Calls = 10_000, Width = Threads;

    /// <summary>One f32[8] weight vector: inference computes x·w elementwise; training's loss reads one entry of it.</summary>
    private sealed class Weights : Module
    {
        public Weights(float[] initial) => W = AddParameter("w", HostTensor.FromArray(initial, Width));

        public Tensor W { get; }

        public override Tensor Forward(Tensor x) => x * W;
    }

    private static IBackend BackendNamed(string name) => name == "reference" ? Backend.Reference : Backend.Cpu;

    /// <summary>Runs <paramref name="call"/>(thread, i) for i below <see cref="Calls"/> on each of <see cref="Threads"/> threads, released together.</summary>
    private static void OnAllThreads(Action<int, int> call)
    {
        using var start = new Barrier(Threads);
        var threads = Enumerable.Range(0, Threads).Select(t => new Thread(() =>
        {
            start.SignalAndWait();
            for (int i = 0; i < Calls; i++)
            {
                call(t, i);
            }
        })).ToArray();
        foreach (var thread in threads)
        {
            thread.Start();
        }
        foreach (var thread in threads)
        {
            thread.Join();
        }
    }

    [Theory]
    [InlineData("cpu")]
    [InlineData("reference")]
    public void InferenceFromEightThreadsReturnsEachCallsOwnResult(string backend)
    {
        var weights = Enumerable.Range(1, Width).Select(v => (float)v).ToArray();
        var model = new Weights(weights);
        using var infer = Compiler.Inference(model, HostTensor.FromArray(new float[Width], Width), new CompileOptions { Backend = BackendNamed(backend) });
        int wrong = 0;
        string? firstWrong = null;
        OnAllThreads((t, i) =>
        {
            // Every call's input is distinct: thread t's call i fills x with t·Calls + i.
            float fill = t * Calls + i;
            var y = infer.Run(HostTensor.FromArray(Enumerable.Repeat(fill, Width).ToArray(), Width)).AsSpan<float>();
            for (int j = 0; j < Width; j++)
            {
                if (y[j] != fill * weights[j])
                {
                    Interlocked.Increment(ref wrong);
                    Interlocked.CompareExchange(ref firstWrong, $"thread {t} call {i}: y[{j}] = {y[j]}, expected {fill * weights[j]}", null);
                    break;
                }
            }
        });
        Assert.True(wrong == 0, $"{wrong} of {Threads * Calls} calls returned a wrong result; first: {firstWrong}");
    }

    /// <summary>
    /// loss = (w·x).Sum()·y with x one-hot at the thread's index t and y = t + 1, trained by plain SGD (lr = 1/64). The
    /// gradient is (t + 1)·e_t, so thread t's steps change w[t] alone, by exactly (t + 1)/64 each, and no other
    /// thread's step reads or writes it. Whatever order the steps of different threads interleave in, the k-th call
    /// of thread t must therefore return (t + 1)·(w0[t] − k·(t + 1)/64), and the final w[t] is w0[t] − Calls·(t + 1)/64:
    /// a call fed another thread's batch returns another entry's value, and a step lost or run on stale parameters
    /// leaves a later loss or the final weight off. Momentum and Adam would couple the threads through shared state
    /// (a step count, decaying buffers), so that the result would depend on the order; plain SGD does not.
    /// </summary>
    [Theory]
    [InlineData("cpu")]
    [InlineData("reference")]
    public void TrainingFromEightThreadsActsAsSomeOrderOfTheSteps(string backend)
    {
        const float lr = 1f / 64;
        var initial = Enumerable.Range(0, Width).Select(t => 1000f * (t + 1)).ToArray();
        var model = new Weights(initial);
        var oneHots = Enumerable.Range(0, Threads).Select(t => HostTensor.FromArray(Enumerable.Range(0, Width).Select(j => j == t ? 1f : 0f).ToArray(), Width)).ToArray();
        var scales = Enumerable.Range(0, Threads).Select(t => HostTensor.FromArray(new[] { t + 1f })).ToArray();
        using var step = Compiler.TrainStep(model, (m, x, y) => (m.W * x).Sum() * y, new Sgd(lr), oneHots[0], scales[0],
            new CompileOptions { Backend = BackendNamed(backend) });
        int wrong = 0;
        string? firstWrong = null;
        OnAllThreads((t, k) =>
        {
            float loss = step.Run(oneHots[t], scales[t]);
            float expected = (t + 1) * (initial[t] - k * (t + 1) * lr);
            if (loss != expected)
            {
                Interlocked.Increment(ref wrong);
                Interlocked.CompareExchange(ref firstWrong, $"thread {t} call {k}: loss {loss}, expected {expected}", null);
            }
        });
        Assert.True(wrong == 0, $"{wrong} of {Threads * Calls} steps returned a wrong loss; first: {firstWrong}");
        var final = model.StateDict()["w"].AsSpan<float>().ToArray();
        Assert.Equal(Enumerable.Range(0, Width).Select(t => initial[t] - Calls * (t + 1) * lr).ToArray(), final);
    }
}
