namespace GraphDL.Examples.FashionMnistCnn;

/// <summary>
/// The convnet of the course: two blocks of 3×3 convolution (padding 1), batch norm, ReLU and 2×2 max-pool
/// (28×28 → 14×14 → 7×7), then dropout and one linear layer to the ten classes. Images come in as rows of 784
/// pixels and are viewed as 1×28×28.
/// </summary>
public sealed class FashionCnn : Module
{
    private readonly Sequential _features;
    private readonly Sequential _classifier;

    public FashionCnn(int channels1 = 16, int channels2 = 32, double dropout = 0.25)
    {
        _features = Register("features", new Sequential(
            new Conv2d(1, channels1, 3, padding: 1), new BatchNorm2d(channels1), new ReLU(), new MaxPool2d(2),
            new Conv2d(channels1, channels2, 3, padding: 1), new BatchNorm2d(channels2), new ReLU(), new MaxPool2d(2)));
        _classifier = Register("classifier", new Sequential(new Flatten(), new Dropout(dropout), new Linear(channels2 * 7 * 7, 10)));
    }

    public override Tensor Forward(Tensor x) => _classifier.Forward(_features.Forward(x.Reshape(x.Shape[0], 1, 28, 28)));
}
