using System.Diagnostics.CodeAnalysis;
using GraphDL.IR;
using GraphDL.IR.Ops;

namespace GraphDL.Codegen.KernelIR;

public static partial class KernelLowering
{
    /// <summary>
    /// Lowers the body of a fused node — an isolated graph with one output, made of elementwise ops, broadcast_in_dim,
    /// reshape and reduce_sum / reduce_max / reduce_min — to one kernel. Reductions must all reduce the same axes of
    /// the same shape (the iteration space); their results are row-level values that later elementwise ops may use,
    /// broadcast back over the reduced axes (softmax, log_softmax, layer_norm, the row pieces of cross-entropy), or
    /// the body's result. Reduced axes that are not trailing are permuted last.
    /// </summary>
    /// <returns>
    /// True with <paramref name="kernel"/> set: its read buffers are bound to body inputs (<see cref="LoweredKernel.Inputs"/>,
    /// one buffer per distinct addressing of an input, so an input may appear twice) and its one written buffer, the
    /// last, to the body's output node. False with a <paramref name="reason"/> for a fusion report, such as
    /// "reductions over different axes ...".
    /// </returns>
    public static bool TryLower(string name, Graph body, [NotNullWhen(true)] out LoweredKernel? kernel, [NotNullWhen(false)] out string? reason)
    {
        try
        {
            kernel = new BodyLowering(name, body).Lower();
            reason = null;
            return true;
        }
        catch (NotLowerableException e)
        {
            kernel = null;
            reason = e.Message;
            return false;
        }
    }

    /// <summary>Why a body cannot become one kernel; caught by <see cref="TryLower"/>, never escapes it.</summary>
    private sealed class NotLowerableException(string message) : Exception(message);

    /// <summary>The state of one <see cref="TryLower"/> call.</summary>
    private sealed class BodyLowering
    {
        /// <summary>How a graph value's row-major index maps to the iteration space: a point of it, or a row of it.</summary>
        private enum Kind
        {
            Element,
            Row,
        }

        private readonly record struct Term(int Value, Kind Kind);

        private readonly string _name;
        private readonly Graph _body;
        private readonly Dictionary<Value, Term> _terms = new(ReferenceEqualityComparer.Instance);

        // Body inputs, and reshapes of them, are read in place: a view maps to its input and is loaded where it is used.
        private readonly Dictionary<Value, GraphInput> _views = new(ReferenceEqualityComparer.Instance);
        private readonly List<KernelBuffer> _buffers = [];
        private readonly List<Value> _inputs = [];
        private readonly List<KernelValue> _values = [];
        private readonly Dictionary<(GraphInput, string), int> _loads = [];
        private readonly HashSet<Node> _deferred = new(ReferenceEqualityComparer.Instance);
        private readonly Dictionary<(Value, string), int> _materialized = [];

        private Shape _shape = Shape.Scalar;
        private bool[] _reduced = [];
        private int[] _order = [];
        private long _total;
        private long _rows;
        private bool _hasReductions;

        public BodyLowering(string name, Graph body)
        {
            _name = name;
            _body = body;
        }

        public LoweredKernel Lower()
        {
            if (_body.Outputs.Count != 1)
            {
                throw new NotLowerableException($"a fused body must have exactly one output, @{_body.Name} has {_body.Outputs.Count}");
            }
            if (_body.Outputs[0].Value is not Node output)
            {
                throw new NotLowerableException($"the output of @{_body.Name} is not computed by the body");
            }
            foreach (var node in _body.Nodes)
            {
                if (Unsupported(node) is { } why)
                {
                    throw new NotLowerableException(why);
                }
            }
            ChooseIterationSpace(output);
            foreach (var input in _body.Inputs)
            {
                _views[input] = input;
            }
            foreach (var node in _body.Nodes)
            {
                Visit(node);
            }
            if (_views.ContainsKey(output))
            {
                throw new NotLowerableException($"the output of @{_body.Name} only reshapes a body input");
            }
            var result = _terms.TryGetValue(output, out var term) ? term
                : Operand(output, !_hasReductions || output.Type.ElementCount == _total ? Kind.Element : Kind.Row);
            var strides = result.Kind == Kind.Row ? RowStrides() : InSpaceOrder(_shape.Strides());
            _buffers.Add(new KernelBuffer(_buffers.Count, output.Type, BufferAccess.Write, strides));
            var space = new Shape(_order.Select(a => _shape[a]).ToArray());
            int innerRank = _hasReductions ? _reduced.Count(r => r) : Math.Min(1, space.Rank);
            var kernel = new Kernel(_name, space, _buffers, _values, [new KernelStore(_buffers.Count - 1, result.Value)], _body.Nodes, innerRank);
            return new LoweredKernel(kernel, _inputs, [output]);
        }

