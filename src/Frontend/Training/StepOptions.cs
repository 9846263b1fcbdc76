namespace GraphDL;

/// <summary>
/// What a training step does besides the loss, its gradients and the optimizer's update (all compiled into the one
/// step graph): <c>Compiler.TrainStep(model, loss, optimizer, x, y, step: new() { ClipGradNorm = 1.0 })</c>.
/// </summary>
public sealed record StepOptions
{
    /// <summary>
    /// Clip the gradients by their global norm before the update, as <c>torch.nn.utils.clip_grad_norm_(params,
    /// max_norm)</c> between <c>backward()</c> and <c>optimizer.step()</c> (see <see cref="F.ClipGradNorm"/>); null (the
    /// default) for no clipping. The norm before clipping comes back in <see cref="StepResult.GradNorm"/>.
    /// </summary>
    public double? ClipGradNorm
    {
        get;
        init => field = value is { } v && !(v > 0) ? throw new ArgumentOutOfRangeException(nameof(ClipGradNorm), $"the gradient norm limit must be positive, got {v}") : value;
    }

    /// <summary>The p of the clipping norm (2 by default; <see cref="double.PositiveInfinity"/> for the largest |g|).</summary>
    public double ClipNormType
    {
        get;
        init => field = !(value > 0) ? throw new ArgumentOutOfRangeException(nameof(ClipNormType), $"the norm type must be positive or infinity, got {value}") : value;
    } = 2.0;

    /// <summary>
    /// Return each parameter's gradient (after clipping, what the optimizer used) in <see cref="StepResult.Gradients"/>,
    /// as torch leaves them in <c>.grad</c>. Off by default: the gradients are then intermediates the memory plan reuses.
    /// </summary>
    public bool ReturnGradients { get; init; }
}
