using CsCheck;
using GraphDL.IR;
using GraphDL.IR.Ops;

namespace GraphDL.Cli.Fuzzing;

/// <summary>
/// One step of a <see cref="GraphRecipe"/>: what kind of node(s) to add (<see cref="Kind"/>, 0–99, weighted by range),
/// which earlier value to apply it to (<see cref="Pick"/>: 0 is the latest value, 1 the one before, ...), and the seed of
/// the step's other choices (op, axes, sizes, second operands).
/// </summary>
internal readonly record struct GraphStep(int Kind, int Pick, int Seed)
{
    public override string ToString() => $"({Kind},{Pick},{Seed})";
}

/// <summary>
/// A random graph as a list of choices, so a failure can be shrunk (<see cref="FailureShrinker"/>: fewer steps, picks
/// toward the latest value). <see cref="RandomGraphs.Build"/> turns it into a well-typed graph.
/// </summary>
internal sealed record GraphRecipe(bool F64, int InputSeed, int ShapeSeed, GraphStep[] Steps)
{
    public override string ToString() =>
        $"GraphRecipe(F64: {F64}, InputSeed: {InputSeed}, ShapeSeed: {ShapeSeed}, Steps: [{string.Join(", ", Steps)}])";
}

/// <summary>
/// The random graph generator of <c>graphdl fuzz</c> and the random-graph tests (a CsCheck generator of recipes,
/// drawn from a fixed PCG stream by <see cref="Fuzzer.Recipe"/>). A graph starts from one input (rank 0–3, f32 or
/// f64) and each step adds nodes over a pool of float values:
/// <list type="bullet">
/// <item>unary elementwise ops (all float ones, and casts between f32 and f64);</item>
/// <item>binary elementwise ops whose second operand is a literal (including NaN, ±Inf, −0 and subnormals), an earlier
/// value of the same type, a new input, the first operand itself, or a new input of a smaller shape (size-1 axes, fewer
/// axes) brought in by broadcast_in_dim;</item>
/// <item>comparisons, optionally combined with not/and/or/xor, selecting with where;</item>
/// <item>broadcast_in_dim with new axes (rank up to 4) and size-1 axes expanded;</item>
/// <item>reduce_sum/max/min over random axes (possibly none), with or without keepdims;</item>
/// <item>movement: reshape (random factorizations), permute, slice with steps (sometimes empty), pad with special fill
/// values, concat of 2–3 operands;</item>
/// <item>matmul with batch broadcasting, x·xᵀ, and the value on either side.</item>
/// </list>
/// Sizes come from {1, 2, 3, 5, 15, 17}, with a size-0 axis now and then; values are kept under
/// <see cref="MaxElements"/> elements, and graphs at about 20 nodes (<see cref="MaxNodes"/>). Every unconsumed value is a graph output (bool comparison results now and then too).
/// </summary>
internal static partial class RandomGraphs
{
    private static readonly int[] Dims = [1, 2, 3, 5, 15, 17];

    /// <summary>No step starts once a graph has this many nodes (a step adds 1 to 5), so graphs have 1 to about 20 nodes.</summary>
    public const int MaxNodes = 18;

    /// <summary>The largest value a step may create; a step that would exceed it becomes a unary op.</summary>
    public const long MaxElements = 6000;

    private static readonly string[] Unary =
    [
        "neg", "abs", "sqrt", "exp", "log", "tanh", "logistic", "sin", "cos", "floor", "ceil", "sign", "reciprocal", "rsqrt",
        "erf", "expm1", "log1p", "stop_gradient", "cast",
    ];

    private static readonly string[] Binary = ["add", "sub", "mul", "div", "max", "min", "pow"];

    private static readonly string[] Comparisons = ["eq", "ne", "lt", "le", "gt", "ge"];

    private static readonly string[] Reductions = ["reduce_sum", "reduce_max", "reduce_min"];

    private static readonly double[] Literals =
    [
        0.0, 1.0, -1.0, 0.5, 2.0, 3.0, -2.5, -0.0, double.NaN, double.PositiveInfinity, double.NegativeInfinity, 1e30, 1e-30, 1e-40, 1e-310,
    ];

    public static readonly Gen<GraphStep> Step =
        Gen.Select(Gen.Int[0, 99], Gen.Int[0, 7], Gen.Int[0, 9999], (kind, pick, seed) => new GraphStep(kind, pick, seed));

    public static readonly Gen<GraphRecipe> Recipe =
        Gen.Select(Gen.Bool, Gen.Int[0, 9999], Gen.Int[0, 9999], Step.Array[1, 20], (f64, inputs, shape, steps) => new GraphRecipe(f64, inputs, shape, steps));

