using GraphDL.Examples.ForwardMode;

namespace GraphDL.Tests.Examples;

/// <summary>examples/ForwardMode: its checks pass compiled and on the interpreter, and it shows the tangent graph.</summary>
public sealed class ForwardModeExampleTests
{
    [Fact]
    public void EveryDerivativeAgreesCompiledAndInterpreted()
    {
        foreach (var backend in new[] { Backend.Cpu, Backend.Reference })
        {
            var output = new StringWriter();
            var results = new ForwardModeLesson(backend, output).Run();
            Assert.True(results.Passed, $"{backend.Name}: {results}");
            Assert.Equal(0, results.DualVsJvp, 1e-14);
            Assert.Contains("graph @sin_times_x_jvp(%x: f64[] input, %dx: f64[] input)", output.ToString());
        }
    }

    [Fact]
    public void AWrongDerivativeWouldFailTheChecks()
    {
        Assert.False(new ForwardModeResults(0, 1e-3, 0, 0, 0, 0).Passed);
        Assert.False(new ForwardModeResults(1e-9, 0, 0, 0, 0, 0).Passed);
    }
}
