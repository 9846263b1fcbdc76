using GraphDL.IR;
using GraphDL.IR.Ops;

namespace GraphDL.Cli.Fuzzing;

// The steps of the random graph generator: one method per kind of step, each keeping the graph well typed.
internal static partial class RandomGraphs
{
    private sealed partial class Maker
    {
        private void UnaryStep(Value x, Random r)
        {
            string op = Unary[r.Next(Unary.Length)];
            if (op == "cast")
            {
                Add(_b.Cast(x, x.Type.DType == DType.F32 ? DType.F64 : DType.F32));
                return;
            }
            Emit(op, [x]);
        }

        private void BinaryStep(Value x, Random r)
        {
            string op = Binary[r.Next(Binary.Length)];
            var y = Operand(x, x.Type, r);
            Emit(op, r.Next(3) == 0 ? [y, x] : [x, y]);
        }

        private void SelectStep(Value x, Random r)
        {
            var y = Operand(x, x.Type, r);
            Value condition = Emit(Comparisons[r.Next(Comparisons.Length)], r.Next(2) == 0 ? [x, y] : [y, x]);
            if (r.Next(3) == 0)
            {
                var other = Emit(Comparisons[r.Next(Comparisons.Length)], [x, LiteralOf(x.Type, r)]);
                condition = Emit(new[] { "and", "or", "xor" }[r.Next(3)], [condition, other]);
            }
            if (r.Next(4) == 0)
            {
                condition = Emit("not", [condition]);
            }
            if (r.Next(6) == 0)
            {
                _boolOutputs.Add(condition);
            }
            var z = Operand(x, x.Type, r);
            Emit("where", r.Next(2) == 0 ? [condition, x, z] : [condition, z, x]);
        }

        private void BroadcastStep(Value x, Random r)
        {
            int rank = x.Type.Rank;
            int resultRank = Math.Min(4, rank + r.Next(3));
            var isNew = new bool[resultRank];
            foreach (var axis in Enumerable.Range(0, resultRank).OrderBy(_ => r.Next()).Take(resultRank - rank))
            {
                isNew[axis] = true;
            }
            var dims = Enumerable.Range(0, resultRank).Where(a => !isNew[a]).ToArray();
            var shape = new int[resultRank];
            for (int a = 0, i = 0; a < resultRank; a++)
            {
                shape[a] = isNew[a] ? Dim(r) : x.Type.Shape[i] == 1 && r.Next(2) == 0 ? Dim(r) : x.Type.Shape[i];
                i += isNew[a] ? 0 : 1;
            }
            if (new Shape(shape).ElementCount > MaxElements)
            {
                UnaryStep(x, r);
                return;
            }
            Emit("broadcast_in_dim", [x], Attrs(("shape", shape), ("dims", dims)));
        }

        private void ReduceStep(Value x, Random r)
        {
            var axes = Enumerable.Range(0, x.Type.Rank).Where(_ => r.Next(2) == 0).ToArray();
            Emit(Reductions[r.Next(Reductions.Length)], [x],
                AttributeMap.Of(("axes", new IntListAttr(axes)), ("keepdims", new BoolAttr(r.Next(2) == 0))));
        }

        private void ReshapeStep(Value x, Random r)
        {
            long count = x.Type.ElementCount;
            int[] shape;
            if (count == 0)
            {
                // Keep the zero, move it around, maybe add a unit axis.
                var dims = x.Type.Shape.ToArray().OrderBy(_ => r.Next()).ToList();
                if (dims.Count < 4 && r.Next(2) == 0)
                {
                    dims.Insert(r.Next(dims.Count + 1), 1);
                }
                shape = [.. dims];
            }
            else
            {
                var bins = Enumerable.Repeat(1, count == 1 ? r.Next(4) : 1 + r.Next(4)).ToArray();
                foreach (var prime in Factor(count))
                {
                    bins[r.Next(bins.Length)] *= prime;
                }
                shape = bins;
            }
            Emit("reshape", [x], Attrs(("shape", shape)));
        }

        private static IEnumerable<int> Factor(long n)
        {
            for (int p = 2; n > 1; p++)
            {
                while (n % p == 0)
                {
                    yield return p;
                    n /= p;
                }
            }
        }

        private void PermuteStep(Value x, Random r) =>
            Emit("permute", [x], Attrs(("perm", Enumerable.Range(0, x.Type.Rank).OrderBy(_ => r.Next()).ToArray())));

        private void SliceStep(Value x, Random r)
        {
            int rank = x.Type.Rank;
            int[] start = new int[rank], stop = new int[rank], step = new int[rank];
            for (int d = 0; d < rank; d++)
            {
                int size = x.Type.Shape[d];
                if (size == 0 || r.Next(8) == 0)
                {
                    start[d] = r.Next(size + 1);
                    stop[d] = r.Next(start[d], size + 1);
                }
                else
                {
                    start[d] = r.Next(size);
                    stop[d] = r.Next(start[d] + 1, size + 1);
                }
                step[d] = 1 + r.Next(3);
            }
            Emit("slice", [x], Attrs(("start", start), ("stop", stop), ("step", step)));
        }

