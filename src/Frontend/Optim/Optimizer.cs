using GraphDL.IR;

namespace GraphDL;

/// <summary>
/// An optimizer written as a graph transform: given each parameter's gradient it emits the update into the
/// training-step graph. Its state (momentum buffers, moments, the step count) lives in graph state inputs that the
/// step updates in place, and the learning rate is a graph input, so schedules need no recompilation.
/// </summary>
public abstract class Optimizer
{
    protected Optimizer(double learningRate) => LearningRate = learningRate;

    /// <summary>The learning rate fed to the next step (change it between steps, or let an <see cref="LRScheduler"/> change it).</summary>
    public double LearningRate { get; set; }

    /// <summary>
    /// The learning rate schedules start from (torch's <c>initial_lr</c>): the <see cref="LearningRate"/> when the first
    /// <see cref="LRScheduler"/> was attached, so that schedulers attached after it (chained in a
    /// <see cref="SequentialLR"/>) start from the same base and not from the rate the first one set. Null until then.
    /// </summary>
    public double? InitialLearningRate { get; internal set; }

    /// <summary>The state this optimizer keeps per parameter: names (suffixes) and initial values.</summary>
    public abstract IReadOnlyList<(string Name, HostTensor Initial)> StateFor(Parameter parameter);

    /// <summary>
    /// Emits the update of one parameter: returns its new value and the new values of its state (in the order of
    /// <see cref="StateFor"/>). <paramref name="step"/> is the 1-based step number as a float scalar of the
    /// parameter's dtype; <paramref name="lr"/> the learning rate, same dtype.
    /// </summary>
    public abstract (Tensor Parameter, IReadOnlyList<Tensor> State) Update(Tensor parameter, Tensor gradient, IReadOnlyList<Tensor> state, Tensor lr, Tensor step);

    /// <summary>A state tensor of zeros shaped like the parameter.</summary>
    protected static HostTensor ZerosLike(Parameter parameter) => HostTensor.Zeros(parameter.Type);
}

/// <summary>
/// Stochastic gradient descent as PyTorch defines it: g ← g + λθ (weight decay); with momentum μ,
/// b ← μb + (1−dampening)g (b ← g on the first step), and g ← g + μb (Nesterov) or g ← b; then θ ← θ − lr·g.
/// </summary>
public sealed class Sgd : Optimizer
{
    public Sgd(double learningRate, double momentum = 0, double dampening = 0, double weightDecay = 0, bool nesterov = false)
        : base(learningRate)
    {
        if (nesterov && (momentum <= 0 || dampening != 0))
        {
            throw new ArgumentException("Nesterov momentum needs momentum > 0 and zero dampening", nameof(nesterov));
        }
        Momentum = momentum;
        Dampening = dampening;
        WeightDecay = weightDecay;
        Nesterov = nesterov;
    }

    public double Momentum { get; }

    public double Dampening { get; }

    public double WeightDecay { get; }

    public bool Nesterov { get; }

    public override IReadOnlyList<(string Name, HostTensor Initial)> StateFor(Parameter parameter) =>
        Momentum == 0 ? [] : [("momentum", ZerosLike(parameter))];

    public override (Tensor Parameter, IReadOnlyList<Tensor> State) Update(Tensor parameter, Tensor gradient, IReadOnlyList<Tensor> state, Tensor lr, Tensor step)
    {
        var g = WeightDecay == 0 ? gradient : gradient + parameter * WeightDecay;
        if (Momentum == 0)
        {
            return (parameter - lr * g, []);
        }
        // On the first step the buffer starts at g itself (PyTorch), so blend by whether step == 1.
        var first = step.Eq(1.0);
        var buffer = F.Where(first, g, state[0] * Momentum + g * (1 - Dampening));
        var direction = Nesterov ? g + buffer * Momentum : buffer;
        return (parameter - lr * direction, [buffer]);
    }
}

/// <summary>
/// Adam (Kingma and Ba) as in PyTorch: m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g², θ ← θ − lr·m̂/(√v̂ + ε) with
/// bias-corrected m̂ = m/(1−β₁ᵗ), v̂ = v/(1−β₂ᵗ); weight decay adds λθ to g (L2).
/// </summary>
public class Adam(double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8, double weightDecay = 0)
    : Optimizer(learningRate)
{
    public double Beta1 { get; } = beta1;

    public double Beta2 { get; } = beta2;

    public double Epsilon { get; } = epsilon;

    public double WeightDecay { get; } = weightDecay;

    public override IReadOnlyList<(string Name, HostTensor Initial)> StateFor(Parameter parameter) =>
        [("exp_avg", ZerosLike(parameter)), ("exp_avg_sq", ZerosLike(parameter))];

    /// <summary>The gradient after weight decay; AdamW decays the parameter instead.</summary>
    protected virtual Tensor DecayedGradient(Tensor parameter, Tensor gradient) =>
        WeightDecay == 0 ? gradient : gradient + parameter * WeightDecay;

    /// <summary>The parameter before the Adam step; AdamW applies its decoupled decay here.</summary>
    protected virtual Tensor DecayedParameter(Tensor parameter, Tensor lr) => parameter;

    public override (Tensor Parameter, IReadOnlyList<Tensor> State) Update(Tensor parameter, Tensor gradient, IReadOnlyList<Tensor> state, Tensor lr, Tensor step)
    {
        var g = DecayedGradient(parameter, gradient);
        var m = state[0] * Beta1 + g * (1 - Beta1);
        var v = state[1] * Beta2 + g * g * (1 - Beta2);
        var correction1 = 1.0 - F.Power(Beta1, step);
        var correction2 = 1.0 - F.Power(Beta2, step);
        var denominator = (v / correction2).Sqrt() + Epsilon;
        var updated = DecayedParameter(parameter, lr) - lr * (m / correction1) / denominator;
        return (updated, [m, v]);
    }
}

/// <summary>AdamW (Loshchilov and Hutter): Adam with decoupled weight decay, θ ← θ(1 − lr·λ) before the Adam step.</summary>
public sealed class AdamW(double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8, double weightDecay = 1e-2)
    : Adam(learningRate, beta1, beta2, epsilon, weightDecay)
{
    protected override Tensor DecayedGradient(Tensor parameter, Tensor gradient) => gradient;

    protected override Tensor DecayedParameter(Tensor parameter, Tensor lr) => parameter * (1.0 - lr * WeightDecay);
}
