using GraphDL.IR;

namespace GraphDL;

/// <summary>
/// A model component, as <c>torch.nn.Module</c>: it owns named parameters and buffers and child modules, has a
/// train/eval mode, and a <see cref="Forward"/> that builds IR when called inside a trace. Names are qualified by
/// the registration path (<c>encoder.l1.weight</c>).
/// </summary>
public abstract class Module
{
    private readonly List<(string Name, Module Module)> _children = [];
    private readonly List<Parameter> _parameters = [];
    private readonly List<Parameter> _buffers = [];

    /// <summary>True in training mode (the default): dropout is active and batch norm uses batch statistics.</summary>
    public bool Training { get; private set; } = true;

    /// <summary>Applies the module to one input. Modules with other signatures define their own methods.</summary>
    public virtual Tensor Forward(Tensor x) => throw new NotSupportedException($"{GetType().Name} does not take a single tensor; call its own method");

    /// <summary>Sets training mode on this module and every descendant; returns this.</summary>
    public Module Train(bool training = true)
    {
        Training = training;
        foreach (var (_, child) in _children)
        {
            child.Train(training);
        }
        return this;
    }

    /// <summary>Evaluation mode (<c>Train(false)</c>).</summary>
    public Module Eval() => Train(false);

    /// <summary>Registers a child module under <paramref name="name"/>; its parameters become <c>name.*</c>.</summary>
    protected T Register<T>(string name, T module) where T : Module
    {
        CheckName(name);
        module.Prefix(name + ".");
        _children.Add((name, module));
        return module;
    }

    /// <summary>Registers a trainable parameter with its initial value; returns its symbolic handle.</summary>
    protected Tensor AddParameter(string name, HostTensor initial)
    {
        CheckName(name);
        var parameter = new Parameter(name, initial, InputRole.Param);
        _parameters.Add(parameter);
        return parameter.Tensor;
    }

    /// <summary>Registers a buffer (state that is not trained, e.g. running statistics); returns its symbolic handle.</summary>
    protected Tensor AddBuffer(string name, HostTensor initial)
    {
        CheckName(name);
        var buffer = new Parameter(name, initial, InputRole.State);
        _buffers.Add(buffer);
        return buffer.Tensor;
    }

    /// <summary>
    /// Opens a source-line scope for a forward pass: every node it emits is stamped with the user's line that called
    /// the module (the first frame outside GraphDL), not with lines inside the module's own code.
    /// </summary>
    private protected static TraceContext.Scope AtUserLine(Tensor x) => x.Context.AtUserFrame();

    /// <summary>In the trace being built, gives <paramref name="buffer"/> a new value when the graph runs.</summary>
    protected static void UpdateBuffer(Tensor buffer, Tensor newValue)
    {
        var parameter = buffer.Parameter ?? throw new ArgumentException("only a buffer registered with AddBuffer can be updated", nameof(buffer));
        if (newValue.Type != buffer.Type)
        {
            throw new ArgumentException($"buffer '{parameter.Name}' is {buffer.Type}; its new value is {newValue.Type}", nameof(newValue));
        }
        newValue.Context.UpdateBuffer(parameter, newValue.Value);
    }

    /// <summary>All trainable parameters, depth first in registration order.</summary>
    public IEnumerable<Parameter> Parameters() => _parameters.Concat(_children.SelectMany(c => c.Module.Parameters()));

    /// <summary>All buffers, depth first in registration order.</summary>
    public IEnumerable<Parameter> Buffers() => _buffers.Concat(_children.SelectMany(c => c.Module.Buffers()));

    public IEnumerable<(string Name, Module Module)> Children() => _children;

    /// <summary>Parameters and buffers by qualified name (copies of the current values).</summary>
    public IReadOnlyDictionary<string, HostTensor> StateDict() =>
        Parameters().Concat(Buffers()).ToDictionary(p => p.Name, p => p.Data.Copy());

    /// <summary>Loads values by qualified name; every name must be present with the same type.</summary>
    public void LoadStateDict(IReadOnlyDictionary<string, HostTensor> state)
    {
        var all = Parameters().Concat(Buffers()).ToArray();
        var missing = all.Where(p => !state.ContainsKey(p.Name)).Select(p => p.Name).ToArray();
        var unexpected = state.Keys.Where(k => all.All(p => p.Name != k)).ToArray();
        if (missing.Length > 0 || unexpected.Length > 0)
        {
            throw new ArgumentException($"state dict does not match the model: missing [{string.Join(", ", missing)}], unexpected [{string.Join(", ", unexpected)}]");
        }
        // Copied, as torch copies into its parameters: a training step updates parameters in place, which must not
        // reach the tensors of the state dict (another model's parameters, say).
        foreach (var p in all)
        {
            p.Data = state[p.Name].Copy();
        }
    }

    /// <summary>
    /// Saves the parameters and buffers to a safetensors file, atomically (see <see cref="Checkpoint"/>); other tools
    /// read it by the qualified names of <see cref="StateDict"/>. Not synchronized with a training step running on this
    /// model: save between steps, or save the whole run with <see cref="Checkpoint.Save(string, TrainStep, LRScheduler?, IReadOnlyDictionary{string, string}?)"/>.
    /// </summary>
    public void Save(string path, IReadOnlyDictionary<string, string>? metadata = null) => Checkpoint.Save(path, this, metadata);

    /// <summary>
    /// Loads parameters and buffers from a safetensors file (a model file, or the model part of a training checkpoint);
    /// validated first, so a bad file changes nothing. Returns the file's user metadata.
    /// </summary>
    /// <exception cref="Runtime.Serialization.CheckpointException">The file is malformed or does not fit this model; the message names the tensor.</exception>
    public IReadOnlyDictionary<string, string> Load(string path) => Checkpoint.Load(path, this);

    /// <summary>The number of trainable scalars.</summary>
    public long ParameterCount() => Parameters().Sum(p => p.Type.ElementCount);

    private void Prefix(string prefix)
    {
        foreach (var p in _parameters.Concat(_buffers))
        {
            p.Name = prefix + p.Name;
        }
        foreach (var (_, child) in _children)
        {
            child.Prefix(prefix);
        }
    }

    private void CheckName(string name)
    {
        if (!IR.Text.GirSyntax.IsIdentifier(name) || name.Contains('.'))
        {
            throw new ArgumentException($"'{name}' is not a valid module member name (letters, digits and '_')", nameof(name));
        }
        if (_children.Any(c => c.Name == name) || _parameters.Concat(_buffers).Any(p => p.Name == name))
        {
            throw new ArgumentException($"{GetType().Name} already has a member named '{name}'", nameof(name));
        }
    }

    public override string ToString() => GetType().Name;
}
