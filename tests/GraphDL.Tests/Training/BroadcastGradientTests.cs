using GraphDL.IR;
using static GraphDL.Tests.Training.TrainingTestUtil;

namespace GraphDL.Tests.Training;

using Autodiff = GraphDL.Autodiff;

/// <summary>Gradients of broadcast operands are summed over the broadcast dimensions back to the operand's shape (hand-computed).</summary>
public class BroadcastGradientTests
{
    private static readonly double[] X23 = [1, -2, 3, 0.5, 4, -1.5];   // [2,3]
    private static readonly double[] C23 = [0.25, 2, -1, 3, -0.5, 1.5]; // [2,3]

    [Fact]
    public void BiasVectorGetsColumnSums()
    {
        // L = Σ (x + b): ∂L/∂b = column sums of ones = [2, 2, 2].
        var plain = Trace.Function("f", a => Autodiff.Grad((a[0] + a[1]).Sum(), [a[0], a[1]]),
            TensorSpec.Input(DType.F64, 2, 3), TensorSpec.Input(DType.F64, 3));
        var grads = Run(plain, F64(X23, 2, 3), F64([0.1, 0.2, 0.3], 3));
        AssertClose([1, 1, 1, 1, 1, 1], grads[0], "grad x");
        AssertClose([2, 2, 2], grads[1], "grad b");

        // L = Σ c ⊙ (x + b): ∂L/∂b = column sums of c; ∂L/∂x = c.
        var weighted = Trace.Function("g", a => Autodiff.Grad(((a[0] + a[1]) * a[2]).Sum(), [a[0], a[1]]),
            TensorSpec.Input(DType.F64, 2, 3), TensorSpec.Input(DType.F64, 3), TensorSpec.Input(DType.F64, 2, 3));
        grads = Run(weighted, F64(X23, 2, 3), F64([0.1, 0.2, 0.3], 3), F64(C23, 2, 3));
        AssertClose(C23, grads[0], "grad x");
        AssertClose([0.25 + 3, 2 - 0.5, -1 + 1.5], grads[1], "grad b");
    }

    [Fact]
    public void RankZeroScaleGetsTheTotal()
    {
        // L = Σ x·s: ∂L/∂s = Σ x = 4; ∂L/∂x = s everywhere.
        var graph = Trace.Function("f", a => Autodiff.Grad((a[0] * a[1]).Sum(), [a[0], a[1]]),
            TensorSpec.Input(DType.F64, 2, 3), TensorSpec.Input(DType.F64));
        var grads = Run(graph, F64(X23, 2, 3), F64([-0.75]));
        AssertClose([-0.75, -0.75, -0.75, -0.75, -0.75, -0.75], grads[0], "grad x");
        Assert.Single(grads[1]);
        AssertClose([X23.Sum()], grads[1], "grad s");

        // L = Σ c ⊙ x·s: ∂L/∂s = Σ c ⊙ x.
        var weighted = Trace.Function("g", a => Autodiff.Grad((a[0] * a[1] * a[2]).Sum(), [a[1]]),
            TensorSpec.Input(DType.F64, 2, 3), TensorSpec.Input(DType.F64), TensorSpec.Input(DType.F64, 2, 3));
        var gs = Run(weighted, F64(X23, 2, 3), F64([-0.75]), F64(C23, 2, 3))[0];
        AssertClose([X23.Zip(C23, (x, c) => x * c).Sum()], gs, "grad s");
    }

    [Fact]
    public void SizeOneDimensionsBroadcastAgainstAnotherRank()
    {
        // a [2,1,3] + d [4,3] → [2,4,3]; L = Σ c ⊙ (a + d).
        // ∂L/∂a[i,0,k] = Σ_j c[i,j,k]; ∂L/∂d[j,k] = Σ_i c[i,j,k].
        var a = Enumerable.Range(0, 6).Select(v => 0.5 * v - 1).ToArray();
        var d = Enumerable.Range(0, 12).Select(v => 0.25 * v + 0.125).ToArray();
        var c = Enumerable.Range(0, 24).Select(v => (v % 5) - 1.5 + 0.1 * v).ToArray();
        double C(int i, int j, int k) => c[(i * 4 + j) * 3 + k];
        var graph = Trace.Function("f", t => Autodiff.Grad(((t[0] + t[1]) * t[2]).Sum(), [t[0], t[1]]),
            TensorSpec.Input(DType.F64, 2, 1, 3), TensorSpec.Input(DType.F64, 4, 3), TensorSpec.Input(DType.F64, 2, 4, 3));
        var grads = Run(graph, F64(a, 2, 1, 3), F64(d, 4, 3), F64(c, 2, 4, 3));
        var expectedA = new double[6];
        var expectedD = new double[12];
        for (int i = 0; i < 2; i++)
        {
            for (int j = 0; j < 4; j++)
            {
                for (int k = 0; k < 3; k++)
                {
                    expectedA[i * 3 + k] += C(i, j, k);
                    expectedD[j * 3 + k] += C(i, j, k);
                }
            }
        }
        AssertClose(expectedA, grads[0], "grad a");
        AssertClose(expectedD, grads[1], "grad d");

        // The product: L = Σ a ⊙ d, ∂L/∂a[i,0,k] = Σ_j d[j,k], ∂L/∂d[j,k] = Σ_i a[i,0,k].
        var product = Trace.Function("g", t => Autodiff.Grad((t[0] * t[1]).Sum(), [t[0], t[1]]),
            TensorSpec.Input(DType.F64, 2, 1, 3), TensorSpec.Input(DType.F64, 4, 3));
        grads = Run(product, F64(a, 2, 1, 3), F64(d, 4, 3));
        AssertClose(Enumerable.Range(0, 6).Select(ik => Enumerable.Range(0, 4).Sum(j => d[j * 3 + ik % 3])).ToArray(), grads[0], "grad a");
        AssertClose(Enumerable.Range(0, 12).Select(jk => a[jk % 3] + a[3 + jk % 3]).ToArray(), grads[1], "grad d");
    }

    [Fact]
    public void GradientsHaveTheOperandsTypes()
    {
        var graph = Trace.Function("f", t => Autodiff.Grad((t[0] * t[1] + t[2]).Sum(), [t[0], t[1], t[2]]),
            TensorSpec.Input(DType.F64, 2, 1, 3), TensorSpec.Input(DType.F64, 4, 3), TensorSpec.Input(DType.F64));
        Assert.Equal(["f64[2,1,3]", "f64[4,3]", "f64[]"], graph.Outputs.Select(o => o.Value.Type.ToString()));
    }
}
