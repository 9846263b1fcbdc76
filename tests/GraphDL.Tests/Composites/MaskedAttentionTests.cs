using GraphDL.IR;
using static GraphDL.Tests.Composites.CompositeRun;

namespace GraphDL.Tests.Composites;

/// <summary>
/// scaled_dot_product_attention with a query row whose every key is masked (by a bool mask, by causal plus a mask, by a
/// float mask of −∞): that row's output is zeros and every gradient is finite, as libtorch gives; the other rows are
/// the softmax attention of a double reference. On the interpreter and the compiled CPU backend.
/// </summary>
public class MaskedAttentionTests
{
    private static readonly double[] Q = [0.3, -0.5, 1.2, 0.4, -0.8, 0.9], K = [0.7, 0.1, -0.4, 1.1, 0.6, -0.9], V = [1, 2, -1, 0.5, 3, -2];

    /// <summary>Row i: Σ_j softmax_j(q_i·k_j/√E over allowed j)·v_j, or zeros when no j is allowed.</summary>
    private static double[] Reference(bool[] allowed)
    {
        var output = new double[6];
        for (int i = 0; i < 3; i++)
        {
            var keys = Enumerable.Range(0, 3).Where(j => allowed[i * 3 + j]).ToArray();
            if (keys.Length == 0)
            {
                continue;
            }
            var scores = keys.Select(j => (Q[2 * i] * K[2 * j] + Q[2 * i + 1] * K[2 * j + 1]) / Math.Sqrt(2)).ToArray();
            double max = scores.Max();
            var e = scores.Select(s => Math.Exp(s - max)).ToArray();
            double sum = e.Sum();
            for (int a = 0; a < keys.Length; a++)
            {
                output[2 * i] += e[a] / sum * V[2 * keys[a]];
                output[2 * i + 1] += e[a] / sum * V[2 * keys[a] + 1];
            }
        }
        return output;
    }

    private static readonly bool[] RowOneMasked = [true, false, true, false, false, false, true, true, false];

    private static HostTensor Mask(bool[] values) => I64(values.Select(b => b ? 1L : 0L).ToArray(), 3, 3);

    private static HostTensor[] Inputs(bool[] mask) => [F64(Q, 3, 2), F64(K, 3, 2), F64(V, 3, 2), Mask(mask)];

    /// <summary>Gradients of ⟨u, attention⟩ with respect to q, k and v.</summary>
    private static Func<Tensor[], Tensor[]> Gradients(Func<Tensor[], Tensor> attention) =>
        x => GraphDL.Autodiff.Grad((attention(x) * F.Constant(F64([0.5, -1, 2, 1, -0.3, 0.7], 3, 2))).Sum(), [x[0], x[1], x[2]]);

    [Fact]
    public void AFullyMaskedRowGivesZerosAndFiniteGradients()
    {
        Func<Tensor[], Tensor> attention = x => F.ScaledDotProductAttention(x[0], x[1], x[2], mask: x[3].Ne(0.0));
        var inputs = Inputs(RowOneMasked);
        var output = One(attention, inputs);
        AssertClose(Reference(RowOneMasked), output, 1e-15, 1e-14);
        Assert.Equal([0.0, 0.0], output.ToDoubleArray()[2..4]);
        var grads = Run(Trace(Gradients(attention), inputs), inputs);
        Assert.All(grads, g => Assert.All(g.ToDoubleArray(), v => Assert.True(double.IsFinite(v), $"{g}")));
        Assert.Equal([0.0, 0.0], grads[0].ToDoubleArray()[2..4]);
        // The masked row takes no part: the gradients equal those with that row's output dropped from ⟨u, ·⟩.
        var dropped = Run(Trace(x => GraphDL.Autodiff.Grad((attention(x) * F.Constant(F64([0.5, -1, 0, 0, -0.3, 0.7], 3, 2))).Sum(), [x[0], x[1], x[2]]), inputs), inputs);
        for (int i = 0; i < 3; i++)
        {
            AssertClose(dropped[i].ToDoubleArray(), grads[i], 1e-15, 1e-14, $"grad {i}");
        }
    }

    [Fact]
    public void CausalPlusMaskAndMinusInfinityFloatMasksToo()
    {
        // Causal keeps j ≤ i; the mask removes key 0 from row 0, which leaves row 0 nothing.
        bool[] mask = [false, true, true, true, true, true, true, false, true];
        var allowed = mask.Select((m, e) => m && e % 3 <= e / 3).ToArray();
        var causal = One(x => F.ScaledDotProductAttention(x[0], x[1], x[2], causal: true, mask: x[3].Ne(0.0)), Inputs(mask));
        AssertClose(Reference(allowed), causal, 1e-15, 1e-14, "causal");
        Assert.Equal([0.0, 0.0], causal.ToDoubleArray()[..2]);
        var additive = RowOneMasked.Select(m => m ? 0.0 : double.NegativeInfinity).ToArray();
        var floatMask = One(x => F.ScaledDotProductAttention(x[0], x[1], x[2], mask: x[3]), F64(Q, 3, 2), F64(K, 3, 2), F64(V, 3, 2), F64(additive, 3, 3));
        AssertClose(Reference(RowOneMasked), floatMask, 1e-15, 1e-14, "float mask");
    }

    [Fact]
    public void CompiledBackendAgrees()
    {
        Func<Tensor[], Tensor> attention = x => F.ScaledDotProductAttention(x[0], x[1], x[2], mask: x[3].Ne(0.0));
        var inputs = Inputs(RowOneMasked);
        AssertClose(Reference(RowOneMasked), ClassLossValueTests.Compiled(attention, inputs), 1e-15, 1e-13, "forward");
        var expected = Run(Trace(Gradients(attention), inputs), inputs);
        for (int i = 0; i < 3; i++)
        {
            int which = i;
            var compiled = ClassLossValueTests.Compiled(x => Gradients(attention)(x)[which], inputs);
            AssertClose(expected[i].ToDoubleArray(), compiled, 1e-15, 1e-13, $"grad {i}");
        }
    }
}
