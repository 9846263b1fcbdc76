using System.Globalization;
using System.Text;

namespace GraphDL.IR;

public sealed partial class HostTensor
{
    private const int SummarizeAbove = 1000;
    private const int EdgeItems = 3;

    /// <summary>
    /// PyTorch-style text: <c>tensor([[1.5, -2.0], [3.0, 4.0]], dtype=f32)</c> with aligned columns; tensors over
    /// 1000 elements show the first and last three entries along each axis around an ellipsis.
    /// </summary>
    public override string ToString()
    {
        bool summarize = ElementCount > SummarizeAbove;
        var texts = new Dictionary<long, string>();
        CollectShown(summarize, (flat) => texts[flat] = FormatElement(flat));
        int width = texts.Count == 0 ? 0 : texts.Values.Max(t => t.Length);
        var builder = new StringBuilder("tensor(");
        if (Shape.Rank == 0)
        {
            builder.Append(FormatElement(0));
        }
        else
        {
            AppendAxis(builder, axis: 0, offset: 0, indent: "tensor(".Length, summarize, width);
        }
        builder.Append(", dtype=").Append(DType.Name()).Append(')');
        return builder.ToString();
    }

    private void AppendAxis(StringBuilder builder, int axis, long offset, int indent, bool summarize, int width)
    {
        builder.Append('[');
        int dim = Shape[axis];
        long stride = Shape.Strides()[axis];
        bool last = axis == Shape.Rank - 1;
        var shown = ShownIndices(dim, summarize);
        for (int k = 0; k < shown.Count; k++)
        {
            if (k > 0)
            {
                builder.Append(last ? ", " : "," + new string('\n', Shape.Rank - axis - 1) + new string(' ', indent + axis + 1));
            }
            if (shown[k] < 0)
            {
                builder.Append("...");
                continue;
            }
            long at = offset + shown[k] * stride;
            if (last)
            {
                builder.Append(FormatElement(at).PadLeft(width));
            }
            else
            {
                AppendAxis(builder, axis + 1, at, indent, summarize, width);
            }
        }
        builder.Append(']');
    }

    /// <summary>Indices shown along an axis; -1 marks the ellipsis.</summary>
    private static List<int> ShownIndices(int dim, bool summarize)
    {
        if (!summarize || dim <= 2 * EdgeItems)
        {
            return Enumerable.Range(0, dim).ToList();
        }
        return [.. Enumerable.Range(0, EdgeItems), -1, .. Enumerable.Range(dim - EdgeItems, EdgeItems)];
    }

    private void CollectShown(bool summarize, Action<long> visit)
    {
        if (ElementCount == 0)
        {
            return;
        }
        var strides = Shape.Strides();
        void Walk(int axis, long offset)
        {
            if (axis == Shape.Rank)
            {
                visit(offset);
                return;
            }
            foreach (var i in ShownIndices(Shape[axis], summarize))
            {
                if (i >= 0)
                {
                    Walk(axis + 1, offset + i * strides[axis]);
                }
            }
        }
        Walk(0, 0);
    }

    private string FormatElement(long flat)
    {
        if (DType.IsFloat())
        {
            double value = GetDouble(flat);
            return FloatFormat.Format(value, DType);
        }
        return DType.IsBool() ? (GetBool(flat) ? "true" : "false") : GetInt64(flat).ToString(CultureInfo.InvariantCulture);
    }
}
