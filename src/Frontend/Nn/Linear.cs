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
        var (weight, initialBias) = Init.LayerDefault(weightType, outFeatures, bias);
        Weight = AddParameter("weight", weight);
        Bias = initialBias is null ? null : AddParameter("bias", initialBias);
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
