using GraphDL.IR;
using GraphDL.IR.Ops;
using GraphDL.IR.Text;
using GraphDL.Passes;
using GraphDL.Runtime;

namespace GraphDL.Tests.Passes;

/// <summary>
/// Deliberately broken passes, defined here and nowhere else, run between good ones: the verifier (VerifyEach) catches
/// a pass that records a wrong type, the numerical sanitizer catches one that computes something else, and each
/// error names the broken pass rather than its neighbours. Skipping the named pass (bisection) makes the run pass.
/// </summary>
public class BrokenPassTests
{
    private const string Source = """
        graph @demo(%x: f32[4] input, %y: f32[4] input) -> (f32[4]) {
          %0 = mul(%x, 1.0) : f32[4]                           loc("Demo.cs":1)
          %1 = exp(%0) : f32[4]                                loc("Demo.cs":2)
          %2 = sub(%1, %y) : f32[4]                            loc("Demo.cs":3)
          return %2
        }
        """;

    /// <summary>
    /// A bad rewrite: it copies every node with its declared type (no inference, as a careless pass that builds nodes
    /// by hand would), but gives exp an f64 result.
    /// </summary>
    private sealed class WrongTypePass : IPass
    {
        public string Name => "bad-exp-type";

        public string Description => "test only: declares exp as returning f64";

        public Graph Run(Graph graph)
        {
            var builder = new GraphBuilder(graph.Name);
            var map = graph.Inputs.ToDictionary(i => (Value)i, i => (Value)builder.AddInput(i.Name, i.Type, i.Role));
            foreach (var node in graph.Nodes)
            {
                var type = node.Op == Exp.Instance ? node.Type.WithDType(DType.F64) : node.Type;
                map[node] = builder.EmitDeclared(node.Op, node.Operands.Select(o => o is Literal ? o : map[o]).ToArray(), node.Attributes, type, node.Loc);
            }
            foreach (var output in graph.Outputs)
            {
                builder.Output(map[output.Value], output.Name);
            }
            return builder.BuildUnverified();
        }
    }

    /// <summary>A miscompile that type-checks: every sub gets its operands swapped.</summary>
    private sealed class SwapSubOperandsPass : IPass
    {
        public string Name => "swap-sub";

        public string Description => "test only: computes b - a for a - b";

        public Graph Run(Graph graph)
        {
            var builder = new GraphBuilder(graph.Name);
            var map = graph.Inputs.ToDictionary(i => (Value)i, i => (Value)builder.AddInput(i.Name, i.Type, i.Role));
            foreach (var node in graph.Nodes)
            {
                var operands = node.Operands.Select(o => o is Literal ? o : map[o]).ToArray();
                using (builder.At(node.Loc))
                {
                    map[node] = builder.Emit(node.Op, node.Op == Sub.Instance ? [operands[1], operands[0]] : operands, node.Attributes);
                }
            }
            foreach (var output in graph.Outputs)
            {
                builder.Output(map[output.Value], output.Name);
            }
            return builder.Build();
        }
    }

    private static IPass[] Pipeline(IPass broken) =>
        [PassRegistry.Create("canonicalize"), PassRegistry.Create("fold"), broken, PassRegistry.Create("cse"), PassRegistry.Create("dce")];

    private static Graph Demo() => GirParser.Parse(Source, "demo.gir");

    [Fact]
    public void VerifyEachNamesThePassThatRecordedAWrongType()
    {
        var manager = new PassManager(Pipeline(new WrongTypePass()), new PassOptions { VerifyEach = true, Log = TextWriter.Null });
        var e = Assert.Throws<PassFailedException>(() => manager.Run(Demo()));
        Assert.Equal("bad-exp-type", e.PassName);
        Assert.StartsWith("pass 'bad-exp-type' produced an invalid graph @demo:", e.Message);
        Assert.Contains("Demo.cs:2: error: exp: declared type f64[4] differs from the inferred type f32[4]", e.Message);
        Assert.Contains("offending node: %0 = exp(%x) : f64[4]", e.Message);
        // The passes before it ran and verified; none after it ran.
        Assert.Equal(["canonicalize", "fold"], manager.Records.Select(r => r.Name));
    }

    [Fact]
    public void TheSanitizerNamesThePassThatChangedTheResults()
    {
        var log = new StringWriter();
        var manager = new PassManager(Pipeline(new SwapSubOperandsPass()),
            new PassOptions { VerifyEach = true, Sanitize = true, Log = log });
        var e = Assert.Throws<PassFailedException>(() => manager.Run(Demo()));
        Assert.Equal("swap-sub", e.PassName);
        Assert.StartsWith("numerical sanitizer: pass 'swap-sub' changed output out0 of @demo on seeded random inputs: element [", e.Message);
        Assert.Contains("// sanitizer: canonicalize keeps the outputs of @demo", log.ToString());
        Assert.Contains("// sanitizer: fold keeps the outputs of @demo", log.ToString());
    }

    [Fact]
    public void SkippingTheNamedPassBisectsTheFailureAway()
    {
        var manager = new PassManager(Pipeline(new SwapSubOperandsPass()),
            new PassOptions { VerifyEach = true, Sanitize = true, Skip = new HashSet<string> { "swap-sub" }, Log = TextWriter.Null });
        var result = manager.Run(Demo());
        Assert.Contains("sub(%0, %y)", result.ToString());
    }

    [Fact]
    public void TheBuiltinPassesPassTheSanitizerOnATrainingStep()
    {
        var log = new StringWriter();
        var manager = new PassManager(PassRegistry.Parse(Pipelines.Simplify + ",decompose"),
            new PassOptions { VerifyEach = true, Sanitize = true, SanitizeTolerance = 0, Log = log });
        manager.Run(TrainStepSimplifyTests.MlpTrainStep());
        foreach (var pass in new[] { "canonicalize", "fold", "cse", "dce", "decompose" })
        {
            Assert.Contains($"// sanitizer: {pass} keeps the outputs of @train_step", log.ToString());
        }
    }
}
