using GraphDL.IR;
using TorchSharp;

namespace GraphDL.Bench.Torch;

/// <summary>The inputs both libraries get: the same numbers, made once from fixed seeds.</summary>
public static class BenchData
{
    /// <summary>Uniform in [-1, 1).</summary>
    public static float[] Uniform(long count, int seed)
    {
        var random = new Random(seed);
        var data = new float[count];
        for (long i = 0; i < count; i++)
        {
            data[i] = (float)(random.NextDouble() * 2 - 1);
        }
        return data;
    }

    /// <summary>Class labels in [0, classes).</summary>
    public static long[] Labels(int count, int classes, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => (long)random.Next(classes)).ToArray();
    }

    public static HostTensor GraphDLTensor(float[] data, params int[] shape) => HostTensor.FromArray(data, shape);

    public static HostTensor GraphDLTensor(long[] data, params int[] shape) => HostTensor.FromArray(data, shape);

    /// <summary>A libtorch tensor holding a copy of <paramref name="data"/>.</summary>
    public static torch.Tensor TorchTensor(float[] data, params long[] shape) => torch.tensor(data, shape);

    public static torch.Tensor TorchTensor(long[] data, params long[] shape) => torch.tensor(data, shape);
}
