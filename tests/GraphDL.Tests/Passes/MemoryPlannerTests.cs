using GraphDL.IR;
using GraphDL.IR.Text;
using GraphDL.Passes.Fusion;
using GraphDL.Passes.Memory;
using Xunit;

namespace GraphDL.Tests.Passes;

public class MemoryPlannerTests
{
    /// <summary>%0 lives to the last step; %1 dies where %2 is made, so %2 may take its bytes.</summary>
    private const string Chain = """
        graph @chain(%x: f32[16,16] input) -> (f32[16,16]) {
          %0 = exp(%x) : f32[16,16]          loc("Chain.cs":1)
          %1 = neg(%0) : f32[16,16]          loc("Chain.cs":2)
          %2 = exp(%1) : f32[16,16]          loc("Chain.cs":3)
          %3 = add(%2, %0) : f32[16,16]      loc("Chain.cs":4)
          return %3
        }
        """;

    /// <summary>The loss (first output) needs %0; the second output, the "backward" part, reads %0 again.</summary>
    private const string Step = """
        graph @step(%x: f32[16] input) -> (loss: f32[], f32[16]) {
          %0 = exp(%x) : f32[16]
          %1 = reduce_sum(%0) {axes=[0]} : f32[]
          %2 = neg(%x) : f32[16]
          %3 = mul(%0, %2) : f32[16]
          return %1, %3
        }
        """;

    private static MemoryPlan PlanUnfused(string text)
    {
        var graph = GirParser.Parse(text);
        return MemoryEstimate.Of(graph, fuse: false);
    }

    private static PlannedBuffer Buffer(MemoryPlan plan, int node) => plan.Buffers.Single(b => b.Value == plan.Graph.Nodes[node]);

    [Fact]
    public void IntervalsRunFromDefinitionToLastUseAndOutputsStayOutOfTheArena()
    {
        var plan = PlanUnfused(Chain);
        Assert.Equal(3, plan.Buffers.Count);
        Assert.Equal((0, 3), (Buffer(plan, 0).Def, Buffer(plan, 0).LastUse));
        Assert.Equal((1, 2), (Buffer(plan, 1).Def, Buffer(plan, 1).LastUse));
        Assert.Equal((2, 3), (Buffer(plan, 2).Def, Buffer(plan, 2).LastUse));
        MemoryPlanChecker.Check(plan);
    }

    [Fact]
    public void ElementwiseResultTakesTheBufferOfTheInputDyingThere()
    {
        var plan = PlanUnfused(Chain);
        Assert.Same(plan.Graph.Nodes[1], Buffer(plan, 2).InPlaceOf);
        Assert.Equal(Buffer(plan, 1).Offset, Buffer(plan, 2).Offset);
        Assert.Equal(2 * 1024, plan.ArenaBytes);
        Assert.Equal(2 * 1024, plan.LowerBoundBytes);
        Assert.Equal(3 * 1024, plan.NoReuseBytes);
    }

    [Fact]
    public void ReshapeAliasExtendsItsOperandsLifetimeAndPersistentValuesHaveNoArenaBuffer()
    {
        var graph = GirParser.Parse("""
            graph @alias(%x: f32[4,4] input) -> (f32[16]) {
              %0 = exp(%x) : f32[4,4]
              %1 = reshape(%0) {shape=[16]} : f32[16]
              %2 = neg(%x) : f32[4,4]
              %3 = iota() {shape=[16], axis=0, dtype=f32} : f32[16]
              %4 = add(%1, %3) : f32[16]
              return %4
            }
            """);
        var n = graph.Nodes;
        var plan = MemoryPlanner.Plan(graph, [
            new MemoryStep(n[3], []) { Persistent = true },
            new MemoryStep(n[0], [graph.Inputs[0]]),
            new MemoryStep(n[1], [n[0]]) { AliasOf = n[0] },
            new MemoryStep(n[2], [graph.Inputs[0]]),
            new MemoryStep(n[4], [n[1], n[3]]),
        ]);
        var buffer = Assert.Single(plan.Buffers, b => b.Value == n[0]);
        Assert.Equal((1, 4), (buffer.Def, buffer.LastUse));
        Assert.Equal([n[0], n[2]], plan.Buffers.Select(b => b.Value));
        MemoryPlanChecker.Check(plan);
    }

