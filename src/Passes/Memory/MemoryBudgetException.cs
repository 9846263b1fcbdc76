using System.Text;
using GraphDL.IR;

namespace GraphDL.Passes.Memory;

/// <summary>
/// A memory budget was not met. The message names the budget, the arena and the peak (the most bytes live at one
/// step) of <see cref="Plan"/>, and the values live at that peak, largest first, each with its size, type, producing
/// op and C# source line: what to shrink. Thrown as is when a compiled program's arena exceeds
/// <c>CompileOptions.MemoryBudget</c>; <see cref="RematBudgetException"/> when the <c>remat</c> pass finds no plan
/// that fits.
/// </summary>
public class MemoryBudgetException : GraphDLException
{
    public MemoryBudgetException(long budgetBytes, MemoryPlan plan)
        : this(budgetBytes, plan, $"the compiled program's arena of {plan.ArenaBytes} bytes exceeds the memory budget of {budgetBytes} bytes; " +
            $"its peak is {plan.LowerBoundBytes} bytes live at once")
    {
    }

    protected MemoryBudgetException(long budgetBytes, MemoryPlan plan, string headline) : base(headline + LiveSet(plan))
    {
        BudgetBytes = budgetBytes;
        Plan = plan;
    }

    public long BudgetBytes { get; }

    /// <summary>The plan that did not fit: the compiled program's, or the remat plan with the smallest peak.</summary>
    public MemoryPlan Plan { get; }

    public long ArenaBytes => Plan.ArenaBytes;

    /// <summary>The most bytes live at one step of <see cref="Plan"/>: no placement of its buffers needs less.</summary>
    public long PeakBytes => Plan.LowerBoundBytes;

    /// <summary>The values live at that peak, largest first (their aligned sizes sum to <see cref="PeakBytes"/>).</summary>
    public IReadOnlyList<Node> LiveAtPeak => Plan.LiveAtPeak.Select(b => b.Value).ToArray();

    private static string LiveSet(MemoryPlan plan)
    {
        var text = new StringBuilder($", with {plan.LiveAtPeak.Count} values live at that peak:");
        foreach (var node in plan.LiveAtPeak.Select(b => b.Value))
        {
            text.Append($"\n  {node.Type.SizeInBytes} bytes  {node.Type}  {node.Op.Name}").Append(node.Loc.IsKnown ? $"  at {node.Loc}" : "");
        }
        return text.ToString();
    }
}
