using System.Text;
using GraphDL.Codegen.KernelIR;
using GraphDL.IR;

namespace GraphDL.Codegen.CSharp;

public static partial class CSharpKernelRenderer
{
    /// <summary>The loops of a kernel: over its rows, and per row each pass's vector and scalar loops over j, with their addressing.</summary>
    private sealed partial class Emitter
    {
        /// <summary>The loop over rows [<paramref name="rowStart"/>, <paramref name="rowEnd"/>), each over elements [<paramref name="innerStart"/>, <paramref name="innerEnd"/>).</summary>
        private void Rows(KernelLayout layout, PassPlan[] plans, string rowStart, string rowEnd, string innerStart, string innerEnd)
        {
            _splatted.Clear();
            foreach (int v in _cached.Keys.Order())
            {
                string type = ElementType(_kernel.Values[v].DType);
                _text.Append($"        {type}* c{v} = stackalloc {type}[{layout.InnerCount}];\n");
            }
            _text.Append($"        for (long row = {rowStart}; row < {rowEnd}; row++)\n        {{\n");
            foreach (var buffer in _kernel.Buffers)
            {
                _text.Append($"            long o{buffer.Index} = {RowOffset(layout, buffer.Index)};\n");
            }
            if (plans.Length > 0)
            {
                _text.Append("            long j;\n");
            }
            for (int p = 0; p <= plans.Length; p++)
            {
                for (int v = 0; v < _kernel.Values.Count; v++)
                {
                    if (_needed[v] && _schedule.LevelOf(v) == ValueLevel.Row && _schedule.PhaseOf(v) == p && _kernel.Values[v] is KernelLoad or KernelApply)
                    {
                        _text.Append($"            {ElementType(_kernel.Values[v].DType)} v{v} = {ScalarExpression(layout, v)};\n");
                    }
                }
                if (p < plans.Length)
                {
                    Pass(layout, plans[p], innerStart, innerEnd);
                }
            }
            foreach (var store in _kernel.Stores.Where(s => _schedule.IsRowBuffer(s.Buffer)))
            {
                _text.Append($"            b{store.Buffer}[o{store.Buffer}] = {ScalarReference(store.Value)};\n");
            }
            _text.Append("        }\n");
        }

        private void Pass(KernelLayout layout, PassPlan plan, string start, string end)
        {
            var values = _kernel.Values;
            string what = string.Join(", ", plan.Reductions.Select(r => $"{((KernelReduce)values[r]).Kind.ToString().ToLowerInvariant()} v{r}")
                .Concat(plan.Stores.Select(s => $"store b{s.Buffer}")));
            _text.Append($"            // pass {plan.Phase}: {what}\n");
            // j runs from 0 to a constant, except in a tile entry (from c0 to c1).
            bool constantBounds = _nested || (start == "0" && long.TryParse(end, out _));
            var loops = Loops.Of(plan, constantBounds ? JLength(layout) : null);
            if (plan.Vector is var (vector, _))
            {
                _lane = ElementType(plan.Lane);
                foreach (int v in plan.RowReads.Where(_splatted.Add))
                {
                    _text.Append(values[v].DType == DType.Bool
                        ? $"            var s{v} = v{v} ? {vector}<{_lane}>.AllBitsSet : {vector}<{_lane}>.Zero;\n"
                        : $"            var s{v} = {vector}.Create(v{v});\n");
                }
                foreach (int r in plan.Reductions)
                {
                    for (int u = 0; u < loops.VectorAccumulators; u++)
                    {
                        _text.Append($"            var a{r}_{u} = {vector}.Create({Identity((KernelReduce)values[r])});\n");
                    }
                }
            }
            foreach (int r in plan.Reductions.Where(_ => loops.Tail || plan.Vector is null))
            {
                var reduce = (KernelReduce)values[r];
                // Scalar-only rows accumulate sums in double, as the interpreter does; a vector loop's tail in its dtype.
                string type = plan.Vector is null && reduce.Kind == ReductionKind.Sum ? "double" : ElementType(reduce.DType);
                string init = reduce.Kind != ReductionKind.Sum ? Identity(reduce) : layout.InnerCount == 0 ? "0.0" : type == "double" ? "-0.0" : Identity(reduce);
                _text.Append($"            {type} t{r} = {init};\n");
            }
            if (!_nested)
            {
                _text.Append($"            j = {start};\n");
                ElementLoops(layout, plan, loops, end);
            }
            else
            {
                // The outer inner axes in row-major order (the interpreter's order for exact sums), the innermost inside.
                var outerInner = layout.Inner.Take(layout.Inner.Count - 1).ToArray();
                _text.Append($"            for (long i = 0; i < {outerInner.Aggregate(1L, (n, a) => n * a.Size)}; i++)\n            {{\n");
                foreach (var buffer in _kernel.Buffers.Where(b => !_schedule.IsRowBuffer(b.Index)))
                {
                    _text.Append($"                long q{buffer.Index} = o{buffer.Index} + {Unravel("i", outerInner, buffer.Index)};\n");
                }
                _text.Append("                j = 0;\n");
                var enclosing = _text;
                _text = new StringBuilder();
                ElementLoops(layout, plan, loops, layout.Inner[^1].Size.ToString());
                foreach (var line in _text.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries))
                {
                    enclosing.Append("    ").Append(line).Append('\n');
                }
                _text = enclosing;
                _text.Append("            }\n");
            }
            foreach (int r in plan.Reductions)
            {
                _text.Append($"            {ElementType(values[r].DType)} v{r} = {Finish((KernelReduce)values[r], r, plan.Vector?.Name, loops)};\n");
            }
        }