    [Fact]
    public void PlantedOverlapIsRejectedNamingBothBuffers()
    {
        var plan = PlanUnfused(Chain);
        var planted = plan.Buffers.Select(b => b.Value == plan.Graph.Nodes[1] ? b with { Offset = Buffer(plan, 0).Offset } : b).ToArray();
        var error = Assert.Throws<MemoryPlanException>(() => MemoryPlanChecker.Check(new MemoryPlan(plan.Graph, plan.Steps, planted, plan.ArenaBytes, "planted")));
        Assert.Contains("%0 exp", error.Message);
        Assert.Contains("%1 neg", error.Message);
        Assert.Contains("Chain.cs:1", error.Message);
    }

    [Fact]
    public void InPlaceClaimWithoutItsConditionsIsAnOverlap()
    {
        var plan = PlanUnfused(Chain);
        // %0 lives on after %2's step, so %2 may not be written over it even when it claims to be in place.
        var planted = plan.Buffers.Select(b => b.Value == plan.Graph.Nodes[2] ? b with { Offset = Buffer(plan, 0).Offset, InPlaceOf = plan.Graph.Nodes[0] } : b).ToArray();
        Assert.Throws<MemoryPlanException>(() => MemoryPlanChecker.Check(new MemoryPlan(plan.Graph, plan.Steps, planted, plan.ArenaBytes, "planted")));
    }

    [Fact]
    public void OutOfBoundsMisalignedShortLivedAndMissingBuffersAreRejected()
    {
        var plan = PlanUnfused(Chain);
        MemoryPlan With(Func<PlannedBuffer, PlannedBuffer> change, long arena) =>
            new(plan.Graph, plan.Steps, plan.Buffers.Select(b => b.Value == plan.Graph.Nodes[1] ? change(b) : b).ToArray(), arena, "planted");
        Assert.Contains("outside the arena", Assert.Throws<MemoryPlanException>(() => MemoryPlanChecker.Check(With(b => b with { Offset = plan.ArenaBytes }, plan.ArenaBytes))).Message);
        Assert.Contains("not aligned", Assert.Throws<MemoryPlanException>(() => MemoryPlanChecker.Check(With(b => b with { Offset = 4096 + 32 }, 8192))).Message);
        Assert.Contains("only over 1..1", Assert.Throws<MemoryPlanException>(() => MemoryPlanChecker.Check(With(b => b with { Offset = 4096, LastUse = 1 }, 8192))).Message);
        Assert.Contains("has no buffer", Assert.Throws<MemoryPlanException>(() =>
            MemoryPlanChecker.Check(new MemoryPlan(plan.Graph, plan.Steps, plan.Buffers.Skip(1).ToArray(), plan.ArenaBytes, "planted"))).Message);
    }

    [Fact]
    public void ForwardValuesReadByTheBackwardPartAreSavedActivations()
    {
        var plan = PlanUnfused(Step);
        Assert.Equal(64, plan.SavedActivationBytes);
        Assert.Equal(0, PlanUnfused(Chain).SavedActivationBytes);
    }

    [Fact]
    public void ReportStartsWithLinesAScriptCanRead()
    {
        var plan = PlanUnfused(Chain);
        var lines = plan.Format().Split('\n');
        Assert.Equal(["arena bytes: 2048", "lower bound bytes: 2048", "no-reuse bytes: 3072", "saved activation bytes: 0"], lines[..4]);
        Assert.Contains(lines, l => l.StartsWith("  %0 f32[16,16] exp  offset", StringComparison.Ordinal) && l.EndsWith("(Chain.cs:1)", StringComparison.Ordinal));
    }

    [Fact]
    public void ArenaStaysNearTheLowerBoundOnLongRandomSchedules()
    {
        var random = new Random(7);
        for (int trial = 0; trial < 20; trial++)
        {
            var text = new System.Text.StringBuilder("graph @g(%x: f32[64] input) -> (f32[64]) {\n");
            int count = 40;
            for (int i = 0; i < count; i++)
            {
                string a = i == 0 ? "%x" : $"%{random.Next(Math.Max(0, i - 6), i)}";
                string b = i == 0 ? "%x" : $"%{random.Next(Math.Max(0, i - 12), i)}";
                text.Append($"  %{i} = add({a}, {b}) : f32[64]\n");
            }
            text.Append($"  return %{count - 1}\n}}\n");
            var plan = PlanUnfused(text.ToString());
            MemoryPlanChecker.Check(plan);
            Assert.InRange(plan.ArenaBytes, plan.LowerBoundBytes, plan.NoReuseBytes);
        }
    }
}