        /// <summary>Why the C# kernels cannot compute <paramref name="node"/>, or null.</summary>
        private static string? Unsupported(Node node)
        {
            if (node.Op.Has(OpTraits.RowReduction))
            {
                return node.Type.DType is DType.F32 or DType.F64 ? null
                    : $"{node.Op.Name} of {node.Type.DType.Name()} is not supported in loop kernels (f32 and f64 only)";
            }
            if (node.Op.Has(OpTraits.View))
            {
                return null;
            }
            if (node.Op is Full)
            {
                return node.Type.DType is DType.F32 or DType.F64 or DType.Bool ? null : $"full : {node.Type} is not supported in loop kernels";
            }
            return IsSupported(node) ? null : $"{node.Op.Name} : {node.Type} is not supported in loop kernels";
        }

        /// <summary>
        /// The iteration space is the operand shape of the reductions (which must agree), else the shape the body
        /// broadcasts to, else the output's shape; reduced axes go last in loop order.
        /// </summary>
        private void ChooseIterationSpace(Node output)
        {
            var reductions = _body.Nodes.Where(n => n.Op.Has(OpTraits.Reduction)).ToArray();
            _hasReductions = reductions.Length > 0;
            if (_hasReductions)
            {
                var first = reductions[0];
                _shape = first.Operands[0].Type.Shape;
                var axes = first.Attributes.Ints("axes");
                foreach (var other in reductions.Skip(1))
                {
                    if (other.Operands[0].Type.Shape != _shape || !other.Attributes.Ints("axes").SequenceEqual(axes))
                    {
                        throw new NotLowerableException($"reductions over different axes cannot share one kernel: {DescribeReduction(first)} and {DescribeReduction(other)}");
                    }
                }
                if (axes.Count == 0)
                {
                    throw new NotLowerableException($"{DescribeReduction(first)} reduces over no axes");
                }
                _reduced = Enumerable.Range(0, _shape.Rank).Select(axes.Contains).ToArray();
            }
            else
            {
                var broadcast = _body.Nodes.FirstOrDefault(n => n.Op.Has(OpTraits.Broadcast) && n.Type.ElementCount == output.Type.ElementCount);
                _shape = broadcast?.Type.Shape ?? output.Type.Shape;
                _reduced = new bool[_shape.Rank];
            }
            _order = Enumerable.Range(0, _shape.Rank).Where(a => !_reduced[a]).Concat(Enumerable.Range(0, _shape.Rank).Where(a => _reduced[a])).ToArray();
            _total = _shape.ElementCount;
            _rows = Enumerable.Range(0, _shape.Rank).Where(a => !_reduced[a]).Aggregate(1L, (n, a) => n * _shape[a]);
        }

        /// <summary>How the kernel folds a row: the reduction's combiner op.</summary>
        private static ReductionKind KindOf(ReductionOp reduction) => reduction.Combiner switch
        {
            Add => ReductionKind.Sum,
            Max => ReductionKind.Max,
            Min => ReductionKind.Min,
            var other => throw new NotLowerableException($"{reduction.Name} combines with {other.Name}, which loop kernels do not fold"),
        };

        private static string DescribeReduction(Node reduction) =>
            $"{reduction.Op.Name} over axes [{string.Join(",", reduction.Attributes.Ints("axes"))}] of {reduction.Operands[0].Type}";

