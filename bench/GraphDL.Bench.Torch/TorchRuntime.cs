using TorchSharp;

namespace GraphDL.Bench.Torch;

/// <summary>Loads libtorch in the benchmark process and holds it to <see cref="TorchBenchConfig.Threads"/> threads.</summary>
public static class TorchRuntime
{
    /// <summary>
    /// Call first in every TorchSharp setup: the first touch of <see cref="torch"/> loads libLibTorchSharp.so and
    /// libtorch (and fails here, with the loader's message, if the output copy was not patched; see bench/README.md).
    /// </summary>
    public static void Initialize()
    {
        torch.set_num_threads(TorchBenchConfig.Threads);
        torch.manual_seed(0);
    }

    /// <summary>
    /// Gives <paramref name="target"/> the parameter values of <paramref name="source"/>. Both register their
    /// parameters in the same order with the same shapes (PyTorch's layouts: Linear weights out×in, conv weights
    /// out×in×kh×kw), which is checked.
    /// </summary>
    public static void CopyParameters(Module source, torch.nn.Module target)
    {
        var from = source.Parameters().ToList();
        var to = target.parameters().ToList();
        if (from.Count != to.Count)
        {
            throw new InvalidOperationException($"GraphDL model has {from.Count} parameters, the torch model {to.Count}");
        }
        using var noGrad = torch.no_grad();
        foreach (var (parameter, tensor) in from.Zip(to))
        {
            long[] shape = parameter.Type.Shape.Select(d => (long)d).ToArray();
            if (!shape.SequenceEqual(tensor.shape))
            {
                throw new InvalidOperationException(
                    $"{parameter.Name} is [{string.Join(", ", shape)}] in GraphDL, [{string.Join(", ", tensor.shape)}] in torch");
            }
            using var values = torch.tensor(parameter.Data.ToArray<float>(), shape);
            tensor.copy_(values);
        }
    }
}
