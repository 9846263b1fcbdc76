using GraphDL.IR;

namespace GraphDL;

/// <summary>What one training step computed (<see cref="TrainStep.Step(HostTensor, HostTensor, string, int)"/>): every tensor is fresh, the caller's to keep.</summary>
public sealed class StepResult
{
    internal StepResult(HostTensor loss, double learningRate, long step, HostTensor? gradNorm, IReadOnlyDictionary<string, HostTensor>? gradients,
        IReadOnlyList<HostTensor> outputs)
    {
        Outputs = outputs;
        Loss = loss;
        LearningRate = learningRate;
        Step = step;
        GradNorm = gradNorm;
        Gradients = gradients;
    }

    /// <summary>The loss, a scalar in the dtype the loss function returned (an f64 model's loss is f64).</summary>
    public HostTensor Loss { get; }

    /// <summary>The loss as a double (exact for every float dtype).</summary>
    public double LossValue => Loss.GetDouble(0);

    /// <summary>The learning rate this step used.</summary>
    public double LearningRate { get; }

    /// <summary>The optimizer's step count after this step: 1 after the first.</summary>
    public long Step { get; }

    /// <summary>The global gradient norm before clipping, with <see cref="StepOptions.ClipGradNorm"/>; else null.</summary>
    public HostTensor? GradNorm { get; }

    /// <summary>
    /// The other tensors the loss function returned with the loss (a chunk's last hidden state, say), as values computed
    /// in this step's forward pass; empty for a loss function that returns only the loss.
    /// </summary>
    public IReadOnlyList<HostTensor> Outputs { get; }

    /// <summary>Each parameter's gradient by name (after clipping), with <see cref="StepOptions.ReturnGradients"/>; else null.</summary>
    public IReadOnlyDictionary<string, HostTensor>? Gradients { get; }
}
