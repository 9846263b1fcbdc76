using GraphDL.IR;
using GraphDL.IR.Text;
using GraphDL.Passes.Fusion;
using GraphDL.Passes.Memory;
using Xunit;

namespace GraphDL.Tests.Passes;

public class FusionPlannerTests
{
    private const string Softmax = FusionGraphs.Softmax;

    private const string Mlp = FusionGraphs.Mlp;

    private static FusionPlan Plan(string text, FusionCapabilities? capabilities = null, bool fuse = true) =>
        FusionPlanner.Plan(GirParser.Parse(text), capabilities ?? FusionCapabilities.Any, fuse);

    [Fact]
    public void SoftmaxOverRowsIsOneKernel()
    {
        var plan = Plan(Softmax);
        var kernel = Assert.Single(plan.Kernels);
        Assert.Equal("div", kernel.Root.Op.Name);
        Assert.Equal(7, kernel.Members.Count);
        Assert.Empty(plan.Unfused);
        // Unfused, exp's result is written and read twice and each reduction result is broadcast to a full tensor.
        Assert.True(plan.BytesSaved > 0);
        Assert.Equal(4 * 8 * 4 * 2, plan.FusedBytes);
    }

    [Fact]
    public void MlpForwardIsOneKernelPerMatmulWithItsEpilogue()
    {
        var plan = Plan(Mlp);
        Assert.Equal(2, plan.Kernels.Count);
        Assert.All(plan.Kernels, k => Assert.Single(k.Members, m => m.Op.Name == "matmul"));
        Assert.Equal(["matmul", "broadcast_in_dim", "add", "max"], plan.Kernels[0].Members.Select(m => m.Op.Name));
        var edge = Assert.Single(plan.Unfused);
        Assert.Equal(("max", "matmul", "consumer is a matmul input"), (edge.Producer.Op.Name, edge.Consumer.Op.Name, edge.Reason));
    }

    [Fact]
    public void FusionOffGivesOneKernelPerPrimitive()
    {
        var plan = Plan(Softmax, fuse: false);
        Assert.Equal(7, plan.Kernels.Count);
        Assert.All(plan.Kernels, k => Assert.Single(k.Members));
        Assert.All(plan.Unfused, e => Assert.Equal("fusion is off", e.Reason));
        Assert.Equal(0, plan.BytesSaved);
    }

    [Fact]
    public void AReductionReadByTwoKernelsIsStoredNotDuplicated()
    {
        var plan = Plan("""
            graph @g(%x: f32[4,8] input) -> (f32[4,8], f32[4,8]) {
              %0 = reduce_sum(%x) {axes=[1], keepdims=false} : f32[4]
              %1 = broadcast_in_dim(%0) {shape=[4,8], dims=[0]} : f32[4,8]
              %2 = sub(%x, %1) : f32[4,8]
              %3 = mul(%x, %1) : f32[4,8]
              return %2, %3
            }
            """);
        Assert.Equal(["reduce_sum", "sub", "mul"], plan.Kernels.Select(k => k.Root.Op.Name));
        Assert.Equal("would duplicate a reduction into 2 kernels", plan.Materialized[plan.Kernels[0].Root]);
        // The broadcast is cheap: both kernels recompute it from the stored sums.
        Assert.Contains(plan.Kernels[1].Members, m => m.Op.Name == "broadcast_in_dim");
        Assert.Contains(plan.Kernels[2].Members, m => m.Op.Name == "broadcast_in_dim");
    }

    [Fact]
    public void CheapProducersAreRecomputedAndExpensiveOnesStored()
    {
        var plan = Plan("""
            graph @g(%x: f32[16] input) -> (f32[16], f32[16], f32[16], f32[16]) {
              %0 = mul(%x, 2.0) : f32[16]
              %1 = add(%0, 1.0) : f32[16]
              %2 = sub(%0, 1.0) : f32[16]
              %3 = exp(%x) : f32[16]
              %4 = add(%3, 1.0) : f32[16]
              %5 = sub(%3, 1.0) : f32[16]
              return %1, %2, %4, %5
            }
            """);
        Assert.Equal(["add", "add", "exp", "sub", "sub"], plan.Kernels.Select(k => k.Root.Op.Name).Order());
        Assert.Equal("recomputing exp in 2 kernels costs more than storing it", plan.Materialized.Single(m => m.Key.Op.Name == "exp").Value);
        Assert.Equal(2, plan.Kernels.Count(k => k.Members.Any(m => m.Op.Name == "mul")));
    }

    [Fact]
    public void KernelsTheBackendRejectsAreSplitWithTheBackendsReason()
    {
        var noReductions = new FusionCapabilities(_ => true,
            body => body.Nodes.Any(n => n.Op.Has(OpTraits.Reduction)) ? new KernelRejection("no row kernels") : null);
        var plan = Plan(Softmax, noReductions);
        // With the sums stored, exp is read by two kernels (the sum's and the division's): too costly to recompute.
        Assert.Equal(["reduce_max", "exp", "reduce_sum", "div"], plan.Kernels.Select(k => k.Root.Op.Name));
        Assert.Equal("the kernel of div cannot include it: no row kernels", plan.Materialized[plan.Kernels[0].Root]);
        Assert.Equal("recomputing exp in 2 kernels costs more than storing it", plan.Materialized[plan.Kernels[1].Root]);
        Assert.All(plan.Kernels.Where(k => k.Members.Count > 1),
            k => Assert.Null(noReductions.Check(KernelBody.Build(k.Name, k.Members, k.Root).Body)));
    }

