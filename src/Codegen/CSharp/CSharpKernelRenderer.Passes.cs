using GraphDL.Codegen.KernelIR;
using GraphDL.IR;

namespace GraphDL.Codegen.CSharp;

public static partial class CSharpKernelRenderer
{
    /// <summary>
    /// What pass <see cref="Phase"/> computes per row: the element-level values it (re)computes, the reductions it
    /// accumulates, the element stores it makes, the row-level values it reads, and its vector type (null: scalar).
    /// </summary>
    private sealed record PassPlan(int Phase, int[] Elements, int[] Reductions, KernelStore[] Stores, int[] RowReads, (string Name, int Lanes)? Vector)
    {
        /// <summary>The float type of a vectorized pass's lanes; its bools are masks of that width.</summary>
        public DType Lane { get; init; } = DType.F32;

        /// <summary>Operations per element, for the parallel threshold.</summary>
        public int Work => Elements.Length + Reductions.Length + Stores.Length;
    }

    /// <summary>The unroll factor (independent vector accumulators) of vectorized reductions.</summary>
    private const int Accumulators = 4;

    private sealed partial class Emitter
    {
        private bool[] _needed = [];
        private KernelSchedule _schedule = null!;
        private readonly HashSet<int> _splatted = [];

        /// <summary>Values kept per row in a cache <c>cV</c> on the stack, each with the pass that computes it (see <see cref="CachedValues"/>).</summary>
        private readonly Dictionary<int, int> _cached = [];

        /// <summary>
        /// Whether the inner axes do not merge into one (a reduction over [batch, pixels] of a channel, say): each pass
        /// then loops over the outer inner axes (counter i, with each buffer's element base qB) around a loop over the
        /// innermost one (counter j), which is vectorized when it is contiguous.
        /// </summary>
        private bool _nested;

        /// <summary>The C# lane type of the vectorized pass being rendered (bool constants are masks of it).</summary>
        private string _lane = "float";

        private PassPlan[] Plans(KernelLayout layout, KernelSchedule schedule)
        {
            var values = _kernel.Values;
            _schedule = schedule;
            _needed = new bool[values.Count];
            foreach (var store in _kernel.Stores)
            {
                _needed[store.Value] = true;
            }
            for (int v = values.Count - 1; v >= 0; v--)
            {
                if (_needed[v])
                {
                    foreach (int a in Arguments(values[v]))
                    {
                        _needed[a] = true;
                    }
                }
            }
            _cached.Clear();
            _nested = layout.Inner.Count > 1 && layout.InnerCount > 0;
            var plans = BuildPlans(layout, schedule);
            foreach (var (value, first) in CachedValues(layout, plans))
            {
                _cached[value] = first;
            }
            return _cached.Count == 0 ? plans : BuildPlans(layout, schedule);
        }

        /// <summary>
        /// The passes: per phase, its reductions and stores and the element-level values they need, found backwards
        /// from them. A value kept in the row cache (<see cref="_cached"/>) is read there by passes after its first,
        /// which then need nothing it was computed from.
        /// </summary>
        private PassPlan[] BuildPlans(KernelLayout layout, KernelSchedule schedule)
        {
            var values = _kernel.Values;
            var plans = new PassPlan[schedule.PassCount];
            for (int p = 0; p < plans.Length; p++)
            {
                int phase = p;
                var reductions = Enumerable.Range(0, values.Count)
                    .Where(v => _needed[v] && values[v] is KernelReduce r && schedule.PhaseOf(r.Operand) == phase).ToArray();
                var stores = _kernel.Stores.Where(s => !schedule.IsRowBuffer(s.Buffer) && schedule.PhaseOf(s.Value) == phase).ToArray();
                var roots = reductions.Select(r => ((KernelReduce)values[r]).Operand).Concat(stores.Select(s => s.Value)).ToArray();
                var elements = new SortedSet<int>();
                var pending = new Stack<int>(roots.Where(v => schedule.LevelOf(v) == ValueLevel.Element));
                while (pending.TryPop(out int v))
                {
                    if (elements.Add(v) && !IsCacheRead(v, phase))
                    {
                        foreach (int a in Arguments(values[v]).Where(a => schedule.LevelOf(a) == ValueLevel.Element))
                        {
                            pending.Push(a);
                        }
                    }
                }
                var rowReads = elements.Where(e => !IsCacheRead(e, phase)).SelectMany(e => Arguments(values[e])).Concat(roots)
                    .Where(v => schedule.LevelOf(v) == ValueLevel.Row && values[v] is not KernelConstant).Distinct().Order().ToArray();
                var plan = new PassPlan(p, elements.ToArray(), reductions, stores, rowReads, null);
                var vector = VectorFor(layout, plan, out var lane);
                plans[p] = plan with { Vector = vector, Lane = lane };
            }
            return plans;
        }

        /// <summary>Rows at most this long keep costly values in a row cache on the stack (64 KiB of f32).</summary>
        private const long RowCacheLimit = 1 << 14;