        /// <summary>
        /// A pass's loops over j, from its current value to <paramref name="end"/>: vector steps (unrolled when
        /// reducing), then the scalar tail; only those of <paramref name="loops"/> that run.
        /// </summary>
        private void ElementLoops(KernelLayout layout, PassPlan plan, Loops loops, string end)
        {
            var values = _kernel.Values;
            if (plan.Vector is var (vector, lanes))
            {
                if (loops.Unrolled)
                {
                    _text.Append($"            for (; j + {Accumulators * lanes} <= {end}; j += {Accumulators * lanes})\n            {{\n");
                    for (int u = 0; u < Accumulators; u++)
                    {
                        VectorBody(layout, plan, vector, $"_{u}", u * lanes, u);
                    }
                    _text.Append("            }\n");
                }
                if (loops.Vector)
                {
                    _text.Append($"            for (; j + {lanes} <= {end}; j += {lanes})\n            {{\n");
                    VectorBody(layout, plan, vector, "", 0, 0);
                    _text.Append("            }\n");
                }
            }
            if (!loops.Tail)
            {
                return;
            }
            _text.Append($"            for (; j < {end}; j++)\n            {{\n");
            foreach (int e in plan.Elements)
            {
                string expression = IsCacheRead(e, plan.Phase) ? $"c{e}[j]" : ScalarExpression(layout, e);
                _text.Append($"                {ElementType(values[e].DType)} v{e} = {expression};\n");
                if (IsCacheWrite(e, plan.Phase))
                {
                    _text.Append($"                c{e}[j] = v{e};\n");
                }
            }
            foreach (int r in plan.Reductions)
            {
                var reduce = (KernelReduce)values[r];
                string x = ScalarReference(reduce.Operand);
                _text.Append(reduce.Kind == ReductionKind.Sum ? $"                t{r} += {x};\n" : $"                t{r} = Math.{reduce.Kind}(t{r}, {x});\n");
            }
            foreach (var store in plan.Stores)
            {
                _text.Append($"                b{store.Buffer}[{ElementAddress(layout, store.Buffer)}] = {ScalarReference(store.Value)};\n");
            }
            _text.Append("            }\n");
        }

        /// <summary>One vector step: values with <paramref name="suffix"/> at j + <paramref name="offset"/>, into accumulator <paramref name="accumulator"/>.</summary>
        private void VectorBody(KernelLayout layout, PassPlan plan, string vector, string suffix, int offset, int accumulator)
        {
            var values = _kernel.Values;
            string at = offset == 0 ? "j" : $"j + {offset}";
            foreach (int e in plan.Elements)
            {
                string expression = IsCacheRead(e, plan.Phase) ? $"{vector}.Load(c{e} + {at})" : values[e] switch
                {
                    KernelLoad load => LaneStride(layout, load.Buffer) == 0
                        ? $"{vector}.Create(b{load.Buffer}[{Base(load.Buffer)}])"
                        : $"{vector}.Load(b{load.Buffer} + {Base(load.Buffer)} + {at})",
                    KernelApply apply => VectorApply(apply, vector, suffix),
                    _ => throw new InvalidOperationException($"v{e} is not an element-level value"),
                };
                _text.Append($"                var v{e}{suffix} = {expression};\n");
                if (IsCacheWrite(e, plan.Phase))
                {
                    _text.Append($"                v{e}{suffix}.Store(c{e} + {at});\n");
                }
            }
            foreach (int r in plan.Reductions)
            {
                var reduce = (KernelReduce)values[r];
                string acc = $"a{r}_{accumulator}", x = VectorReference(reduce.Operand, vector, suffix);
                _text.Append(reduce.Kind == ReductionKind.Sum ? $"                {acc} += {x};\n" : $"                {acc} = {vector}.{reduce.Kind}({acc}, {x});\n");
            }
            foreach (var store in plan.Stores)
            {
                _text.Append($"                {VectorReference(store.Value, vector, suffix)}.Store(b{store.Buffer} + {Base(store.Buffer)} + {at});\n");
            }
        }

