using GraphDL.IR;

namespace GraphDL.Passes.Memory;

/// <summary>
/// The <c>remat</c> pass could not fit a memory budget: the message names the smallest peak it reached (the smallest
/// among the plans its search tries, see <see cref="RematPass"/>) and the values live at that peak (shape, producing
/// op, C# source line), largest first.
/// </summary>
public sealed class RematBudgetException(long budgetBytes, long smallestPeakBytes, IReadOnlyList<Node> liveAtPeak)
    : GraphDLException(Describe(budgetBytes, smallestPeakBytes, liveAtPeak))
{
    public long BudgetBytes { get; } = budgetBytes;

    /// <summary>The smallest estimated peak of live activation bytes any plan reached.</summary>
    public long SmallestPeakBytes { get; } = smallestPeakBytes;

    /// <summary>The values live at that peak.</summary>
    public IReadOnlyList<Node> LiveAtPeak { get; } = liveAtPeak;

    private static string Describe(long budget, long peak, IReadOnlyList<Node> live)
    {
        var lines = live.OrderByDescending(n => n.Type.SizeInBytes)
            .Select(n => $"  {n.Type.SizeInBytes} bytes  {n.Type}  {n.Op.Name}" + (n.Loc.IsKnown ? $"  at {n.Loc}" : ""));
        return $"remat: the memory budget of {budget} bytes cannot be met; the smallest achievable peak is {peak} bytes, " +
            $"with {live.Count} values live at that peak:\n" + string.Join("\n", lines);
    }
}