        /// <summary>
        /// The costly float values (ops whose snippets are not <see cref="CodeSnippets.Cheap"/>: transcendentals,
        /// division, square roots) that several passes over a row need,
        /// each with the first pass computing it: that pass stores it in a row cache and the later ones read it, as
        /// a softmax keeps its exponentials for the normalizing pass instead of computing them twice. Only for a
        /// contiguous inner axis of at most <see cref="RowCacheLimit"/> elements; the values are the same bits either way.
        /// </summary>
        private IEnumerable<(int Value, int First)> CachedValues(KernelLayout layout, PassPlan[] plans)
        {
            if (plans.Length < 2 || layout.Inner.Count != 1 || layout.InnerCount is 0 or > RowCacheLimit)
            {
                return [];
            }
            return Enumerable.Range(0, _kernel.Values.Count)
                .Where(v => _kernel.Values[v] is KernelApply { DType: DType.F32 or DType.F64 } apply && !apply.Op.CSharp.Cheap)
                .Select(v => (Value: v, Passes: plans.Where(p => p.Elements.Contains(v)).Select(p => p.Phase).ToArray()))
                .Where(c => c.Passes.Length >= 2)
                .Select(c => (c.Value, c.Passes.Min()));
        }

        /// <summary>Whether pass <paramref name="phase"/> reads <paramref name="value"/> from the row cache rather than computing it.</summary>
        private bool IsCacheRead(int value, int phase) => _cached.TryGetValue(value, out int first) && first < phase;

        /// <summary>Whether pass <paramref name="phase"/> computes <paramref name="value"/> and stores it in the row cache.</summary>
        private bool IsCacheWrite(int value, int phase) => _cached.TryGetValue(value, out int first) && first == phase;

        private static IEnumerable<int> Arguments(KernelValue value) => value switch
        {
            KernelApply apply => apply.Arguments,
            KernelReduce reduce => [reduce.Operand],
            _ => [],
        };

        /// <summary>
        /// The vector type pass <paramref name="plan"/> can run in, or null (see the class summary), with its lane
        /// type: the pass's one float dtype. Bools computed in the pass are lane masks; a bool loaded or stored
        /// (one byte per element) keeps the pass scalar.
        /// </summary>
        private (string Name, int Lanes)? VectorFor(KernelLayout layout, PassPlan plan, out DType lane)
        {
            lane = DType.F32;
            if (layout.InnerCount == 0 || (_options.ExactMath && plan.Reductions.Length > 0))
            {
                return null;
            }
            var values = _kernel.Values;
            var used = plan.Elements.Concat(plan.Reductions).Concat(plan.RowReads).Concat(plan.Stores.Select(s => s.Value))
                .Concat(plan.Elements.SelectMany(e => Arguments(values[e])));
            var dtypes = used.Select(v => values[v].DType).Where(t => t != DType.Bool).Distinct().ToArray();
            if (dtypes.Length != 1 || dtypes[0] is not (DType.F32 or DType.F64))
            {
                return null;
            }
            lane = dtypes[0];
            foreach (int e in plan.Elements)
            {
                bool ok = IsCacheRead(e, plan.Phase) || values[e] switch
                {
                    KernelLoad load => load.DType != DType.Bool && LaneStride(layout, load.Buffer) is 0 or 1,
                    KernelApply apply => VectorCode(apply) is not null,
                    _ => false,
                };
                if (!ok)
                {
                    return null;
                }
            }
            if (!plan.Stores.All(s => values[s.Value].DType != DType.Bool && LaneStride(layout, s.Buffer) == 1))
            {
                return null;
            }
            // A loop over j shorter than one vector would never run its vector steps.
            return VectorWidth(lane) is { } width && JLength(layout) >= width.Lanes ? width : null;
        }

        /// <summary>How many elements the loop over j walks: the innermost axis when nested, else the whole row.</summary>
        private long JLength(KernelLayout layout) => _nested ? layout.Inner[^1].Size : layout.InnerCount;

        /// <summary>
        /// Which of a pass's loops over j run: the unrolled vector loop (reductions only), the one-vector loop, the
        /// scalar tail. With the loop's length known (j from 0 to a constant) a loop that would never run is left out,
        /// so the code shows only what executes; a tile entry's bounds are arguments, so it keeps all three.
        /// </summary>
        private readonly record struct Loops(bool Unrolled, bool Vector, bool Tail)
        {
            public static Loops Of(PassPlan plan, long? length)
            {
                if (plan.Vector is not var (_, lanes))
                {
                    return new(false, false, length is null or > 0);
                }
                long step = Accumulators * (long)lanes;
                bool unrolled = plan.Reductions.Length > 0 && (length is null || length >= step);
                long? rest = unrolled ? length % step : length;
                return new(unrolled, rest is null || rest >= lanes, length is null || length % lanes != 0);
            }

            /// <summary>The vector accumulators of each reduction: one per unrolled step, else one.</summary>
            public int VectorAccumulators => Unrolled ? Accumulators : 1;
        }
    }
}
