namespace GraphDL.IR;

/// <summary>Checks a node's attributes against its op's <see cref="AttrSpec"/>s and puts them in canonical form.</summary>
public static class AttributeSchema
{
    /// <summary>
    /// The one attribute every op accepts: <c>{checkpoint=K}</c> marks a node computed inside the DSL's
    /// <c>F.Checkpoint</c> region K, whose values the <c>remat</c> pass recomputes for the backward instead of saving
    /// them. It rides on the node, not on a side table, so it survives every pass that re-emits nodes with their
    /// attributes (CSE keeps marked and unmarked nodes apart); <c>remat</c> removes it.
    /// </summary>
    public const string CheckpointRegion = "checkpoint";

    /// <summary>The spec of <see cref="CheckpointRegion"/>, which every op accepts besides its own.</summary>
    public static AttrSpec CheckpointRegionSpec { get; } = AttrSpec.Omittable(CheckpointRegion, AttrKind.Int);

    /// <summary>
    /// Returns the attributes in the op's declared order with defaults filled in, or the list of problems
    /// (unknown name, missing required, wrong kind, choice not allowed).
    /// </summary>
    public static AttributeMap Normalize(OpDef op, AttributeMap given, out IReadOnlyList<AttributeProblem> problems)
    {
        if (ReferenceEquals(given.NormalizedFor, op))
        {
            problems = [];
            return given;
        }
        var errors = new List<AttributeProblem>();
        var specs = op.AttributeSpecs;
        foreach (var (name, _) in given)
        {
            if (!specs.Any(s => s.Name == name) && name != CheckpointRegion)
            {
                errors.Add(new(name, specs.Count == 0
                    ? $"{op.Name} takes no attributes, got '{name}'"
                    : $"{op.Name} has no attribute '{name}' (it takes {string.Join(", ", specs.Select(s => s.Name))})"));
            }
        }
        var seen = new HashSet<string>();
        foreach (var (name, _) in given)
        {
            if (!seen.Add(name))
            {
                errors.Add(new(name, $"attribute '{name}' is given twice"));
            }
        }
        var entries = new List<KeyValuePair<string, Attr>>();
        foreach (var spec in specs)
        {
            var value = given.Find(spec.Name) ?? spec.Default;
            if (value is null && spec.MayBeAbsent)
            {
                continue;
            }
            if (value is null)
            {
                errors.Add(new(null, $"{op.Name} needs attribute '{spec.Name}' ({Describe(spec.Kind)})"));
                continue;
            }
            if (value.Kind != spec.Kind)
            {
                errors.Add(new(spec.Name, $"attribute '{spec.Name}' of {op.Name} must be {Describe(spec.Kind)}, got {value.Format()}"));
                continue;
            }
            if (spec.Choices is { } choices && value is StringAttr s && !choices.Contains(s.Value))
            {
                errors.Add(new(spec.Name, $"attribute '{spec.Name}' of {op.Name} must be one of {string.Join(", ", choices.Select(c => $"\"{c}\""))}, got \"{s.Value}\""));
                continue;
            }
            entries.Add(KeyValuePair.Create(spec.Name, value));
        }
        if (given.Find(CheckpointRegion) is { } region)
        {
            if (region.Kind == AttrKind.Int)
            {
                entries.Add(KeyValuePair.Create(CheckpointRegion, region));
            }
            else
            {
                errors.Add(new(CheckpointRegion, $"attribute '{CheckpointRegion}' must be {Describe(AttrKind.Int)} (a checkpoint region id), got {region.Format()}"));
            }
        }
        problems = errors;
        return new AttributeMap(entries) { NormalizedFor = errors.Count == 0 ? op : null };
    }

    public static string Describe(AttrKind kind) => kind switch
    {
        AttrKind.Int => "an integer",
        AttrKind.IntList => "a list of integers like [0,1]",
        AttrKind.Float => "a number",
        AttrKind.Bool => "true or false",
        AttrKind.String => "a quoted string",
        AttrKind.DType => "a dtype like f32",
        AttrKind.Scalar => "a number of the result's dtype",
        AttrKind.Tensor => "a tensor literal of the result's type",
        AttrKind.Graph => "a body '{ (%x: type, ...) ... return %v }' after the node's type",
        _ => kind.ToString(),
    };
}

/// <summary>One attribute problem; <see cref="Name"/> is the attribute at fault, or null when one is missing.</summary>
public sealed record AttributeProblem(string? Name, string Message);
