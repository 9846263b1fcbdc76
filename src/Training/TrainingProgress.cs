using System.Diagnostics;
using System.Globalization;
using Spectre.Console;

namespace GraphDL.Training;

/// <summary>
/// What a training loop shows while it runs:
/// <code>
/// using var progress = TrainingProgress.Start(epochs, loader.BatchCount, batchSize);
/// for (int epoch = 1; epoch &lt;= epochs; epoch++)
/// {
///     foreach (var (x, y) in loader.Epoch(epoch)) progress.Batch(step.Run(x, y));
///     progress.EndEpoch(("test accuracy", $"{accuracy:P2}"));
/// }
/// </code>
/// On a terminal, a live Spectre.Console bar under the log: epoch, batch, running loss, samples/s and the time left
/// for the whole run. When the output is redirected (a file, a pipe, CI), or <c>GRAPHDL_PROGRESS=0</c>, nothing is
/// drawn: each epoch writes one plain line, the same line the terminal shows above its bar:
/// <c>epoch 2/5  loss 0.4123  test accuracy 88.10%  12345 samples/s  4.1 s  ETA 12 s</c>.
/// </summary>
public sealed class TrainingProgress : IDisposable
{
    /// <summary>Setting it to <c>0</c> turns the live display off (one line per epoch, as when redirected).</summary>
    public const string EnvironmentVariable = "GRAPHDL_PROGRESS";

    private static readonly TimeSpan RedrawInterval = TimeSpan.FromMilliseconds(100);

    private readonly TextWriter _plain;
    private readonly Func<TimeSpan> _clock;
    private readonly LiveBar? _live;
    private readonly int _epochs, _batchesPerEpoch, _samplesPerBatch;
    private readonly TimeSpan _start;
    private int _epoch = 1, _batch, _batchesDone;
    private long _epochSamples;
    private double _lossSum;
    private TimeSpan _epochStart;
    private TimeSpan? _lastRedraw;

