namespace GraphDL.IR.Text;

/// <summary>A 1-based line and column in a <c>.gir</c> file.</summary>
internal readonly record struct TextPos(int Line, int Column)
{
    public static TextPos From(Sprache.Position position) => new(position.Line, position.Column);
}

internal sealed record Located<T>(T Value, TextPos Pos);

internal sealed record TypeAst(Located<string> DType, IReadOnlyList<Located<string>> Dims, TextPos Pos);

internal sealed record InputAst(Located<string> Name, TypeAst Type, Located<string> Role);

internal sealed record ResultAst(Located<string>? Name, TypeAst Type, Located<string>? Aliases, TextPos Pos);

/// <summary>An operand: <c>%name</c> (IsReference) or a literal's text (<c>0.0</c>, <c>-inf</c>, <c>true</c>).</summary>
internal sealed record OperandAst(string Text, bool IsReference, TextPos Pos);

/// <summary>An attribute value before it is typed by the op's schema: a word, number, string or list.</summary>
internal abstract record AttrValueAst(TextPos Pos);

internal sealed record WordAst(string Text, TextPos Pos) : AttrValueAst(Pos);

internal sealed record NumberAst(string Text, TextPos Pos) : AttrValueAst(Pos);

internal sealed record StringAst(string Text, TextPos Pos) : AttrValueAst(Pos);

internal sealed record ListAst(IReadOnlyList<AttrValueAst> Items, TextPos Pos) : AttrValueAst(Pos);

internal sealed record AttrAst(Located<string> Name, AttrValueAst Value);

internal sealed record LocAst(string File, Located<string> Line);

internal sealed record NodeAst(
    Located<string> Result,
    Located<string> Op,
    IReadOnlyList<OperandAst> Operands,
    IReadOnlyList<AttrAst> Attributes,
    TypeAst Type,
    LocAst? Loc,
    RegionAst? Region);

/// <summary>A body input: <c>%x: f32[4]</c> (bodies have no roles).</summary>
internal sealed record RegionInputAst(Located<string> Name, TypeAst Type);

/// <summary>A nested body after a node's type: <c>{ (%x: f32[4]) %0 = neg(%x) : f32[4] return %0 }</c>.</summary>
internal sealed record RegionAst(
    IReadOnlyList<RegionInputAst> Inputs,
    IReadOnlyList<NodeAst> Nodes,
    IReadOnlyList<OperandAst> Returns,
    TextPos ReturnPos,
    TextPos Pos);

internal sealed record GraphAst(
    Located<string> Name,
    IReadOnlyList<InputAst> Inputs,
    IReadOnlyList<ResultAst> Results,
    IReadOnlyList<NodeAst> Nodes,
    IReadOnlyList<OperandAst> Returns,
    TextPos ReturnPos);
