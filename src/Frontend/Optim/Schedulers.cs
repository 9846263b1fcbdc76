namespace GraphDL;

/// <summary>Decays the rate by <c>gamma</c> every <c>stepSize</c> steps: lr(t) = base·γ^⌊t/stepSize⌋ (torch's <c>StepLR</c>).</summary>
public sealed class StepLR : LRScheduler
{
    public StepLR(Optimizer optimizer, int stepSize, double gamma = 0.1) : base(optimizer)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(stepSize);
        StepSize = stepSize;
        Gamma = gamma;
        Start();
    }

    public int StepSize { get; }

    public double Gamma { get; }

    public override double LearningRateAt(long step) => BaseLearningRate * Math.Pow(Gamma, step / StepSize);
}

/// <summary>Decays the rate by <c>gamma</c> every step: lr(t) = base·γ^t (torch's <c>ExponentialLR</c>).</summary>
public sealed class ExponentialLR : LRScheduler
{
    public ExponentialLR(Optimizer optimizer, double gamma) : base(optimizer)
    {
        Gamma = gamma;
        Start();
    }

    public double Gamma { get; }

    public override double LearningRateAt(long step) => BaseLearningRate * Math.Pow(Gamma, step);
}

/// <summary>
/// Cosine annealing from the base rate to <c>etaMin</c> over <c>tMax</c> steps (SGDR without restarts, torch's
/// <c>CosineAnnealingLR</c>): lr(t) = η_min + (base − η_min)(1 + cos(πt/T_max))/2; past T_max the cosine goes on.
/// </summary>
public sealed class CosineAnnealingLR : LRScheduler
{
    public CosineAnnealingLR(Optimizer optimizer, int tMax, double etaMin = 0) : base(optimizer)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(tMax);
        TMax = tMax;
        EtaMin = etaMin;
        Start();
    }

    public int TMax { get; }

    public double EtaMin { get; }

    public override double LearningRateAt(long step) => EtaMin + (BaseLearningRate - EtaMin) * (1 + Math.Cos(Math.PI * step / TMax)) / 2;
}

/// <summary>
/// Linear warmup (or decay): the rate's factor goes linearly from <c>startFactor</c> to <c>endFactor</c> over
/// <c>totalIters</c> steps, then stays: lr(t) = base·(s + (e − s)·min(t, T)/T) (torch's <c>LinearLR</c>).
/// </summary>
public sealed class LinearLR : LRScheduler
{
    public LinearLR(Optimizer optimizer, double startFactor = 1.0 / 3, double endFactor = 1.0, int totalIters = 5) : base(optimizer)
    {
        if (!(startFactor > 0 && startFactor <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(startFactor), $"the start factor must be in (0, 1], got {startFactor}");
        }
        if (!(endFactor >= 0 && endFactor <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(endFactor), $"the end factor must be in [0, 1], got {endFactor}");
        }
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(totalIters);
        StartFactor = startFactor;
        EndFactor = endFactor;
        TotalIters = totalIters;
        Start();
    }

    public double StartFactor { get; }

    public double EndFactor { get; }

    public int TotalIters { get; }

    public override double LearningRateAt(long step) =>
        BaseLearningRate * (StartFactor + (EndFactor - StartFactor) * Math.Min(TotalIters, step) / TotalIters);
}

/// <summary>How <see cref="OneCycleLR"/> moves between its rates.</summary>
public enum AnnealStrategy
{
    /// <summary>Half a cosine: end + (start − end)(1 + cos πp)/2 at fraction p of the phase.</summary>
    Cos,

    /// <summary>A straight line: start + (end − start)p.</summary>
    Linear,
}

/// <summary>
/// The 1cycle policy (Smith and Topin, torch's <c>OneCycleLR</c>): from maxLr/divFactor up to <c>maxLr</c> over the first
/// <c>pctStart</c> of <c>totalSteps</c>, then down to initial/finalDivFactor by the end (with <c>threePhase</c>: up, back
/// down to the initial rate symmetrically, then down to the minimum). It sets the optimizer's initial rate to
/// maxLr/divFactor, as torch does. Unlike torch it does not cycle momentum: β₁ is compiled into the step. Stepping
/// past <c>totalSteps</c> is an error.
/// </summary>
public sealed class OneCycleLR : LRScheduler
{
    private readonly (double EndStep, Func<double> Start, Func<double> End)[] _phases;

