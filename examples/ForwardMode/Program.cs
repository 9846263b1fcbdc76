// Forward-mode differentiation, the dual-number lesson: Jacobian-vector products by dual numbers, by GraphDL's
// forward mode (a graph transform) and by finite differences; a Jacobian by forward and by reverse mode; a
// Hessian-vector product (forward over reverse). Each is checked; the run fails if one disagrees.
//
//   dotnet run -c Release --project examples/ForwardMode [-- --reference]   (--reference: the interpreter, not compiled code)
using System.Diagnostics;
using System.Globalization;
using GraphDL;
using GraphDL.Examples.ForwardMode;

var clock = Stopwatch.StartNew();
var backend = args.Contains("--reference") ? Backend.Reference : Backend.Cpu;
var results = new ForwardModeLesson(backend, Console.Out).Run();

Console.WriteLine(Line("dual vs jvp max error", results.DualVsJvp));
Console.WriteLine(Line("jvp vs finite differences max error", results.JvpVsFiniteDifferences));
Console.WriteLine(Line("jacobian forward vs reverse max error", results.JacobianForwardVsReverse));
Console.WriteLine(Line("jacobian vs finite differences max error", results.JacobianVsFiniteDifferences));
Console.WriteLine(Line("hvp vs finite differences max error", results.HvpVsFiniteDifferences));
Console.WriteLine(Line("hessian symmetry error", results.HessianAsymmetry));
Console.WriteLine($"checks: {(results.Passed ? "passed" : "FAILED")}");
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"time: {clock.Elapsed.TotalSeconds:F1} s"));
return results.Passed ? 0 : 1;

static string Line(string name, double value) => string.Create(CultureInfo.InvariantCulture, $"{name}: {value:G3}");