    public static Graph Build(GraphRecipe recipe) => new Maker(recipe).Build();

    /// <summary>Interprets a recipe with a <see cref="GraphBuilder"/>; every choice keeps the graph well typed.</summary>
    private sealed partial class Maker(GraphRecipe recipe)
    {
        private readonly GraphBuilder _b = new("random");
        private readonly List<Value> _pool = [];
        private readonly HashSet<Value> _consumed = new(ReferenceEqualityComparer.Instance);
        private readonly List<Value> _boolOutputs = [];
        private int _inputs;

        public Graph Build()
        {
            var r = new Random(recipe.ShapeSeed);
            var dtype = recipe.F64 ? DType.F64 : DType.F32;
            int rank = r.Next(4);
            _pool.Add(Input(new TensorType(dtype, new Shape(Enumerable.Range(0, rank).Select(_ => Dim(r)).ToArray()))));
            foreach (var step in recipe.Steps)
            {
                if (_b.Nodes.Count >= MaxNodes)
                {
                    break;
                }
                var x = _pool[_pool.Count - 1 - step.Pick % _pool.Count];
                Apply(step.Kind, x, new Random(step.Seed));
            }
            var sinks = _pool.Where(v => v is Node && !_consumed.Contains(v)).ToList();
            for (int i = 0; i < sinks.Count; i++)
            {
                _b.Output(sinks[i], $"y{i}");
            }
            for (int i = 0; i < _boolOutputs.Count; i++)
            {
                _b.Output(_boolOutputs[i], $"mask{i}");
            }
            return _b.Build();
        }

        private void Apply(int kind, Value x, Random r)
        {
            switch (kind)
            {
                case < 18: UnaryStep(x, r); break;
                case < 38: BinaryStep(x, r); break;
                case < 46: SelectStep(x, r); break;
                case < 58: BroadcastStep(x, r); break;
                case < 68: ReduceStep(x, r); break;
                case < 74: ReshapeStep(x, r); break;
                case < 80: PermuteStep(x, r); break;
                case < 87: SliceStep(x, r); break;
                case < 91: PadStep(x, r); break;
                case < 95: ConcatStep(x, r); break;
                default: MatmulStep(x, r); break;
            }
        }

        private static int Dim(Random r) => r.Next(40) == 0 ? 0 : Dims[r.Next(Dims.Length)];

        private GraphInput Input(TensorType type) => _b.AddInput($"x{_inputs++}", type);

        /// <summary>Adds a float node to the pool and marks its operands as used.</summary>
        private Node Add(Node node)
        {
            foreach (var operand in node.Operands)
            {
                _consumed.Add(operand);
            }
            if (node.Type.DType.IsFloat())
            {
                _pool.Add(node);
            }
            return node;
        }

        private Node Emit(string op, IReadOnlyList<Value> operands, AttributeMap? attributes = null) =>
            Add(_b.Emit(OpRegistry.Find(op)!, operands, attributes));

        private Literal LiteralOf(TensorType type, Random r) => _b.Literal(Scalar.FromDouble(DType.F64, Literals[r.Next(Literals.Length)]), type);

        /// <summary>A second operand of <paramref name="type"/> for an elementwise op on <paramref name="x"/>.</summary>
        private Value Operand(Value x, TensorType type, Random r)
        {
            switch (r.Next(6))
            {
                case 0:
                    return LiteralOf(type, r);
                case 1:
                    var same = _pool.Where(v => v.Type == type).ToArray();
                    return same.Length > 0 ? same[r.Next(same.Length)] : Input(type);
                case 2:
                    return Input(type);
                case 3 or 4 when type.Rank > 0:
                    // A smaller input broadcast up: some axes size 1, maybe fewer leading axes.
                    int drop = r.Next(type.Rank + 1);
                    var dims = Enumerable.Range(drop, type.Rank - drop).ToArray();
                    var small = dims.Select(d => r.Next(2) == 0 ? 1 : type.Shape[d]).ToArray();
                    var source = Input(type.WithShape(new Shape(small)));
                    return Emit("broadcast_in_dim", [source], Attrs(("shape", type.Shape.ToArray()), ("dims", dims)));
                default:
                    return x;
            }
        }

        private static AttributeMap Attrs(params (string Name, int[] Values)[] lists) =>
            AttributeMap.Of(lists.Select(l => (l.Name, (Attr)new IntListAttr(l.Values))).ToArray());
    }
}
