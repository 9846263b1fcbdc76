using System.Runtime.CompilerServices;
using GraphDL.IR;

namespace GraphDL;

// The ways to call a step: Run gives the loss as a float (the common training loop), Step gives everything the step
// computed. Each names the caller's line (caller info), which errors about the batch quote.
public partial class TrainStep
{
    /// <summary>Runs one step of a one-input loss; returns the loss.</summary>
    public float Run(HostTensor x, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        (float)Execute([x], Compiler.Caller(file, line)).LossValue;

    /// <summary>
    /// Runs one step on a batch: updates parameters, buffers and optimizer state; returns the loss (as a float: see
    /// <see cref="Step(HostTensor, HostTensor, string, int)"/> for it in its own dtype). Safe from many threads at once:
    /// concurrent steps run one after another.
    /// </summary>
    public float Run(HostTensor x, HostTensor y, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        (float)Execute([x, y], Compiler.Caller(file, line)).LossValue;

    /// <summary>Runs one step of a three-input loss (x, y and a mask, say); returns the loss.</summary>
    public float Run(HostTensor x, HostTensor y, HostTensor z, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        (float)Execute([x, y, z], Compiler.Caller(file, line)).LossValue;

    /// <summary>Runs one step of a loss of any number of inputs (in <see cref="InputNames"/> order); returns the loss.</summary>
    public float Run(IReadOnlyList<HostTensor> batch, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        (float)Execute(batch, Compiler.Caller(file, line)).LossValue;

    /// <summary>Runs one step of a one-input loss; returns the loss in its dtype, the learning rate used, and what <see cref="Options"/> asks for.</summary>
    public StepResult Step(HostTensor x, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        Execute([x], Compiler.Caller(file, line));

    /// <summary>Runs one step; returns the loss in its dtype, the learning rate used, and what <see cref="Options"/> asks for (gradient norm, gradients).</summary>
    public StepResult Step(HostTensor x, HostTensor y, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        Execute([x, y], Compiler.Caller(file, line));

    /// <summary>Runs one step of a three-input loss; returns everything it computed.</summary>
    public StepResult Step(HostTensor x, HostTensor y, HostTensor z, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        Execute([x, y, z], Compiler.Caller(file, line));

    /// <summary>Runs one step of a loss of any number of inputs (in <see cref="InputNames"/> order); returns everything it computed.</summary>
    public StepResult Step(IReadOnlyList<HostTensor> batch, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        Execute(batch, Compiler.Caller(file, line));
}
