using GraphDL.IR;

namespace GraphDL;

/// <summary>
/// y = x·Wᵀ + b, with W of shape [out, in] as in PyTorch. Initialized as PyTorch does: W ~ Kaiming-uniform with
/// a = √5, i.e. U(−1/√in, 1/√in), and b ~ U(−1/√in, 1/√in).
/// </summary>
public sealed class Linear : Module
{
    public Linear(int inFeatures, int outFeatures, bool bias = true, DType dtype = DType.F32)
    {
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
        var weightType = new TensorType(dtype, outFeatures, inFeatures);
        Weight = AddParameter("weight", Init.KaimingUniform(weightType, a: Math.Sqrt(5)));
        if (bias)
        {
            double bound = inFeatures > 0 ? 1 / Math.Sqrt(inFeatures) : 0;
            Bias = AddParameter("bias", Init.Uniform(new TensorType(dtype, outFeatures), -bound, bound));
        }
    }

    public int InFeatures { get; }

    public int OutFeatures { get; }

    public Tensor Weight { get; }

    public Tensor? Bias { get; }

    public override Tensor Forward(Tensor x)
    {
        using var _ = AtUserLine(x);
        return F.Linear(x, Weight, Bias);
    }
}
