using System.Text;
using DiffPlex;

namespace GraphDL.Passes;

/// <summary>Unified diffs (as <c>diff -u</c>) of two texts, line by line, computed with DiffPlex.</summary>
public static class UnifiedDiff
{
    /// <summary>The diff from <paramref name="before"/> to <paramref name="after"/>, or an empty string when equal.</summary>
    public static string Create(string before, string after, string beforeName, string afterName, int context = 3)
    {
        var a = SplitLines(before);
        var b = SplitLines(after);
        var blocks = Differ.Instance.CreateLineDiffs(before, after, ignoreWhitespace: false).DiffBlocks;
        if (blocks.Count == 0)
        {
            return "";
        }
        var text = new StringBuilder();
        text.Append("--- ").Append(beforeName).Append('\n');
        text.Append("+++ ").Append(afterName).Append('\n');
        int i = 0;
        while (i < blocks.Count)
        {
            // Merge blocks whose context windows touch into one hunk.
            int j = i;
            while (j + 1 < blocks.Count && blocks[j + 1].DeleteStartA - (blocks[j].DeleteStartA + blocks[j].DeleteCountA) <= 2 * context)
            {
                j++;
            }
            int startA = Math.Max(0, blocks[i].DeleteStartA - context);
            int startB = Math.Max(0, blocks[i].InsertStartB - context);
            int endA = Math.Min(a.Length, blocks[j].DeleteStartA + blocks[j].DeleteCountA + context);
            int endB = Math.Min(b.Length, blocks[j].InsertStartB + blocks[j].InsertCountB + context);
            text.Append($"@@ -{startA + 1},{endA - startA} +{startB + 1},{endB - startB} @@\n");
            int lineA = startA;
            for (int k = i; k <= j; k++)
            {
                var block = blocks[k];
                for (; lineA < block.DeleteStartA; lineA++)
                {
                    text.Append(' ').Append(a[lineA]).Append('\n');
                }
                for (int d = 0; d < block.DeleteCountA; d++)
                {
                    text.Append('-').Append(a[block.DeleteStartA + d]).Append('\n');
                }
                for (int n = 0; n < block.InsertCountB; n++)
                {
                    text.Append('+').Append(b[block.InsertStartB + n]).Append('\n');
                }
                lineA = block.DeleteStartA + block.DeleteCountA;
            }
            for (; lineA < endA; lineA++)
            {
                text.Append(' ').Append(a[lineA]).Append('\n');
            }
            i = j + 1;
        }
        return text.ToString();
    }

    private static string[] SplitLines(string text)
    {
        var lines = text.Split('\n');
        return text.EndsWith('\n') ? lines[..^1] : lines;
    }
}
