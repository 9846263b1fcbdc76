namespace GraphDL.Passes.Memory;

/// <summary>
/// The <c>remat</c> pass could not fit a memory budget: none of the plans its search tries (see
/// <see cref="RematPass"/>) has an estimated arena within the budget. The message names the smallest peak among them
/// (the most bytes live at one step of the schedule, <see cref="MemoryEstimate.Of"/>), that plan's arena,
/// and the values live at that peak (shape, producing op, C# source line), largest first.
/// </summary>
public sealed class RematBudgetException(long budgetBytes, MemoryPlan smallest)
    : MemoryBudgetException(budgetBytes, smallest,
        $"remat: the memory budget of {budgetBytes} bytes cannot be met; the smallest achievable peak is {smallest.LowerBoundBytes} bytes " +
        $"(arena {smallest.ArenaBytes} bytes)")
{
    /// <summary>The smallest estimated peak any plan reached (<see cref="MemoryBudgetException.PeakBytes"/> of that plan).</summary>
    public long SmallestPeakBytes => PeakBytes;
}