        private void Visit(Node node)
        {
            switch (node.Op)
            {
                case { Traits: var traits } when traits.HasFlag(OpTraits.View):
                    if (_views.TryGetValue(node.Operands[0], out var viewed))
                    {
                        _views[node] = viewed;
                    }
                    else if (IsDeferred(node.Operands[0]))
                    {
                        _deferred.Add(node);
                    }
                    else
                    {
                        // A view keeps the row-major order, which is all a term's index mapping depends on.
                        _terms[node] = _terms[node.Operands[0]];
                    }
                    return;
                case Full:
                    _deferred.Add(node);
                    return;
                case { Traits: var traits } when traits.HasFlag(OpTraits.Broadcast):
                    _terms[node] = Broadcast(node);
                    return;
                case ReductionOp { Traits: var traits } reduction when traits.HasFlag(OpTraits.RowReduction):
                    var operand = Operand(node.Operands[0], Kind.Element);
                    _values.Add(new KernelReduce(KindOf(reduction), operand.Value, node.Type.DType));
                    _terms[node] = new Term(_values.Count - 1, Kind.Row);
                    return;
                default:
                    if (node.Operands.All(o => o is Literal || IsDeferred(o)))
                    {
                        // Computed from inputs alone: emitted where it is used, addressed as that use needs.
                        _deferred.Add(node);
                        return;
                    }
                    var result = ElementwiseKind(node);
                    var args = node.Operands.Select(o => Operand(o, result).Value).ToArray();
                    _values.Add(new KernelApply(node.Op, args, node.Attributes, node.Type.DType));
                    _terms[node] = new Term(_values.Count - 1, result);
                    return;
            }
        }

        /// <summary>Whether <paramref name="value"/> depends on body inputs only (a view of one, or deferred ops of them).</summary>
        private bool IsDeferred(Value value) => _views.ContainsKey(value) || (value is Node node && _deferred.Contains(node));

        /// <summary>
        /// Whether an elementwise node is computed per element or per row: by its element count, and where both
        /// agree (rows of one element) by its computed operands.
        /// </summary>
        private Kind ElementwiseKind(Node node)
        {
            long count = node.Type.ElementCount;
            if (!_hasReductions || (count == _total && count != _rows))
            {
                return Kind.Element;
            }
            if (count == _rows && count != _total)
            {
                return Kind.Row;
            }
            if (count != _total)
            {
                throw new NotLowerableException($"{node.Op.Name} : {node.Type} has neither the {_total} elements of the iteration space {_shape} nor its {_rows} rows");
            }
            return node.Operands.Where(_terms.ContainsKey).All(o => _terms[o].Kind == Kind.Row) ? Kind.Row : Kind.Element;
        }

        /// <summary>The value of an operand used as <paramref name="kind"/>: computed, a literal, or computed here from body inputs.</summary>
        private Term Operand(Value operand, Kind kind)
        {
            if (operand is Literal literal)
            {
                _values.Add(new KernelConstant(literal.Scalar));
                return new Term(_values.Count - 1, kind);
            }
            if (_terms.TryGetValue(operand, out var term))
            {
                return term;
            }
            long expected = kind == Kind.Element ? _total : _rows;
            if (operand.Type.ElementCount != expected)
            {
                throw new NotLowerableException($"{Describe(operand)} is read as {operand.Type}, which matches neither the iteration space {_shape} nor its rows");
            }
            return new Term(Materialize(operand, kind == Kind.Element ? InSpaceOrder(_shape.Strides()) : RowStrides()), kind);
        }

        /// <summary>
        /// A broadcast to the iteration space: of values computed from body inputs alone, those values computed per
        /// element from loads with zero strides on the repeated axes; of a row-level value along the reduced axes
        /// (softmax's max and sum), that value itself, used per element.
        /// </summary>
        private Term Broadcast(Node node)
        {
            var source = node.Operands[0];
            if (IsDeferred(source))
            {
                if (node.Type.Shape == _shape)
                {
                    return new Term(Materialize(source, InSpaceOrder(BroadcastStrides(node))), Kind.Element);
                }
                if (_hasReductions && RowAxes(node.Type.Shape) is { } axes)
                {
                    // A row shape (keepdims or not): its axes are the outer axes of the space, read per row.
                    var operandStrides = BroadcastStrides(node);
                    return new Term(Materialize(source, InSpaceOrder(axes.Select(t => t < 0 ? 0 : operandStrides[t]).ToArray())), Kind.Row);
                }
                throw new NotLowerableException($"broadcast_in_dim of {Describe(source)} to {node.Type} matches neither the iteration space {_shape} nor its rows");
            }
            var term = _terms[source];
            if (node.Type.ElementCount == source.Type.ElementCount)
            {
                // Only size-1 axes are added or expanded: the row-major order, and so the term, is unchanged.
                return term;
            }
            if (term.Kind == Kind.Element)
            {
                throw new NotLowerableException($"broadcast_in_dim of a computed element value to {node.Type} is not supported in one kernel");
            }
            var strides = BroadcastStrides(node);
            var rowStrides = RowStridesOverShape();
            bool alongRows = node.Type.Shape == _shape
                && Enumerable.Range(0, _shape.Rank).All(a => _shape[a] == 1 || strides[a] == rowStrides[a]);
            if (!alongRows)
            {
                throw new NotLowerableException($"broadcast_in_dim of {source.Type} to {node.Type} does not repeat a row value along the reduced axes of {_shape}");
            }
            return new Term(term.Value, Kind.Element);
        }