    [Fact]
    public void NodesWithoutGeneratedCodeRunAlone()
    {
        var noExp = new FusionCapabilities(n => n.Op.Name != "exp", _ => null);
        var plan = Plan(Softmax, noExp);
        Assert.Contains(plan.Kernels, k => k.Root.Op.Name == "exp" && k.Members.Count == 1);
        Assert.Contains(plan.Unfused, e => e.Producer.Op.Name == "exp" && e.Reason.StartsWith("no generated code for exp", StringComparison.Ordinal));
    }

    [Fact]
    public void TheReportListsKernelsAndReasons()
    {
        var report = Plan(Mlp).Format();
        Assert.StartsWith("kernels: 2  nodes: 7  bytes unfused: ", report);
        Assert.Contains("k0 = %3 max : f32[64,128]  fuses %0 matmul, %1 broadcast_in_dim, %2 add, %3 max", report);
        Assert.Contains("not fused:\n  %3 max -> %4 matmul: consumer is a matmul input\n", report);
    }

    [Fact]
    public void KernelBodiesAreIsolatedGraphsOfTheMembers()
    {
        var plan = Plan(Softmax);
        var kernel = plan.Kernels[0];
        var body = KernelBody.Build(kernel.Name, kernel.Members, kernel.Root);
        Assert.Equal(["x"], body.Arguments.Select(a => ((GraphInput)a).Name));
        Assert.Equal(7, body.Body.Nodes.Count);
        Assert.Equal("f32[4,8]", Assert.Single(body.Body.Outputs).Value.Type.ToString());
    }
}

/// <summary>The memory-minimizing schedule of a program's steps (<see cref="StepSchedule"/>).</summary>
public class StepScheduleTests
{
    /// <summary>One step per kernel of a plan without fusion, each reading its arguments into a buffer of its own.</summary>
    private static MemoryStep[] Unfused(Graph graph) => FusionPlanner.Plan(graph, new FusionCapabilities(_ => true, _ => new KernelRejection("no fusion in this test")))
        .Kernels.Select(k => new MemoryStep(k.Root, FusionPlan.Arguments(k).ToArray())).ToArray();

    [Fact]
    public void BranchesAreFinishedBeforeNewOnesStart()
    {
        // In graph order both 4 KiB exps are alive at once; finishing one branch first halves that.
        var graph = GirParser.Parse("""
            graph @g(%x: f32[1024] input) -> (f32[], f32[]) {
              %0 = exp(%x) : f32[1024]
              %1 = log(%x) : f32[1024]
              %2 = reduce_sum(%0) {axes=[0], keepdims=false} : f32[]
              %3 = reduce_sum(%1) {axes=[0], keepdims=false} : f32[]
              return %2, %3
            }
            """);
        var steps = Unfused(graph);
        var schedule = StepSchedule.Of(graph, steps);
        Assert.Equal(["exp", "reduce_sum", "log", "reduce_sum"], schedule.Order.Select(i => steps[i].Produces.Op.Name));
        Assert.Equal(2 * 4096 + 4, schedule.GivenOrderPeakBytes);
        // One exp alive at a time, plus the two scalar sums (graph outputs, alive to the end).
        Assert.Equal(4096 + 2 * 4, schedule.PeakBytes);
    }

    [Fact]
    public void TheGraphOrderIsKeptWhenItIsAlreadyBest()
    {
        var graph = GirParser.Parse("""
            graph @g(%x: f32[8] input) -> (f32[8]) {
              %0 = exp(%x) : f32[8]
              %1 = log(%0) : f32[8]
              return %1
            }
            """);
        var schedule = StepSchedule.Of(graph, Unfused(graph));
        Assert.Equal([0, 1], schedule.Order);
        Assert.Equal(schedule.GivenOrderPeakBytes, schedule.PeakBytes);
    }

    [Fact]
    public void AViewCostsNothingAndKeepsItsOperandAlive()
    {
        // %1 names %0's buffer: scheduling it adds no bytes, and %0's 4 KiB stay live until %1's reader has run.
        var graph = GirParser.Parse("""
            graph @g(%x: f32[1024] input) -> (f32[]) {
              %0 = exp(%x) : f32[1024]
              %1 = reshape(%0) {shape=[32,32]} : f32[32,32]
              %2 = reduce_sum(%1) {axes=[0,1], keepdims=false} : f32[]
              return %2
            }
            """);
        var nodes = graph.Nodes;
        MemoryStep[] steps =
        [
            new(nodes[0], [graph.Inputs[0]]),
            new(nodes[1], [nodes[0]]) { AliasOf = nodes[0] },
            new(nodes[2], [nodes[1]]),
        ];
        var schedule = StepSchedule.Of(graph, steps);
        Assert.Equal(4096 + 4, schedule.PeakBytes);
    }
}
