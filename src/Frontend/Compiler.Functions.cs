using System.Runtime.CompilerServices;
using GraphDL.IR;

namespace GraphDL;

// The public factories of compiled functions: training steps of one to any number of inputs, and inference
// functions. Inputs are named after the lambda's parameters (`(m, x, y, mask) => ...` takes x, y, mask). Each takes
// the caller's line, which later errors quote ("compiled at Program.cs:22").
public static partial class Compiler
{
    /// <summary>
    /// Compiles one training step of <paramref name="model"/> for inputs shaped like the samples. The pipeline is
    /// visible pass by pass (<see cref="CompileOptions.Passes"/>): the traced forward graph (the loss) →
    /// <c>autodiff</c> (gradients w.r.t. every parameter) → <c>optimizer</c> (gradient clipping, then the update, with
    /// its state) → the simplification passes. The result's outputs update parameters, buffers and optimizer state in
    /// place. <paramref name="step"/> adds gradient clipping and gradient outputs.
    /// </summary>
    public static TrainStep<TModel> TrainStep<TModel>(TModel model, Func<TModel, Tensor, Tensor, Tensor> loss, Optimizer optimizer,
        HostTensor sampleX, HostTensor sampleY, CompileOptions? options = null, StepOptions? step = null,
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) where TModel : Module =>
        new(model, a => (loss(model, a[0], a[1]), []), loss, 1, optimizer, [sampleX.Type, sampleY.Type], options ?? new CompileOptions(),
            step ?? new StepOptions(), Caller(file, line));

    /// <summary>A training step whose loss takes one input (an autoencoder's, a language model's that slices its own targets).</summary>
    public static TrainStep<TModel> TrainStep<TModel>(TModel model, Func<TModel, Tensor, Tensor> loss, Optimizer optimizer,
        HostTensor sampleX, CompileOptions? options = null, StepOptions? step = null,
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) where TModel : Module =>
        new(model, a => (loss(model, a[0]), []), loss, 1, optimizer, [sampleX.Type], options ?? new CompileOptions(),
            step ?? new StepOptions(), Caller(file, line));

    /// <summary>A training step whose loss takes three inputs (inputs, targets and a mask, say).</summary>
    public static TrainStep<TModel> TrainStep<TModel>(TModel model, Func<TModel, Tensor, Tensor, Tensor, Tensor> loss, Optimizer optimizer,
        HostTensor sampleX, HostTensor sampleY, HostTensor sampleZ, CompileOptions? options = null, StepOptions? step = null,
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) where TModel : Module =>
        new(model, a => (loss(model, a[0], a[1], a[2]), []), loss, 1, optimizer, [sampleX.Type, sampleY.Type, sampleZ.Type],
            options ?? new CompileOptions(), step ?? new StepOptions(), Caller(file, line));

    /// <summary>A training step whose loss takes any number of inputs, named <c>input0, input1, ...</c>; call it with the batch in the samples' order.</summary>
    public static TrainStep<TModel> TrainStep<TModel>(TModel model, Func<TModel, Tensor[], Tensor> loss, Optimizer optimizer,
        IReadOnlyList<HostTensor> samples, CompileOptions? options = null, StepOptions? step = null,
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) where TModel : Module =>
        new(model, a => (loss(model, a), []), null, 0, optimizer, [.. samples.Select(s => s.Type)], options ?? new CompileOptions(),
            step ?? new StepOptions(), Caller(file, line));

    /// <summary>
    /// A training step whose loss function also returns other tensors, which come back in <see cref="StepResult.Outputs"/>
    /// as values: the last hidden state of a truncated-BPTT chunk, fed to the next step as an input (so no gradient flows
    /// from one chunk into the previous one), or the logits for an accuracy. Inputs are named <c>input0, input1, ...</c>.
    /// </summary>
    public static TrainStep<TModel> TrainStep<TModel>(TModel model, Func<TModel, Tensor[], (Tensor Loss, Tensor[] Outputs)> loss, Optimizer optimizer,
        IReadOnlyList<HostTensor> samples, CompileOptions? options = null, StepOptions? step = null,
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) where TModel : Module =>
        new(model, a => loss(model, a), null, 0, optimizer, [.. samples.Select(s => s.Type)], options ?? new CompileOptions(),
            step ?? new StepOptions(), Caller(file, line));

    /// <summary>Traces <paramref name="model"/>'s forward pass in evaluation mode with no gradients, for inputs shaped like <paramref name="sampleX"/> (input <c>x</c>).</summary>
    public static InferenceFunction Inference(Module model, HostTensor sampleX, CompileOptions? options = null,
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        new(model, a => [model.Forward(a[0])], ["x"], [sampleX.Type], options ?? new CompileOptions(), Caller(file, line));

    /// <summary>Compiles <paramref name="forward"/> of one input (evaluation mode, no gradients): the last position's logits of a language model, say.</summary>
    public static InferenceFunction Inference<TModel>(TModel model, Func<TModel, Tensor, Tensor> forward, HostTensor sampleX,
        CompileOptions? options = null, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) where TModel : Module =>
        new(model, a => [forward(model, a[0])], InputNames.Of(forward, 1, 1, Taken(model)), [sampleX.Type], options ?? new CompileOptions(), Caller(file, line));

    /// <summary>Compiles <paramref name="forward"/> of two inputs (evaluation mode, no gradients).</summary>
    public static InferenceFunction Inference<TModel>(TModel model, Func<TModel, Tensor, Tensor, Tensor> forward, HostTensor sampleX, HostTensor sampleY,
        CompileOptions? options = null, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) where TModel : Module =>
        new(model, a => [forward(model, a[0], a[1])], InputNames.Of(forward, 1, 2, Taken(model)), [sampleX.Type, sampleY.Type],
            options ?? new CompileOptions(), Caller(file, line));

    /// <summary>
    /// Compiles <paramref name="forward"/> of any number of inputs (<c>input0, input1, ...</c>) and outputs (evaluation
    /// mode, no gradients): one step of a recurrent sampler, taking a token and the hidden state and returning the
    /// logits and the new state. <see cref="InferenceFunction.RunAll"/> returns every output.
    /// </summary>
    public static InferenceFunction Inference<TModel>(TModel model, Func<TModel, Tensor[], Tensor[]> forward, IReadOnlyList<HostTensor> samples,
        CompileOptions? options = null, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) where TModel : Module =>
        new(model, a => forward(model, a), InputNames.Of(null, 0, samples.Count, Taken(model)), [.. samples.Select(s => s.Type)],
            options ?? new CompileOptions(), Caller(file, line));

    /// <summary>The user's line from caller info, or unknown when none was given.</summary>
    internal static SourceLoc Caller(string file, int line) => file.Length == 0 ? SourceLoc.Unknown : new SourceLoc(Path.GetFileName(file), line);

    private static IEnumerable<string> Taken(Module model) => model.Parameters().Concat(model.Buffers()).Select(p => p.Name);
}
