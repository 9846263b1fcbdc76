using GraphDL.IR;

namespace GraphDL;

/// <summary>
/// A named tensor a model owns between calls: a trainable parameter (role param) or a buffer such as running
/// statistics (role state). <see cref="Data"/> is the current value; a training step replaces it after each update.
/// In a trace, <see cref="Tensor"/> stands for the graph input that holds it.
/// </summary>
public sealed class Parameter
{
    private HostTensor _data;

    internal Parameter(string name, HostTensor data, InputRole role)
    {
        Name = name;
        _data = data;
        Role = role;
        Tensor = new Tensor(this);
    }

    /// <summary>The qualified name, e.g. <c>l1.weight</c>, as it appears in state dicts and in the IR.</summary>
    public string Name { get; internal set; }

    public InputRole Role { get; }

    public TensorType Type => _data.Type;

    /// <summary>
    /// The current value. Replacing it must keep the type. A compiled training step updates it in place (its storage
    /// is donated to the step, see <see cref="GraphDL.Runtime.IExecutable.RunDonating"/>), as torch optimizers do:
    /// a tensor read from here, or assigned here, holds the new value after the step.
    /// </summary>
    public HostTensor Data
    {
        get => _data;
        set
        {
            if (value.Type != _data.Type)
            {
                throw new ArgumentException($"'{Name}' is {_data.Type}; cannot set it to a {value.Type}");
            }
            _data = value;
        }
    }

    /// <summary>The symbolic handle used inside traces.</summary>
    public Tensor Tensor { get; }

    public override string ToString() => $"{Name}: {Type} {Role.ToString().ToLowerInvariant()}";
}
