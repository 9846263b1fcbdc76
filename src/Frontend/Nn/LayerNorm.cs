using GraphDL.IR;

namespace GraphDL;

/// <summary>
/// Layer normalization over the last dimensions given by <c>normalizedShape</c> (<c>torch.nn.LayerNorm</c>, see
/// <see cref="F.LayerNorm"/>), with an elementwise <c>weight</c> (ones) and <c>bias</c> (zeros) of that shape.
/// </summary>
public sealed class LayerNorm : Module
{
    public LayerNorm(int normalizedShape, double eps = 1e-5, bool elementwiseAffine = true, bool bias = true, DType dtype = DType.F32)
        : this([normalizedShape], eps, elementwiseAffine, bias, dtype)
    {
    }

    public LayerNorm(int[] normalizedShape, double eps = 1e-5, bool elementwiseAffine = true, bool bias = true, DType dtype = DType.F32)
    {
        NormalizedShape = (int[])normalizedShape.Clone();
        Eps = eps;
        var type = new TensorType(dtype, new Shape(NormalizedShape));
        if (elementwiseAffine)
        {
            Weight = AddParameter("weight", HostTensor.Full(type, Scalar.FromDouble(dtype, 1)));
            if (bias)
            {
                Bias = AddParameter("bias", HostTensor.Zeros(type));
            }
        }
    }

    public IReadOnlyList<int> NormalizedShape { get; }

    public double Eps { get; }

    public Tensor? Weight { get; }

    public Tensor? Bias { get; }

    public override Tensor Forward(Tensor x)
    {
        using var _ = AtUserLine(x);
        return F.LayerNorm(x, [.. NormalizedShape], Weight, Bias, Eps);
    }
}
