using GraphDL.IR;
using GraphDL.IR.Ops;

namespace GraphDL.Cli.Fuzzing;

/// <summary>
/// The fast-mode tolerance model: for every output element of a graph, an <see cref="Enclosure"/> that provably holds
/// whatever the CPU backend's fast mode may compute there, derived by running the graph over enclosures instead of
/// values (interval arithmetic with the ops' own reference functions, rounded as the interpreter rounds).
/// <para>
/// Fast mode differs from the interpreter in three places only (<see cref="GraphDL.Codegen.CSharp.KernelOptions"/>,
/// <see cref="Runtime.CpuBackend"/>), and each widens its result by its documented worst case:
/// <list type="bullet">
/// <item>f32 exp, log, tanh, logistic, erf, expm1, log1p, sin, cos (VectorMath, within 2 ulp of the correctly rounded
/// value where the interpreter is within 1): <see cref="TranscendentalUlps"/> floats either side;</item>
/// <item>float reduce_sum (reassociated into vector accumulators): (n + 128)·2⁻²⁴·Σ|x| for an f32 row of n (the
/// documented bound is (n/(4·lanes) + log2(lanes) + tail + 2)·2⁻²⁴·Σ|x|), (2n + 128)·2⁻⁵³·Σ|x| for f64, plus n
/// subnormal spacings (underflow);</item>
/// <item>f32 matmul (the packed GEMM, f32 accumulation): (k + 2)·2⁻²³·Σ|a||b| plus k subnormal spacings.</item>
/// </list>
/// Everything else computes exactly what the interpreter computes from the same operands, so an element that depends
/// on none of these is exact (bits compared, NaN payload aside), and the others carry ranges through the ops after
/// them: each op is evaluated at the ends of its operands' ranges, plus the points where it changes direction (0 for
/// ×, ÷, abs, sign, 1/x; ±1 and 0 for pow; the peaks of sin and cos), which bounds every op that is monotone between
/// those points; an op that may give NaN at one point and a number at another makes the element unconstrained
/// (a comparison near its threshold becomes "either", a division by a range holding 0 gives ±Inf). Ranges through
/// libm functions evaluated at range ends are widened by one ulp more, since libm is not guaranteed monotone.
/// </para>
/// <para>
/// So the model is sound rather than sampled: ill-conditioned graphs (cos of a huge argument, whose one-ulp change is
/// a random angle; a cancelling difference; a division by a value near 0) get wide or unconstrained ranges instead
/// of a tolerance that a perturbed run happened to find. The price is that ranges only widen: where a value reaches
/// an output along two paths (x·(1 − x)) the range is wider than the true error. Ops the model does not know
/// (f32 conv2d, f16 and bf16 arithmetic) are exact when their operands are and unconstrained otherwise, except f32
/// conv2d, which is always unconstrained (it runs on the GEMM).
/// </para>
/// </summary>
internal static partial class FastModeEnclosures
{
    /// <summary>How far a VectorMath result may be from the interpreter's, in floats (2 ulp + the interpreter's 1).</summary>
    public const int TranscendentalUlps = 3;

    /// <summary>The f32 functions fast mode computes with VectorMath.</summary>
    private static readonly HashSet<string> VectorMathOps = ["exp", "log", "tanh", "logistic", "erf", "expm1", "log1p", "sin", "cos"];

    /// <summary>Functions the interpreter takes from libm (not correctly rounded, so not guaranteed monotone).</summary>
    private static readonly HashSet<string> LibmOps = ["exp", "log", "tanh", "logistic", "erf", "expm1", "log1p", "sin", "cos", "pow"];

    /// <summary>The enclosures of <paramref name="graph"/>'s outputs on <paramref name="inputs"/>.</summary>
    public static IReadOnlyList<Enclosure> Of(Graph graph, IReadOnlyList<HostTensor> inputs) => Of(graph, inputs.Select(Enclosure.Exact).ToArray());

    private static IReadOnlyList<Enclosure> Of(Graph graph, IReadOnlyList<Enclosure> inputs)
    {
        var values = new Dictionary<Value, Enclosure>(ReferenceEqualityComparer.Instance);
        for (int i = 0; i < inputs.Count; i++)
        {
            values[graph.Inputs[i]] = inputs[i];
        }
        Enclosure Read(Value value) => value is Literal literal ? Enclosure.Exact(HostTensor.Full(literal.Type, literal.Scalar)) : values[value];
        foreach (var node in graph.Nodes)
        {
            values[node] = Propagate(node, node.Operands.Select(Read).ToArray());
        }
        return graph.Outputs.Select(o => Read(o.Value)).ToArray();
    }

