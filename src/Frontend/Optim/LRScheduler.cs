using System.Globalization;

namespace GraphDL;

/// <summary>
/// A learning-rate schedule, as <c>torch.optim.lr_scheduler</c>: it sets <see cref="Optimizer.LearningRate"/> when it is
/// made (step 0) and after each <see cref="Step"/>. The learning rate is a runtime input of the compiled training step,
/// so a schedule never recompiles it.
/// <code>
/// var schedule = new CosineAnnealingLR(optimizer, tMax: 1000);
/// for (...) { step.Run(x, y); schedule.Step(); }
/// </code>
/// Every schedule here is a closed form of the step count (<see cref="LearningRateAt"/>, PyTorch's
/// <c>_get_closed_form_lr</c>), so its whole state is <see cref="Steps"/> and <see cref="BaseLearningRate"/>: a
/// checkpoint restores it exactly, and the rate at step t is the same however the run got there.
/// </summary>
public abstract class LRScheduler
{
    protected LRScheduler(Optimizer optimizer)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        Optimizer = optimizer;
        optimizer.InitialLearningRate ??= optimizer.LearningRate;
    }

    /// <summary>The optimizer whose learning rate this schedule sets.</summary>
    public Optimizer Optimizer { get; }

    /// <summary>
    /// The rate the schedule scales (torch's <c>base_lrs</c>): the optimizer's <see cref="Optimizer.InitialLearningRate"/>,
    /// shared by every schedule of the optimizer (a <see cref="SequentialLR"/>'s parts), so restoring it restores all.
    /// </summary>
    public double BaseLearningRate => Optimizer.InitialLearningRate!.Value;

    /// <summary>How many times <see cref="Step"/> was called (torch's <c>last_epoch</c>).</summary>
    public long Steps { get; private set; }

    /// <summary>The rate at the current step, as set on the optimizer.</summary>
    public double LearningRate => LearningRateAt(Steps);

    /// <summary>The rate after <paramref name="step"/> calls of <see cref="Step"/> (to plot a schedule, or to check one).</summary>
    public abstract double LearningRateAt(long step);

    /// <summary>Advances the schedule by one step and sets the optimizer's learning rate for the next training step.</summary>
    public void Step()
    {
        double rate = LearningRateAt(Steps + 1);
        Steps++;
        Optimizer.LearningRate = rate;
    }

    /// <summary>Sets the optimizer's rate to step 0's; each derived constructor calls it last, once its fields are set.</summary>
    private protected void Start() => Optimizer.LearningRate = LearningRateAt(0);

    /// <summary>The schedule's state as strings (safetensors metadata): its type, <see cref="Steps"/> and <see cref="BaseLearningRate"/> (round-trip exact).</summary>
    public IReadOnlyDictionary<string, string> StateDict() => new Dictionary<string, string>
    {
        ["type"] = GetType().Name,
        ["steps"] = Steps.ToString(CultureInfo.InvariantCulture),
        ["base_lr"] = BaseLearningRate.ToString("R", CultureInfo.InvariantCulture),
    };

    /// <summary>Restores a <see cref="StateDict"/> of a schedule of the same type, and sets the optimizer's rate to its current step's.</summary>
    /// <exception cref="ArgumentException">The state is of another schedule type, or a value is missing or malformed.</exception>
    public void LoadStateDict(IReadOnlyDictionary<string, string> state)
    {
        string Get(string key) => state.TryGetValue(key, out var value) ? value : throw new ArgumentException($"the {GetType().Name} state has no '{key}'", nameof(state));
        if (Get("type") != GetType().Name)
        {
            throw new ArgumentException($"the state is a {Get("type")}'s, not a {GetType().Name}'s", nameof(state));
        }
        if (!long.TryParse(Get("steps"), NumberStyles.None, CultureInfo.InvariantCulture, out long steps)
            || !double.TryParse(Get("base_lr"), NumberStyles.Float, CultureInfo.InvariantCulture, out double baseRate) || !double.IsFinite(baseRate))
        {
            throw new ArgumentException($"the {GetType().Name} state has a malformed steps '{Get("steps")}' or base_lr '{Get("base_lr")}'", nameof(state));
        }
        var (oldSteps, oldBase) = (Steps, BaseLearningRate);
        (Steps, Optimizer.InitialLearningRate) = (steps, baseRate);
        try
        {
            Optimizer.LearningRate = LearningRateAt(steps);
        }
        catch (InvalidOperationException e)
        {
            (Steps, Optimizer.InitialLearningRate) = (oldSteps, oldBase);
            throw new ArgumentException($"the {GetType().Name} state is at step {steps}, outside this schedule: {e.Message}", nameof(state), e);
        }
    }
}
