using Sprache;

namespace GraphDL.IR.Text;

/// <summary>
/// The syntax of <c>.gir</c> as Sprache combinators. Tokens consume the whitespace and <c>//</c> comments after
/// them, so a parser that fails at the start of a token has consumed nothing, and <c>XMany</c>/<c>XOr</c> report the
/// error where it is rather than backtracking to the start of the statement. Only syntax lives here; names, types
/// and attributes are checked by <see cref="GirParser"/>.
/// </summary>
internal static class GirGrammar
{
    private static readonly Parser<string> Comment =
        from slashes in Parse.String("//")
        from text in Parse.CharExcept('\n').Many()
        select "";

    private static readonly Parser<string> Blank = Parse.Chars(" \t\r\n").Return("");

    /// <summary>Whitespace and comments.</summary>
    public static readonly Parser<string> Skip = Blank.Or(Comment).Many().Return("");

    private static Parser<T> Tok<T>(Parser<T> parser) =>
        from value in parser
        from _ in Skip
        select value;

    private static Parser<Located<T>> At<T>(Parser<T> parser) =>
        parser.Span().Select(s => new Located<T>(s.Value, TextPos.From(s.Start)));

    private static Parser<TextPos> Here => At(Parse.Return(0)).Select(l => l.Pos);

    private static Parser<string> Sym(string symbol) => Tok(Parse.String(symbol).Text()).Named($"'{symbol}'");

    /// <summary>The closing bracket of a comma-separated list, named for what could have come instead.</summary>
    private static Parser<string> Close(string symbol, bool afterItems, string item) =>
        Sym(symbol).Named(afterItems ? $"',' or '{symbol}'" : $"{item} or '{symbol}'");

    private static readonly Parser<string> IdentifierText =
        from first in Parse.Char(c => char.IsAsciiLetter(c) || c == '_', "letter")
        from rest in Parse.Char(c => char.IsAsciiLetterOrDigit(c) || c == '_' || c == '.', "identifier character").Many().Text()
        select first + rest;

    private static readonly Parser<Located<string>> Word = Tok(At(IdentifierText)).Named("identifier");

    private static Parser<Located<string>> Keyword(string word) =>
        Tok(At(IdentifierText.Where(w => w == word))).Named($"'{word}'");

    /// <summary>A value name after '%': an identifier or a number (<c>%x</c>, <c>%12</c>).</summary>
    private static readonly Parser<string> ValueNameText =
        IdentifierText.Or(Parse.Digit.AtLeastOnce().Text());

    private static readonly Parser<Located<string>> ValueName =
        Tok(At(from percent in Parse.Char('%') from name in ValueNameText.Named("value name") select name)).Named("'%name'");

    private static readonly Parser<string> Digits = Parse.Digit.AtLeastOnce().Text();

    /// <summary>Numbers as text (converted once their dtype is known): <c>3</c>, <c>-0.5</c>, <c>1e-3</c>, <c>-inf</c>.</summary>
    private static readonly Parser<string> NumberText =
        from sign in Parse.Char('-').Once().Text().Optional()
        from body in
            (from whole in Digits
             from fraction in (from dot in Parse.Char('.') from digits in Parse.Digit.Many().Text() select "." + digits).Optional()
             from exponent in (from e in Parse.Chars("eE")
                               from s in Parse.Chars("+-").Once().Text().Optional()
                               from digits in Digits
                               select "e" + s.GetOrElse("") + digits).Optional()
             select whole + fraction.GetOrElse("") + exponent.GetOrElse(""))
            .Or(IdentifierText.Where(w => w is "inf" or "nan"))
        select sign.GetOrElse("") + body;

    private static readonly Parser<string> StringText =
        from open in Parse.Char('"')
        from chars in Parse.Char('\\').Then(_ => Parse.Chars("\"\\")).Or(Parse.Char(c => c != '"' && c != '\\' && c != '\n', "string character")).Many().Text()
        from close in Parse.Char('"').Named("closing '\"'")
        select chars;

    private static readonly Parser<TypeAst> Type =
        from dtype in Tok(At(IdentifierText)).Named("type like f32[4,8]")
        from open in Sym("[")
        from dims in Tok(At(Digits)).Named("dimension").XDelimitedBy(Sym(",")).XOptional()
        from close in Close("]", dims.IsDefined, "dimension")
        select new TypeAst(dtype, dims.GetOrElse([]).ToArray(), dtype.Pos);

    private static readonly Parser<InputAst> Input =
        from name in ValueName
        from colon in Sym(":")
        from type in Type
        from role in Word.Named("role (input, param or state)")
        select new InputAst(name, type, role);

    private static readonly Parser<ResultAst> Result =
        from pos in Here
        from name in (from n in Word from colon in Sym(":") select n).Optional()
        from type in Type
        from aliases in (from kw in Keyword("aliases") from target in ValueName select target).XOptional()
        select new ResultAst(name.GetOrDefault(), type, aliases.GetOrDefault(), pos);

    private static readonly Parser<OperandAst> Operand =
        ValueName.Select(n => new OperandAst(n.Value, true, n.Pos))
        .XOr(Tok(At(NumberText.XOr(IdentifierText))).Select(l => new OperandAst(l.Value, false, l.Pos)))
        .Named("operand (%name or a literal)");

    private static readonly Parser<AttrValueAst> AttrValue = Parse.Ref(() =>
        Tok(At(NumberText)).Select(l => (AttrValueAst)new NumberAst(l.Value, l.Pos))
        .XOr(Tok(At(StringText)).Select(l => (AttrValueAst)new StringAst(l.Value, l.Pos)))
        .XOr(Word.Select(l => (AttrValueAst)new WordAst(l.Value, l.Pos)))
        .XOr(List)
        .Named("attribute value"));