    private static Enclosure Propagate(Node node, Enclosure[] operands)
    {
        var dtype = node.Type.DType;
        bool floatOrBool = dtype is DType.F32 or DType.F64 or DType.Bool && operands.All(o => o.Type.DType is DType.F32 or DType.F64 or DType.Bool);
        if (node.Op.Traits.HasFlag(OpTraits.Movement))
        {
            return Movement(node, operands);
        }
        if (node.Op is Fused)
        {
            // A kernel of an already fused graph: its body, over the operands' enclosures.
            return Of(node.Attributes.Graph("body"), operands)[0];
        }
        if (floatOrBool)
        {
            switch (node.Op)
            {
                case UnaryElementwiseOp unary:
                    return Unary(node, unary, operands[0]);
                case BinaryElementwiseOp binary:
                    return Binary(node, binary, operands[0], operands[1]);
                case Where:
                    return Select(node, operands[0], operands[1], operands[2]);
                case Cast:
                    return CastBetweenFloatAndBool(node, operands[0]);
                case ReduceSum when dtype != DType.Bool:
                    return Sum(node, operands[0]);
                case ReduceMax or ReduceMin when dtype != DType.Bool:
                    return Extremum(node, operands[0]);
                case Matmul when dtype != DType.Bool:
                    return MatrixProduct(node, operands[0], operands[1]);
            }
        }
        return Generic(node, operands);
    }

    /// <summary>
    /// An op the model has no rule for: exact where all its operands are (fast mode computes it as the interpreter
    /// does, except an f32 conv2d, which runs on the GEMM), else unconstrained.
    /// </summary>
    private static Enclosure Generic(Node node, Enclosure[] operands)
    {
        bool onGemm = node.Op.Traits.HasFlag(OpTraits.Contraction) && node.Type.DType == DType.F32;
        if (onGemm || operands.Any(o => Enumerable.Range(0, (int)o.Count).Any(i => !o.IsExact(i))))
        {
            return Enclosure.Unconstrained(node.Type);
        }
        return Enclosure.Exact(Evaluate(node, operands.Select(o => Tensor(o.Type, o.Lo)).ToArray()));
    }

    /// <summary>
    /// Movement ops copy elements (or a fill value): each result element's enclosure is its source's. Which source
    /// that is comes from running the op on numbered elements twice, the second time shifted: an element that moves
    /// with the shift is a copy, one that does not is the fill.
    /// </summary>
    private static Enclosure Movement(Node node, Enclosure[] operands)
    {
        const double shift = 1099511627776.0; // 2^40
        var bases = new long[operands.Length + 1];
        for (int k = 0; k < operands.Length; k++)
        {
            bases[k + 1] = bases[k] + operands[k].Count;
        }
        HostTensor[] Numbered(double offset) => operands.Select((o, k) =>
            Tensor(o.Type.WithDType(DType.F64), Enumerable.Range(0, (int)o.Count).Select(i => bases[k] + i + 1 + offset).ToArray())).ToArray();
        var numbered = Evaluate(node, Numbered(0), DType.F64).ToDoubleArray();
        var shifted = Evaluate(node, Numbered(shift), DType.F64).ToDoubleArray();
        var filled = Evaluate(node, operands.Select(o => HostTensor.Zeros(o.Type)).ToArray());
        var result = new Enclosure(node.Type, new double[numbered.Length], new double[numbered.Length]);
        for (long j = 0; j < numbered.LongLength; j++)
        {
            if (shifted[j] - numbered[j] != shift)
            {
                double fill = filled.GetDouble(j);
                result.Set(j, (fill, fill));
                continue;
            }
            long source = (long)numbered[j] - 1;
            int k = Array.FindLastIndex(bases, b => b <= source);
            result.Set(j, (operands[k].Lo[source - bases[k]], operands[k].Hi[source - bases[k]]));
        }
        return result;
    }

    /// <summary>The node's op evaluated on <paramref name="operands"/>, with the node's result type (or its shape in <paramref name="dtype"/>).</summary>
    private static HostTensor Evaluate(Node node, IReadOnlyList<HostTensor> operands, DType? dtype = null) =>
        node.Op.Evaluate(new EvalContext(node.Op, operands, node.Attributes, dtype is { } d ? node.Type.WithDType(d) : node.Type, node.Loc));

    private static HostTensor Tensor(TensorType type, double[] values) => HostTensor.FromDoubles(type.DType, type.Shape, values);
}
