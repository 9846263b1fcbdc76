using GraphDL.IR;
using GraphDL.IR.Ops;

namespace GraphDL;

/// <summary>
/// Parameter initializers with PyTorch's formulas, drawing from one seeded Philox stream: the same
/// <see cref="ManualSeed"/> and the same construction order give the same model on every machine.
/// </summary>
public static class Init
{
    private static readonly object Gate = new();
    private static long _seed = 0;
    private static long _offset;

    /// <summary>Restarts the initialization stream (<c>torch.manual_seed</c>).</summary>
    public static void ManualSeed(long seed)
    {
        lock (Gate)
        {
            _seed = seed;
            _offset = 0;
        }
    }

    /// <summary>Uniform values in [<paramref name="low"/>, <paramref name="high"/>).</summary>
    public static HostTensor Uniform(TensorType type, double low, double high)
    {
        var values = Draw(type.ElementCount, uniform: true);
        for (long i = 0; i < values.LongLength; i++)
        {
            values[i] = low + (high - low) * values[i];
        }
        return HostTensor.FromDoubles(type.DType, type.Shape, values);
    }

    /// <summary>Normal values with the given mean and standard deviation.</summary>
    public static HostTensor Normal(TensorType type, double mean, double std)
    {
        var values = Draw(type.ElementCount, uniform: false);
        for (long i = 0; i < values.LongLength; i++)
        {
            values[i] = mean + std * values[i];
        }
        return HostTensor.FromDoubles(type.DType, type.Shape, values);
    }

    /// <summary>Fan-in and fan-out as PyTorch computes them: [out, in, *kernel] → (in·k, out·k).</summary>
    public static (int FanIn, int FanOut) Fans(Shape shape)
    {
        if (shape.Rank < 2)
        {
            throw new ArgumentException($"fan-in and fan-out need at least 2 dimensions, got {shape}");
        }
        int receptive = 1;
        for (int i = 2; i < shape.Rank; i++)
        {
            receptive *= shape[i];
        }
        return (shape[1] * receptive, shape[0] * receptive);
    }

    /// <summary>The gain for a nonlinearity, as <c>torch.nn.init.calculate_gain</c>.</summary>
    public static double Gain(string nonlinearity, double param = 0.01) => nonlinearity switch
    {
        "linear" or "conv2d" or "sigmoid" => 1,
        "tanh" => 5.0 / 3,
        "relu" => Math.Sqrt(2),
        "leaky_relu" => Math.Sqrt(2 / (1 + param * param)),
        "selu" => 3.0 / 4,
        _ => throw new ArgumentException($"unknown nonlinearity '{nonlinearity}'", nameof(nonlinearity)),
    };

    /// <summary>Kaiming/He uniform: U(−b, b) with b = gain·√(3/fan_in); PyTorch's Linear/Conv2d default uses a = √5.</summary>
    public static HostTensor KaimingUniform(TensorType type, double a = 0, string nonlinearity = "leaky_relu")
    {
        double bound = Gain(nonlinearity, a) * Math.Sqrt(3.0 / Fans(type.Shape).FanIn);
        return Uniform(type, -bound, bound);
    }

    /// <summary>
    /// PyTorch's default initialization of a layer (<c>reset_parameters</c> of Linear, Conv1d/2d, ConvTranspose2d):
    /// the weight Kaiming-uniform with a = √5, i.e. U(−1/√fan_in, 1/√fan_in), then, with <paramref name="bias"/>, a
    /// bias of <paramref name="biasSize"/> elements from U(−1/√fan_in, 1/√fan_in) with the weight's fan-in (0 when it
    /// is 0), drawn in that order.
    /// </summary>
    public static (HostTensor Weight, HostTensor? Bias) LayerDefault(TensorType weight, int biasSize, bool bias)
    {
        var w = KaimingUniform(weight, a: Math.Sqrt(5));
        if (!bias)
        {
            return (w, null);
        }
        int fanIn = Fans(weight.Shape).FanIn;
        double bound = fanIn > 0 ? 1 / Math.Sqrt(fanIn) : 0;
        return (w, Uniform(new TensorType(weight.DType, biasSize), -bound, bound));
    }

    /// <summary>Kaiming/He normal: N(0, (gain/√fan_in)²).</summary>
    public static HostTensor KaimingNormal(TensorType type, double a = 0, string nonlinearity = "leaky_relu") =>
        Normal(type, 0, Gain(nonlinearity, a) / Math.Sqrt(Fans(type.Shape).FanIn));

    /// <summary>Xavier/Glorot uniform: U(−b, b) with b = gain·√(6/(fan_in + fan_out)).</summary>
    public static HostTensor XavierUniform(TensorType type, double gain = 1)
    {
        var (fanIn, fanOut) = Fans(type.Shape);
        double bound = gain * Math.Sqrt(6.0 / (fanIn + fanOut));
        return Uniform(type, -bound, bound);
    }

    /// <summary>Xavier/Glorot normal: N(0, gain²·2/(fan_in + fan_out)).</summary>
    public static HostTensor XavierNormal(TensorType type, double gain = 1)
    {
        var (fanIn, fanOut) = Fans(type.Shape);
        return Normal(type, 0, gain * Math.Sqrt(2.0 / (fanIn + fanOut)));
    }

    private static double[] Draw(long count, bool uniform)
    {
        long blocks = uniform ? (count + 3) / 4 : (count + 1) / 2;
        long seed, offset;
        lock (Gate)
        {
            seed = _seed;
            offset = _offset;
            _offset += blocks;
        }
        var values = new double[count];
        for (long i = 0; i < count; i++)
        {
            if (uniform)
            {
                var words = Philox.StreamBlock(seed, offset, i / 4);
                values[i] = Philox.UniformFromWord(words[i % 4], 32);
            }
            else
            {
                var words = Philox.StreamBlock(seed, offset, i / 2);
                values[i] = i % 2 == 0 ? Philox.NormalFromWords(words[0], words[1]) : Philox.NormalFromWords(words[2], words[3]);
            }
        }
        return values;
    }
}
