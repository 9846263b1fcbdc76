namespace GraphDL.IR;

/// <summary>
/// One attribute an op accepts: name, kind, default (none means required) and, for strings, the allowed
/// choices. Ops list their specs; builder, parser and verifier all check attributes against them. An
/// <see cref="Omittable"/> attribute has no default: left out, it is absent from the node (and from the text form).
/// </summary>
public sealed record AttrSpec(string Name, AttrKind Kind, Attr? Default = null, IReadOnlyList<string>? Choices = null, bool MayBeAbsent = false)
{
    public bool IsRequired => Default is null && !MayBeAbsent;

    /// <summary>An attribute that may be left out and then is simply absent, e.g. <c>fused</c>'s <c>kernel</c> name.</summary>
    public static AttrSpec Omittable(string name, AttrKind kind) => new(name, kind, MayBeAbsent: true);

    public static AttrSpec Required(string name, AttrKind kind) => new(name, kind);

    public static AttrSpec Optional(string name, Attr defaultValue) => new(name, defaultValue.Kind, defaultValue);

    public static AttrSpec OneOf(string name, string defaultChoice, params string[] choices) =>
        new(name, AttrKind.String, new StringAttr(defaultChoice), choices);

    public static AttrSpec RequiredOneOf(string name, params string[] choices) => new(name, AttrKind.String, null, choices);
}