        /// <summary>
        /// For a shape that lists the rows of the space — the outer axes in order, with the reduced axes kept as 1 or
        /// dropped — the axis of it that each axis of the space corresponds to (−1 for reduced axes); else null.
        /// </summary>
        private int[]? RowAxes(Shape shape)
        {
            var outer = Enumerable.Range(0, _shape.Rank).Where(a => !_reduced[a]).ToArray();
            if (shape.Rank == _shape.Rank && Enumerable.Range(0, shape.Rank).All(a => shape[a] == (_reduced[a] ? 1 : _shape[a])))
            {
                return Enumerable.Range(0, shape.Rank).Select(a => _reduced[a] ? -1 : a).ToArray();
            }
            if (shape.Rank == outer.Length && Enumerable.Range(0, shape.Rank).All(i => shape[i] == _shape[outer[i]]))
            {
                return Enumerable.Range(0, _shape.Rank).Select(a => _reduced[a] ? -1 : Array.IndexOf(outer, a)).ToArray();
            }
            return null;
        }

        /// <summary>
        /// Emits a value computed from body inputs alone, its row-major index addressed by <paramref name="strides"/>
        /// over the iteration space: loads of the inputs with those strides (inputs are contiguous, so a reshape
        /// view reads them alike) and its ops on them, once per distinct addressing.
        /// </summary>
        private int Materialize(Value value, long[] strides)
        {
            if (value is Literal literal)
            {
                _values.Add(new KernelConstant(literal.Scalar));
                return _values.Count - 1;
            }
            if (_views.TryGetValue(value, out var input))
            {
                return Load(input, strides);
            }
            var node = (Node)value;
            var key = (value, string.Join(",", strides));
            if (_materialized.TryGetValue(key, out int at))
            {
                return at;
            }
            switch (node.Op)
            {
                case Full:
                    _values.Add(new KernelConstant(node.Attributes.Scalar("value")));
                    break;
                case { Traits: var traits } when traits.HasFlag(OpTraits.View):
                    return strides.SequenceEqual(InSpaceOrder(_shape.Strides())) ? Materialize(node.Operands[0], strides)
                        : throw new NotLowerableException($"{node.Op.Name} of {Describe(node.Operands[0])} cannot be read broadcast");
                default:
                    var args = node.Operands.Select(o => Materialize(o, strides)).ToArray();
                    _values.Add(new KernelApply(node.Op, args, node.Attributes, node.Type.DType));
                    break;
            }
            _materialized[key] = _values.Count - 1;
            return _values.Count - 1;
        }

        private static string Describe(Value value) => value switch
        {
            GraphInput input => $"input %{input.Name}",
            Node node => $"{node.Op.Name} : {node.Type}",
            _ => value.Type.ToString(),
        };

        private int Load(GraphInput input, long[] strides)
        {
            var key = (input, string.Join(",", strides));
            if (!_loads.TryGetValue(key, out int at))
            {
                _buffers.Add(new KernelBuffer(_buffers.Count, input.Type, BufferAccess.Read, strides));
                _inputs.Add(input);
                _values.Add(new KernelLoad(_buffers.Count - 1, input.Type.DType));
                at = _values.Count - 1;
                _loads[key] = at;
            }
            return at;
        }

        /// <summary>Strides over the iteration space's axes (graph order) that address a row: row-major over the outer axes, 0 on reduced ones.</summary>
        private long[] RowStridesOverShape()
        {
            var strides = new long[_shape.Rank];
            long stride = 1;
            for (int a = _shape.Rank - 1; a >= 0; a--)
            {
                if (!_reduced[a])
                {
                    strides[a] = stride;
                    stride *= _shape[a];
                }
            }
            return strides;
        }

        private long[] RowStrides() => InSpaceOrder(RowStridesOverShape());

        private long[] InSpaceOrder(long[] strides) => _order.Select(a => strides[a]).ToArray();
    }
}