    internal TrainingProgress(int epochs, int batchesPerEpoch, int samplesPerBatch, TextWriter plain, bool live, Func<TimeSpan> clock)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(epochs);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchesPerEpoch);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(samplesPerBatch);
        _epochs = epochs;
        _batchesPerEpoch = batchesPerEpoch;
        _samplesPerBatch = samplesPerBatch;
        _plain = plain;
        _clock = clock;
        _start = _epochStart = clock();
        _live = live ? LiveBar.TryStart(epochs * batchesPerEpoch) : null;
    }

    /// <summary>
    /// Starts the display for <paramref name="epochs"/> epochs of <paramref name="batchesPerEpoch"/> batches of
    /// <paramref name="samplesPerBatch"/> samples. Live on an interactive terminal, else plain lines to
    /// <paramref name="output"/> (standard output when null).
    /// </summary>
    public static TrainingProgress Start(int epochs, int batchesPerEpoch, int samplesPerBatch, TextWriter? output = null)
    {
        bool live = output is null && !Console.IsOutputRedirected
            && Environment.GetEnvironmentVariable(EnvironmentVariable) != "0"
            && AnsiConsole.Profile.Capabilities.Interactive && AnsiConsole.Profile.Capabilities.Ansi;
        var clock = Stopwatch.StartNew();
        return new TrainingProgress(epochs, batchesPerEpoch, samplesPerBatch, output ?? Console.Out, live, () => clock.Elapsed);
    }

    /// <summary>Whether a live bar is drawn (false: plain lines).</summary>
    public bool IsLive => _live is not null;

    /// <summary>Epoch being trained, from 1.</summary>
    public int Epoch => _epoch;

    /// <summary>Mean loss of the current epoch's batches so far (NaN before the first).</summary>
    public double EpochLoss => _batch == 0 ? double.NaN : _lossSum / _batch;

    /// <summary>Records one batch of the current epoch and its loss (<paramref name="samples"/>: its size, when not the usual).</summary>
    public void Batch(double loss, int? samples = null)
    {
        _batch++;
        _batchesDone++;
        _lossSum += loss;
        _epochSamples += samples ?? _samplesPerBatch;
        _live?.Advance();
        var now = _clock();
        if (_lastRedraw is { } last && now - last < RedrawInterval)
        {
            return;
        }
        _lastRedraw = now;
        _live?.Describe(Invariant($"epoch {_epoch}/{_epochs}  batch {_batch}/{_batchesPerEpoch}  loss {EpochLoss:F4}  {Rate(now):F0} samples/s"));
    }

    /// <summary>
    /// Ends the current epoch: writes its line (mean loss, the given metrics as <c>name value</c>, samples/s, its
    /// time and the time left) and starts the next.
    /// </summary>
    public void EndEpoch(params (string Name, string Value)[] metrics)
    {
        var now = _clock();
        var parts = new List<string> { Invariant($"epoch {_epoch}/{_epochs}"), Invariant($"loss {EpochLoss:F4}") };
        parts.AddRange(metrics.Select(m => $"{m.Name} {m.Value}"));
        parts.Add(Invariant($"{Rate(now):F0} samples/s"));
        parts.Add(Seconds(now - _epochStart));
        if (_epoch < _epochs)
        {
            parts.Add("ETA " + Seconds(Remaining(now)));
        }
        WriteLine(string.Join("  ", parts));
        _epoch++;
        _batch = 0;
        _lossSum = 0;
        _epochSamples = 0;
        _epochStart = now;
    }

    /// <summary>Writes a line of log: above the live bar, or as a plain line.</summary>
    public void WriteLine(string line)
    {
        if (_live is not null)
        {
            _live.WriteLine(line);
        }
        else
        {
            _plain.WriteLine(line);
            _plain.Flush();
        }
    }

    /// <summary>Time left for the whole run, from the mean time per batch so far.</summary>
    private TimeSpan Remaining(TimeSpan now)
    {
        int left = _epochs * _batchesPerEpoch - _batchesDone;
        return _batchesDone == 0 ? TimeSpan.Zero : (now - _start) / _batchesDone * left;
    }

    private double Rate(TimeSpan now)
    {
        var seconds = (now - _epochStart).TotalSeconds;
        return seconds > 0 ? _epochSamples / seconds : 0;
    }

    private static string Seconds(TimeSpan time) => time.TotalSeconds < 100
        ? Invariant($"{time.TotalSeconds:F1} s")
        : Invariant($"{(int)time.TotalMinutes}:{time.Seconds:00} min");

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    /// <summary>Ends the live display (its last state stays on the screen).</summary>
    public void Dispose() => _live?.Dispose();

    /// <summary>
    /// Spectre.Console's progress display, run on a thread of its own so that the training loop keeps its plain
    /// shape (Spectre's API is a callback); the loop updates the task, which Spectre's refresh thread redraws.
    /// </summary>
    private sealed class LiveBar : IDisposable
    {
        private readonly ManualResetEventSlim _ready = new(), _done = new();
        private readonly Thread _thread;
        private ProgressTask? _task;

        /// <summary>A running display, or null when Spectre cannot draw one here (the caller then writes plain lines).</summary>
        public static LiveBar? TryStart(int totalBatches)
        {
            var bar = new LiveBar(totalBatches);
            if (bar._task is null)
            {
                bar.Dispose();
                return null;
            }
            return bar;
        }

        private LiveBar(int totalBatches)
        {
            _thread = new Thread(() =>
            {
                try
                {
                    AnsiConsole.Progress()
                        .AutoClear(false)
                        .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(),
                            new RemainingTimeColumn())
                        .Start(context =>
                        {
                            _task = context.AddTask("starting", maxValue: totalBatches);
                            _ready.Set();
                            _done.Wait();
                            context.Refresh();
                        });
                }
                catch (Exception e) when (e is InvalidOperationException or IOException or NotSupportedException)
                {
                    // No live display on this console: the caller falls back to plain lines.
                }
                finally
                {
                    _ready.Set();
                }
            })
            {
                IsBackground = true,
                Name = "training progress",
            };
            _thread.Start();
            _ready.Wait();
        }

        public void Advance() => _task!.Increment(1);

        public void Describe(string text) => _task!.Description = Markup.Escape(text);

        public void WriteLine(string line) => AnsiConsole.WriteLine(line);

        public void Dispose()
        {
            _done.Set();
            _thread.Join();
            _ready.Dispose();
            _done.Dispose();
        }
    }
}