    private static readonly Parser<AttrValueAst> List =
        from open in Tok(At(Parse.Char('[')))
        from items in AttrValue.XDelimitedBy(Sym(",")).XOptional()
        from close in Sym("]")
        select (AttrValueAst)new ListAst(items.GetOrElse([]).ToArray(), open.Pos);

    private static readonly Parser<AttrAst> Attribute =
        from name in Word.Named("attribute name")
        from eq in Sym("=")
        from value in AttrValue
        select new AttrAst(name, value);

    private static readonly Parser<LocAst> Loc =
        from kw in Keyword("loc")
        from open in Sym("(")
        from file in Tok(StringText).Named("quoted file name")
        from colon in Sym(":")
        from line in Tok(At(Digits)).Named("line number")
        from close in Sym(")")
        select new LocAst(file, line);

    /// <summary>
    /// A parser defined later, for recursion. Not <c>Parse.Ref</c>: its left-recursion memo throws when a parser that
    /// failed is tried again at the same place, which <c>XMany</c> does to tell a clean stop from a partial item.
    /// </summary>
    private static Parser<T> Deferred<T>(Func<Parser<T>> reference)
    {
        Parser<T>? parser = null;
        return input =>
        {
            parser ??= reference();
            return parser(input);
        };
    }

    /// <summary>
    /// Zero or more items, failing where an item fails after consuming input, as <c>XMany</c> does; but <c>XMany</c>
    /// parses the failing item a second time to find that out, which nested bodies would turn into time exponential
    /// in their depth.
    /// </summary>
    private static Parser<IEnumerable<T>> Sequence<T>(Parser<T> item) => input =>
    {
        var items = new List<T>();
        var rest = input;
        while (true)
        {
            var result = item(rest);
            if (!result.WasSuccessful)
            {
                return result.Remainder.Equals(rest)
                    ? Sprache.Result.Success<IEnumerable<T>>(items, rest)
                    : Sprache.Result.Failure<IEnumerable<T>>(result.Remainder, result.Message, result.Expectations);
            }
            if (result.Remainder.Equals(rest))
            {
                return Sprache.Result.Success<IEnumerable<T>>(items, rest);
            }
            items.Add(result.Value);
            rest = result.Remainder;
        }
    };

    private static readonly Parser<RegionInputAst> RegionInput =
        from name in ValueName
        from colon in Sym(":")
        from type in Type
        select new RegionInputAst(name, type);

    /// <summary>A nested body; its nodes are <see cref="Node"/>s again, so bodies nest (bounded by the parser's bracket depth limit).</summary>
    private static readonly Parser<RegionAst> Region =
        from open in Tok(At(Parse.Char('{'))).Named("'{'")
        from openInputs in Sym("(").Named("'(' starting the body's inputs")
        from inputs in RegionInput.XDelimitedBy(Sym(",")).XOptional()
        from closeInputs in Close(")", inputs.IsDefined, "body input '%name: type'")
        from nodes in Sequence(Deferred(() => Node!)) // Node is initialized below, before any parse runs
        from ret in Keyword("return").Named("a node '%name = op(...)' or 'return'")
        from returns in Operand.XDelimitedBy(Sym(",")).XOptional()
        from end in Sym("}")
        select new RegionAst(inputs.GetOrElse([]).ToArray(), nodes.ToArray(), returns.GetOrElse([]).ToArray(), ret.Pos, open.Pos);

    private static readonly Parser<NodeAst> Node =
        from result in ValueName
        from eq in Sym("=")
        from op in Word.Named("op name")
        from open in Sym("(")
        from operands in Operand.XDelimitedBy(Sym(",")).XOptional()
        from close in Close(")", operands.IsDefined, "operand")
        from attributes in (from brace in Sym("{")
                            from list in Attribute.XDelimitedBy(Sym(",")).XOptional()
                            from end in Sym("}")
                            select list.GetOrElse([])).XOptional()
        from colon in Sym(":")
        from type in Type
        from loc in Loc.XOptional()
        from region in Region.XOptional()
        select new NodeAst(result, op, operands.GetOrElse([]).ToArray(), attributes.GetOrElse([]).ToArray(), type, loc.GetOrDefault(),
            region.GetOrDefault());

    private static readonly Parser<GraphAst> Graph =
        from kw in Keyword("graph")
        from at in Sym("@")
        from name in Word.Named("graph name")
        from open in Sym("(")
        from inputs in Input.XDelimitedBy(Sym(",")).XOptional()
        from close in Close(")", inputs.IsDefined, "input '%name: type role'")
        from arrow in Sym("->")
        from open2 in Sym("(")
        from results in Result.XDelimitedBy(Sym(",")).XOptional()
        from close2 in Sym(")")
        from brace in Sym("{")
        from nodes in Sequence(Node)
        from ret in Keyword("return").Named("a node '%name = op(...)' or 'return'")
        from returns in Operand.XDelimitedBy(Sym(",")).XOptional()
        from end in Sym("}")
        select new GraphAst(name, inputs.GetOrElse([]).ToArray(), results.GetOrElse([]).ToArray(), nodes.ToArray(),
            returns.GetOrElse([]).ToArray(), ret.Pos);

    /// <summary>A module: one or more graphs.</summary>
    public static readonly Parser<IReadOnlyList<GraphAst>> Module =
        from lead in Skip
        from graphs in Graph.XAtLeastOnce()
        from end in Parse.AnyChar.Not().Named("end of file or another 'graph'")
        select (IReadOnlyList<GraphAst>)graphs.ToArray();
}