        private void PadStep(Value x, Random r)
        {
            int rank = x.Type.Rank;
            var lo = Enumerable.Range(0, rank).Select(_ => r.Next(3)).ToArray();
            var hi = Enumerable.Range(0, rank).Select(_ => r.Next(3)).ToArray();
            long count = 1;
            for (int d = 0; d < rank; d++)
            {
                count *= x.Type.Shape[d] + lo[d] + hi[d];
            }
            if (count > MaxElements)
            {
                UnaryStep(x, r);
                return;
            }
            double fill = new[] { 0.0, -0.0, 1.5, double.NegativeInfinity, double.NaN }[r.Next(5)];
            Add(_b.Pad(x, lo, hi, Scalar.FromDouble(x.Type.DType, fill)));
        }

        private void ConcatStep(Value x, Random r)
        {
            if (x.Type.Rank == 0)
            {
                x = Emit("reshape", [x], Attrs(("shape", [1])));
            }
            var type = x.Type;
            int axis = r.Next(type.Rank);
            var operands = new List<Value> { x };
            long total = type.ElementCount;
            int others = 1 + r.Next(2);
            for (int k = 0; k < others; k++)
            {
                Value other;
                switch (r.Next(3))
                {
                    case 0:
                        other = x;
                        break;
                    case 1:
                        var fits = _pool.Where(v => v.Type.DType == type.DType && v.Type.Rank == type.Rank
                            && Enumerable.Range(0, type.Rank).All(d => d == axis || v.Type.Shape[d] == type.Shape[d])).ToArray();
                        other = fits[r.Next(fits.Length)];
                        break;
                    default:
                        var dims = type.Shape.ToArray();
                        dims[axis] = Dim(r);
                        other = Input(type.WithShape(new Shape(dims)));
                        break;
                }
                total += other.Type.ElementCount;
                if (total > MaxElements)
                {
                    break;
                }
                operands.Insert(r.Next(operands.Count + 1), other);
            }
            if (operands.Count == 1)
            {
                UnaryStep(x, r);
                return;
            }
            Add(_b.Concat(operands, axis));
        }

        private void MatmulStep(Value x, Random r)
        {
            if (x.Type.Rank < 2)
            {
                int n = (int)x.Type.ElementCount;
                x = Emit("reshape", [x], Attrs(("shape", r.Next(2) == 0 ? [1, n] : [n, 1])));
            }
            var shape = x.Type.Shape.ToArray();
            int rank = shape.Length;
            var batch = shape[..^2];
            int rows = shape[^2], columns = shape[^1];
            switch (r.Next(4))
            {
                case 0:
                    // x · xᵀ
                    var perm = Enumerable.Range(0, rank).ToArray();
                    (perm[^1], perm[^2]) = (perm[^2], perm[^1]);
                    if (Flops(batch, rows, columns, rows) > 40 * MaxElements || new Shape([.. batch, rows, rows]).ElementCount > MaxElements)
                    {
                        UnaryStep(x, r);
                        return;
                    }
                    Emit("matmul", [x, Emit("permute", [x], Attrs(("perm", perm)))]);
                    return;
                default:
                    // A new operand on the right ([.., k, n]) or on the left ([.., m, k]) with broadcast-compatible batch axes.
                    bool right = r.Next(3) != 0;
                    int drop = r.Next(batch.Length + 1);
                    var otherBatch = batch[drop..].Select(d => d == 1 ? (r.Next(2) == 0 ? Dim(r) : 1) : r.Next(4) == 0 ? 1 : d).ToList();
                    if (batch.Length == 0 && r.Next(3) == 0)
                    {
                        otherBatch.Insert(0, Dim(r));
                    }
                    int free = Dim(r);
                    int[] otherShape = right ? [.. otherBatch, columns, free] : [.. otherBatch, free, rows];
                    var resultBatch = BroadcastBatch(batch, [.. otherBatch]);
                    long flops = right ? Flops(resultBatch, rows, columns, free) : Flops(resultBatch, free, rows, columns);
                    if (flops > 40 * MaxElements || new Shape([.. resultBatch, right ? rows : free, right ? free : columns]).ElementCount > MaxElements)
                    {
                        UnaryStep(x, r);
                        return;
                    }
                    var other = Input(x.Type.WithShape(new Shape(otherShape)));
                    Emit("matmul", right ? [x, other] : [other, x]);
                    return;
            }
        }

        private static long Flops(IEnumerable<int> batch, int m, int k, int n) => batch.Aggregate(1L, (a, d) => a * d) * m * k * n;

        private static int[] BroadcastBatch(int[] a, int[] b)
        {
            int rank = Math.Max(a.Length, b.Length);
            var result = new int[rank];
            for (int i = 0; i < rank; i++)
            {
                int da = i - (rank - a.Length) >= 0 ? a[i - (rank - a.Length)] : 1;
                int db = i - (rank - b.Length) >= 0 ? b[i - (rank - b.Length)] : 1;
                result[i] = da == 1 ? db : da;
            }
            return result;
        }
    }
}