        /// <summary>
        /// The row's result of a reduction: its vector accumulators combined pairwise, then across lanes, then with the
        /// scalar tail's (a tail that never runs adds nothing: its accumulator would stay the identity).
        /// </summary>
        private static string Finish(KernelReduce reduce, int r, string? vector, Loops loops)
        {
            string type = ElementType(reduce.DType);
            if (vector is null)
            {
                return reduce.Kind == ReductionKind.Sum && reduce.DType == DType.F32 ? $"({type})t{r}" : $"t{r}";
            }
            string kind = reduce.Kind.ToString();
            string lanes = loops.Unrolled
                ? reduce.Kind == ReductionKind.Sum
                    ? $"(a{r}_0 + a{r}_1) + (a{r}_2 + a{r}_3)"
                    : $"{vector}.{kind}({vector}.{kind}(a{r}_0, a{r}_1), {vector}.{kind}(a{r}_2, a{r}_3))"
                : $"a{r}_0";
            string combined = reduce.Kind == ReductionKind.Sum ? $"{vector}.Sum({lanes})" : $"HorizontalReduction.{kind}({lanes})";
            return !loops.Tail ? combined
                : reduce.Kind == ReductionKind.Sum ? $"{combined} + t{r}"
                : $"Math.{kind}({combined}, t{r})";
        }

        /// <summary>
        /// The starting accumulator: for sums −0, the identity of + that keeps a row of −0 at −0 (rows of no elements
        /// start from +0, the empty sum); for max −∞, for min +∞, which give the first element when combined with it.
        /// </summary>
        private static string Identity(KernelReduce reduce)
        {
            string type = ElementType(reduce.DType);
            return reduce.Kind switch
            {
                ReductionKind.Sum => reduce.DType == DType.F32 ? "-0.0f" : "-0.0",
                ReductionKind.Max => $"{type}.NegativeInfinity",
                _ => $"{type}.PositiveInfinity",
            };
        }

        /// <summary>The offset of the row's first element in buffer <paramref name="buffer"/>: the row counter unravelled over the outer axes.</summary>
        private static string RowOffset(KernelLayout layout, int buffer) => Unravel("row", layout.Outer, buffer);

        /// <summary>The index of the current element (j, within i when nested) in buffer <paramref name="buffer"/>.</summary>
        private string ElementAddress(KernelLayout layout, int buffer)
        {
            string inner = LaneStride(layout, buffer) switch
            {
                0 => "",
                1 => "j",
                long stride => $"j * {stride}",
                null => Unravel("j", layout.Inner, buffer),
            };
            return inner is "" or "0" ? Base(buffer) : $"{Base(buffer)} + {inner}";
        }

        /// <summary>The element stride of <paramref name="buffer"/> along j: the innermost axis's when nested; null where j spans unmerged axes.</summary>
        private long? LaneStride(KernelLayout layout, int buffer) => _nested ? layout.Inner[^1].Strides[buffer] : layout.InnerStride(buffer);

        /// <summary>Where j = 0 is in <paramref name="buffer"/>: the row's offset, or when nested the current i's.</summary>
        private string Base(int buffer) => _nested ? $"q{buffer}" : $"o{buffer}";

        /// <summary>Σ index·stride over <paramref name="axes"/>, the indices unravelled from <paramref name="counter"/> (below the axes' product, so the outermost needs no modulo).</summary>
        private static string Unravel(string counter, IReadOnlyList<LayoutAxis> axes, int buffer)
        {
            var terms = new List<string>();
            long divisor = 1;
            for (int i = axes.Count - 1; i >= 0; i--)
            {
                long stride = axes[i].Strides[buffer];
                if (stride != 0)
                {
                    string index = divisor == 1 ? counter : $"{counter} / {divisor}";
                    if (i > 0)
                    {
                        index = $"({index} % {axes[i].Size})";
                    }
                    else if (divisor != 1)
                    {
                        index = $"({index})";
                    }
                    terms.Add(stride == 1 ? index : $"{index} * {stride}");
                }
                divisor *= axes[i].Size;
            }
            return terms.Count == 0 ? "0" : string.Join(" + ", terms);
        }
    }
}
