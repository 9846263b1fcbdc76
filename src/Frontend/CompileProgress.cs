using System.Diagnostics;

namespace GraphDL;

/// <summary>
/// One updating line on the terminal while a compilation takes longer than <see cref="Delay"/>: the function, the
/// pass or stage running, and the time so far (<c>compiling @train_step: codegen (3.2 s)</c>), erased when the
/// compilation ends. Quiet when standard error is redirected (a log file, CI) or <c>GRAPHDL_PROGRESS=0</c>: nothing
/// is written there, so output stays byte-identical.
/// </summary>
internal sealed class CompileProgress : IDisposable
{
    /// <summary>Compilations quicker than this show nothing.</summary>
    public static readonly TimeSpan Delay = TimeSpan.FromSeconds(1);

    private readonly string _function;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Timer? _timer;
    private readonly Lock _lock = new();
    private string _stage = "starting";
    private int _shown;
    private bool _done;

    private CompileProgress(string function, bool enabled)
    {
        _function = function;
        _timer = enabled ? new Timer(_ => Show(), null, Delay, TimeSpan.FromMilliseconds(200)) : null;
    }

    /// <summary>A progress line for compiling <paramref name="function"/>, shown only on a terminal.</summary>
    public static CompileProgress For(string function) =>
        new(function, !Console.IsErrorRedirected && Environment.GetEnvironmentVariable("GRAPHDL_PROGRESS") != "0");

    /// <summary>The pass or stage now running.</summary>
    public void Report(string stage)
    {
        lock (_lock)
        {
            _stage = stage;
        }
    }

    private void Show()
    {
        lock (_lock)
        {
            if (_done)
            {
                return;
            }
            var line = $"compiling @{_function}: {_stage} ({_clock.Elapsed.TotalSeconds:F1} s)";
            Console.Error.Write("\r" + line.PadRight(_shown));
            _shown = line.Length;
        }
    }

    public void Dispose()
    {
        _timer?.Dispose();
        lock (_lock)
        {
            // A tick already queued when the timer stopped finds the line done and writes nothing.
            _done = true;
            if (_shown > 0)
            {
                Console.Error.Write("\r" + new string(' ', _shown) + "\r");
                _shown = 0;
            }
        }
    }
}
