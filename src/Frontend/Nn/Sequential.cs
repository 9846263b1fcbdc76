namespace GraphDL;

/// <summary>Applies its children in order; they are named m0, m1, m2, ... (<c>m0.weight</c>; names must start with a letter) unless named explicitly.</summary>
public sealed class Sequential : Module
{
    private readonly List<Module> _layers = [];

    public Sequential(params Module[] layers)
    {
        foreach (var layer in layers)
        {
            _layers.Add(Register($"m{_layers.Count}", layer));
        }
    }

    public Sequential(params (string Name, Module Layer)[] layers)
    {
        foreach (var (name, layer) in layers)
        {
            _layers.Add(Register(name, layer));
        }
    }

    public IReadOnlyList<Module> Layers => _layers;

    public override Tensor Forward(Tensor x) => _layers.Aggregate(x, (h, layer) => layer.Forward(h));
}

/// <summary>max(x, 0) as a module.</summary>
public sealed class ReLU : Module
{
    public override Tensor Forward(Tensor x)
    {
        using var _ = AtUserLine(x);
        return F.Relu(x);
    }
}

/// <summary>Flattens all dimensions from <c>startDim</c> (default 1, keeping the batch axis).</summary>
public sealed class Flatten(int startDim = 1) : Module
{
    public override Tensor Forward(Tensor x)
    {
        int start = startDim < 0 ? startDim + x.Rank : startDim;
        var dims = x.Shape.Take(start).Append(-1).ToArray();
        return x.Reshape(dims);
    }
}