    public OneCycleLR(Optimizer optimizer, double maxLr, int totalSteps, double pctStart = 0.3, AnnealStrategy anneal = AnnealStrategy.Cos,
        double divFactor = 25, double finalDivFactor = 1e4, bool threePhase = false) : base(SetInitial(optimizer, maxLr / divFactor))
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(totalSteps);
        if (!(pctStart >= 0 && pctStart <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(pctStart), $"pct_start must be in [0, 1], got {pctStart}");
        }
        if (!(maxLr > 0 && divFactor > 0 && finalDivFactor > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(maxLr), $"max_lr, div_factor and final_div_factor must be positive, got {maxLr}, {divFactor}, {finalDivFactor}");
        }
        MaxLr = maxLr;
        TotalSteps = totalSteps;
        Anneal = anneal;
        FinalDivFactor = finalDivFactor;
        double rise = pctStart * totalSteps - 1;
        _phases = threePhase
            ? [(rise, () => BaseLearningRate, () => MaxLr), (2 * pctStart * totalSteps - 2, () => MaxLr, () => BaseLearningRate), (totalSteps - 1, () => BaseLearningRate, () => MinLr)]
            : [(rise, () => BaseLearningRate, () => MaxLr), (totalSteps - 1, () => MaxLr, () => MinLr)];
        // A phase of zero length would divide by zero (torch raises ZeroDivisionError on its first step).
        for (int i = 0; i < _phases.Length; i++)
        {
            if (!(_phases[i].EndStep > (i == 0 ? 0 : _phases[i - 1].EndStep)))
            {
                throw new ArgumentOutOfRangeException(nameof(totalSteps), $"{totalSteps} total steps with pct_start {pctStart} leave phase {i + 1} of the cycle without steps");
            }
        }
        Start();
    }

    public double MaxLr { get; }

    public int TotalSteps { get; }

    public AnnealStrategy Anneal { get; }

    public double FinalDivFactor { get; }

    /// <summary>The rate at the end: the initial rate / finalDivFactor.</summary>
    public double MinLr => BaseLearningRate / FinalDivFactor;

    /// <exception cref="InvalidOperationException"><paramref name="step"/> is past <see cref="TotalSteps"/>.</exception>
    public override double LearningRateAt(long step)
    {
        if (step > TotalSteps)
        {
            throw new InvalidOperationException($"OneCycleLR stepped {step} times, past its {TotalSteps} total steps");
        }
        double startStep = 0;
        for (int i = 0; i < _phases.Length; i++)
        {
            var (endStep, start, end) = _phases[i];
            if (step <= endStep || i == _phases.Length - 1)
            {
                double pct = (step - startStep) / (endStep - startStep);
                return Anneal == AnnealStrategy.Cos
                    ? end() + (start() - end()) / 2.0 * (Math.Cos(Math.PI * pct) + 1)
                    : (end() - start()) * pct + start();
            }
            startStep = endStep;
        }
        throw new InvalidOperationException("unreachable: the last phase takes every step");
    }

    private static Optimizer SetInitial(Optimizer optimizer, double initial)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        optimizer.InitialLearningRate = initial;
        return optimizer;
    }
}

/// <summary>
/// Schedules one after another (torch's <c>SequentialLR</c>): <c>schedulers[i]</c> runs from <c>milestones[i−1]</c>
/// (0 for the first) with its own step count restarting at 0. Warmup then cosine decay, as nanoGPT trains:
/// <code>
/// new SequentialLR(optimizer, [new LinearLR(optimizer, 0.01, 1.0, 100), new CosineAnnealingLR(optimizer, 900, 1e-5)], [100]);
/// </code>
/// </summary>
public sealed class SequentialLR : LRScheduler
{
    private readonly LRScheduler[] _schedulers;
    private readonly long[] _milestones;

    public SequentialLR(Optimizer optimizer, IReadOnlyList<LRScheduler> schedulers, IReadOnlyList<long> milestones) : base(optimizer)
    {
        if (schedulers.Count == 0 || milestones.Count != schedulers.Count - 1)
        {
            throw new ArgumentException($"SequentialLR needs one milestone fewer than schedulers, got {schedulers.Count} schedulers and {milestones.Count} milestones", nameof(milestones));
        }
        if (schedulers.Any(s => s.Optimizer != optimizer))
        {
            throw new ArgumentException("every scheduler of a SequentialLR must schedule its optimizer", nameof(schedulers));
        }
        for (int i = 0; i < milestones.Count; i++)
        {
            if (milestones[i] <= (i == 0 ? 0 : milestones[i - 1]))
            {
                throw new ArgumentException($"milestones must be positive and increasing, got [{string.Join(", ", milestones)}]", nameof(milestones));
            }
        }
        _schedulers = [.. schedulers];
        _milestones = [.. milestones];
        Start();
    }

    public IReadOnlyList<LRScheduler> Schedulers => _schedulers;

    public IReadOnlyList<long> Milestones => _milestones;

    public override double LearningRateAt(long step)
    {
        int i = 0;
        while (i < _milestones.Length && step >= _milestones[i])
        {
            i++;
        }
        return _schedulers[i].LearningRateAt(step - (i == 0 ? 0 : _milestones[i - 1]));
    }
}
