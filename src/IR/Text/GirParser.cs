using System.Globalization;
using GraphDL.IR.Verification;
using Sprache;

namespace GraphDL.IR.Text;

/// <summary>
/// Reads the <c>.gir</c> text form back into graphs: the inverse of <see cref="GirPrinter"/>, such that
/// <c>Print(Parse(Print(g))) == Print(g)</c>. Syntax is parsed by <see cref="GirGrammar"/>; this class resolves names,
/// types attributes by the op's schema, builds each graph and runs the <see cref="Verifier"/> on it, reporting every
/// problem at its line and column. Whatever the input, the only exception it throws is <see cref="IrParseException"/>.
/// Nested bodies are read in <c>GirParser.Regions.cs</c>.
/// </summary>
public static partial class GirParser
{
    /// <summary>Parses a file holding exactly one graph.</summary>
    public static Graph Parse(string text, string fileName = "<input>")
    {
        var graphs = ParseModule(text, fileName);
        if (graphs.Count != 1)
        {
            throw new IrParseException([new(fileName, 1, 1, $"expected exactly one graph, found {graphs.Count}")], text);
        }
        return graphs[0];
    }

    /// <summary>Parses a module: one or more graphs.</summary>
    public static IReadOnlyList<Graph> ParseModule(string text, string fileName = "<input>")
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(fileName);
        var session = new Session(text, fileName);
        var asts = session.Syntax();
        var graphs = asts is null ? [] : asts.Select(session.Build).ToArray();
        var names = new HashSet<string>();
        if (asts is not null)
        {
            foreach (var ast in asts.Where(a => !names.Add(a.Name.Value)))
            {
                session.Error(ast.Name.Pos, $"graph @{ast.Name.Value} is defined twice");
            }
        }
        session.ThrowIfAny();
        return graphs!;
    }

    /// <summary>Reads and parses a file; diagnostics name it by its file name.</summary>
    public static IReadOnlyList<Graph> ParseFile(string path) => ParseModule(File.ReadAllText(path), Path.GetFileName(path));

    private sealed partial class Session(string text, string fileName)
    {
        private readonly List<IrDiagnostic> _diagnostics = [];

        public void Error(TextPos pos, string message) => _diagnostics.Add(new(fileName, pos.Line, pos.Column, message));

        public void ThrowIfAny()
        {
            if (_diagnostics.Count > 0)
            {
                throw new IrParseException(_diagnostics.OrderBy(d => d.Line).ThenBy(d => d.Column).ToArray(), text);
            }
        }

        public IReadOnlyList<GraphAst>? Syntax()
        {
            if (TooDeep() is { } deep)
            {
                Error(deep, $"brackets nest deeper than {GirSyntax.MaxNesting} levels");
                return null;
            }
            var result = GirGrammar.Module.TryParse(text);
            if (result.WasSuccessful)
            {
                return result.Value;
            }
            var at = result.Remainder;
            var expected = result.Expectations.Distinct().ToArray();
            var message = expected.Length > 0 ? "expected " + string.Join(" or ", expected) : result.Message;
            Error(new TextPos(at.Line, at.Column), $"{message}, found {Found(at)}");
            return null;
        }

        private static string Found(IInput at)
        {
            if (at.AtEnd)
            {
                return "end of file";
            }
            var rest = at.Source.AsSpan(at.Position);
            int length = 0;
            while (length < rest.Length && length < 16 && !char.IsWhiteSpace(rest[length]))
            {
                length++;
            }
            return length == 0 ? rest[0] == '\n' ? "end of line" : "whitespace" : $"'{rest[..length]}'";
        }

        /// <summary>Where bracket nesting first exceeds the limit (outside strings and comments), so recursion is bounded.</summary>
        private TextPos? TooDeep()
        {
            int depth = 0, line = 1, column = 1;
            bool inString = false, inComment = false;
            for (int i = 0; i < text.Length; i++, column++)
            {
                char c = text[i];
                if (c == '\n')
                {
                    line++;
                    column = 0;
                    inComment = inString = false;
                }
                else if (inComment)
                {
                }
                else if (inString)
                {
                    if (c == '\\')
                    {
                        i++;
                        column++;
                    }
                    else if (c == '"')
                    {
                        inString = false;
                    }
                }
                else if (c == '"')
                {
                    inString = true;
                }
                else if (c == '/' && i + 1 < text.Length && text[i + 1] == '/')
                {
                    inComment = true;
                }
                else if (c is '[' or '(' or '{')
                {
                    if (++depth > GirSyntax.MaxNesting)
                    {
                        return new TextPos(line, column);
                    }
                }
                else if (c is ']' or ')' or '}')
                {
                    depth = Math.Max(0, depth - 1);
                }
            }
            return null;
        }

        public Graph? Build(GraphAst ast)
        {
            int before = _diagnostics.Count;
            var builder = new GraphBuilder(ast.Name.Value);
            var names = new Names(this);

            foreach (var input in ast.Inputs)
            {
                var type = Type(input.Type);
                InputRole? role = input.Role.Value switch
                {
                    "input" => InputRole.Input,
                    "param" => InputRole.Param,
                    "state" => InputRole.State,
                    _ => null,
                };
                if (role is null)
                {
                    Error(input.Role.Pos, $"unknown role '{input.Role.Value}' (expected input, param or state)");
                }
                if (!GirSyntax.IsIdentifier(input.Name.Value))
                {
                    Error(input.Name.Pos, $"input name %{input.Name.Value} must start with a letter or '_'");
                    continue;
                }
                if (names.IsDefined(input.Name.Value))
                {
                    names.Define(input.Name, null);
                    continue;
                }
                names.Define(input.Name, type is null || role is null ? null : builder.AddInput(input.Name.Value, type, role.Value));
            }

            var nodeAsts = BuildNodes(builder, ast.Nodes, names);

            bool bodyOk = _diagnostics.Count == before;
            if (ast.Returns.Count != ast.Results.Count)
            {
                Error(ast.ReturnPos, $"return gives {ast.Returns.Count} value{(ast.Returns.Count == 1 ? "" : "s")}, the signature declares {ast.Results.Count}");
            }
            else
            {
                for (int i = 0; i < ast.Returns.Count; i++)
                {
                    var result = ast.Results[i];
                    var declared = Type(result.Type);
                    GraphInput? aliases = null;
                    if (result.Aliases is { } target)
                    {
                        aliases = builder.Inputs.FirstOrDefault(input => input.Name == target.Value);
                        if (aliases is null)
                        {
                            Error(target.Pos, $"'aliases %{target.Value}' does not name an input of @{ast.Name.Value}");
                        }
                    }
                    var operand = ast.Returns[i];
                    var value = declared is null ? null : Operand(builder, operand, names.Values, declared);
                    if (value is null || declared is null)
                    {
                        continue;
                    }
                    if (value.Type != declared)
                    {
                        Error(operand.Pos, $"returns {Show(operand)} of type {value.Type}, but the signature declares {declared}");
                        continue;
                    }
                    if (result.Aliases is not null && aliases is null)
                    {
                        continue;
                    }
                    builder.Output(value, result.Name?.Value, aliases);
                }
            }

            if (!bodyOk)
            {
                return null;
            }
            // Verify even when only the signature had errors: a node's wrong declared type is usually the cause.
            var graph = builder.BuildUnverified();
            foreach (var d in Verifier.Verify(graph).Diagnostics)
            {
                Error(Locate(ast.Inputs.Select(i => i.Name.Pos).ToArray(), ast.Results.Select(r => r.Pos).ToArray(), ast.Name.Pos, nodeAsts, d), d.Message);
            }
            return graph;
        }

        /// <summary>Builds each node and defines its name; returns the syntax of the nodes built, indexed like the graph's nodes.</summary>
        private List<NodeAst> BuildNodes(GraphBuilder builder, IReadOnlyList<NodeAst> asts, Names names)
        {
            var built = new List<NodeAst>();
            foreach (var nodeAst in asts)
            {
                var node = BuildNode(builder, nodeAst, names.Values);
                if (names.Define(nodeAst.Result, node) && node is not null)
                {
                    built.Add(nodeAst);
                }
            }
            return built;
        }

        /// <summary>Maps a verifier diagnostic back to the text: the input, result or node it names, else <paramref name="fallback"/>.</summary>
        private static TextPos Locate(IReadOnlyList<TextPos> inputs, IReadOnlyList<TextPos> results, TextPos fallback, List<NodeAst> nodes, VerifierDiagnostic d)
        {
            NodeAst? node = d.Index >= 0 && d.Index < nodes.Count ? nodes[d.Index] : null;
            return d.Site switch
            {
                DiagnosticSite.Input when d.Index >= 0 && d.Index < inputs.Count => inputs[d.Index],
                DiagnosticSite.Output when d.Index >= 0 && d.Index < results.Count => results[d.Index],
                DiagnosticSite.Operand when node is not null && d.SubIndex >= 0 && d.SubIndex < node.Operands.Count => node.Operands[d.SubIndex].Pos,
                DiagnosticSite.Attribute when node is not null =>
                    node.Attributes.FirstOrDefault(a => a.Name.Value == d.AttributeName)?.Name.Pos ?? node.Op.Pos,
                DiagnosticSite.ResultType when node is not null => node.Type.Pos,
                _ when node is not null => node.Op.Pos,
                _ => fallback,
            };
        }

        private Node? BuildNode(GraphBuilder builder, NodeAst ast, Dictionary<string, Value?> scope)
        {
            var op = OpRegistry.Find(ast.Op.Value);
            if (op is null)
            {
                Error(ast.Op.Pos, $"unknown op '{ast.Op.Value}'{Suggest(ast.Op.Value)}");
                return null;
            }
            var declared = Type(ast.Type);
            if (declared is null)
            {
                return null;
            }
            var body = Body(op, ast, declared, out bool bodyOk);
            if (!bodyOk)
            {
                return null;
            }
            var attributes = Attributes(op, ast, declared, body);
            var literalType = LiteralType(op, ast, scope, declared);
            var operands = new List<Value>();
            bool ok = attributes is not null;
            for (int k = 0; k < ast.Operands.Count; k++)
            {
                var operandAst = ast.Operands[k];
                var type = op == Ops.Where.Instance && k == 0 ? declared.WithDType(DType.Bool) : literalType;
                var value = Operand(builder, operandAst, scope, type);
                if (value is null)
                {
                    ok = false;
                }
                else
                {
                    operands.Add(value);
                }
            }
            if (!ok)
            {
                return null;
            }
            var loc = SourceLoc.Unknown;
            if (ast.Loc is { } locAst)
            {
                if (!int.TryParse(locAst.Line.Value, NumberStyles.None, CultureInfo.InvariantCulture, out int line))
                {
                    Error(locAst.Line.Pos, $"line number {locAst.Line.Value} is too large");
                    return null;
                }
                if (locAst.File.Length == 0)
                {
                    Error(locAst.Line.Pos, "loc needs a file name");
                    return null;
                }
                loc = new SourceLoc(locAst.File, line);
            }
            return builder.EmitDeclared(op, operands, attributes!, declared, loc);
        }

        /// <summary>
        /// A literal operand is splatted to the node's shape; its dtype is that of the node's other (non-literal)
        /// operands, or the result's when there are none. <c>where</c>'s condition is bool.
        /// </summary>
        private static TensorType LiteralType(OpDef op, NodeAst ast, Dictionary<string, Value?> scope, TensorType declared)
        {
            for (int k = op == Ops.Where.Instance ? 1 : 0; k < ast.Operands.Count; k++)
            {
                var operand = ast.Operands[k];
                if (operand.IsReference && scope.TryGetValue(operand.Text, out var value) && value is not null)
                {
                    return declared.WithDType(value.Type.DType);
                }
            }
            return declared;
        }

        private Value? Operand(GraphBuilder builder, OperandAst operand, Dictionary<string, Value?> scope, TensorType literalType)
        {
            if (operand.IsReference)
            {
                if (!scope.TryGetValue(operand.Text, out var value))
                {
                    Error(operand.Pos, $"%{operand.Text} is not defined (values must be defined before they are used)");
                }
                return value;
            }
            var scalar = Scalar(operand.Text, literalType.DType, operand.Pos);
            return scalar is null ? null : builder.Literal(scalar.Value, literalType);
        }

        private static string Show(OperandAst operand) => operand.IsReference ? "%" + operand.Text : operand.Text;

        private TensorType? Type(TypeAst ast)
        {
            if (!DTypes.TryParse(ast.DType.Value, out var dtype))
            {
                Error(ast.DType.Pos, $"unknown dtype '{ast.DType.Value}' (expected one of {string.Join(", ", DTypes.All.Select(d => d.Name()))})");
                return null;
            }
            var dims = new int[ast.Dims.Count];
            long elements = 1;
            for (int i = 0; i < dims.Length; i++)
            {
                if (!int.TryParse(ast.Dims[i].Value, NumberStyles.None, CultureInfo.InvariantCulture, out dims[i]))
                {
                    Error(ast.Dims[i].Pos, $"dimension {ast.Dims[i].Value} is too large");
                    return null;
                }
                elements = dims[i] == 0 || elements == 0 ? 0 : elements > long.MaxValue / dims[i] ? long.MaxValue : elements * dims[i];
            }
            if (elements > Shape.MaxElements)
            {
                Error(ast.Pos, $"type {ast.DType.Value}[{string.Join(",", dims)}] has more than {Shape.MaxElements} elements");
                return null;
            }
            return new TensorType(dtype, new Shape(dims));
        }

        private AttributeMap? Attributes(OpDef op, NodeAst ast, TensorType declared, KeyValuePair<string, Attr>? body)
        {
            var entries = new List<KeyValuePair<string, Attr>>();
            if (body is { } region)
            {
                entries.Add(region);
            }
            bool ok = true;
            foreach (var attribute in ast.Attributes)
            {
                var spec = op.AttributeSpecs.FirstOrDefault(s => s.Name == attribute.Name.Value)
                    ?? (attribute.Name.Value == AttributeSchema.CheckpointRegion ? AttributeSchema.CheckpointRegionSpec : null);
                if (spec is null)
                {
                    Error(attribute.Name.Pos, op.AttributeSpecs.Count == 0
                        ? $"{op.Name} takes no attributes, got '{attribute.Name.Value}'"
                        : $"{op.Name} has no attribute '{attribute.Name.Value}' (it takes {string.Join(", ", op.AttributeSpecs.Select(s => s.Name))})");
                    ok = false;
                    continue;
                }
                if (entries.Any(e => e.Key == spec.Name))
                {
                    Error(attribute.Name.Pos, $"attribute '{spec.Name}' is given twice");
                    ok = false;
                    continue;
                }
                var value = Attribute(spec, attribute.Value, declared, op);
                if (value is null)
                {
                    ok = false;
                    continue;
                }
                entries.Add(KeyValuePair.Create(spec.Name, value));
            }
            if (!ok)
            {
                return null;
            }
            var normalized = AttributeSchema.Normalize(op, new AttributeMap(entries), out var problems);
            foreach (var problem in problems)
            {
                var at = ast.Attributes.FirstOrDefault(a => a.Name.Value == problem.Name)?.Value.Pos ?? ast.Op.Pos;
                Error(at, problem.Message);
            }
            return problems.Count == 0 ? normalized : null;
        }

        private Attr? Attribute(AttrSpec spec, AttrValueAst value, TensorType declared, OpDef op)
        {
            string Want() => $"attribute '{spec.Name}' of {op.Name} must be {AttributeSchema.Describe(spec.Kind)}";
            switch (spec.Kind)
            {
                case AttrKind.Int when value is NumberAst number:
                    if (long.TryParse(number.Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long integer))
                    {
                        return new IntAttr(integer);
                    }
                    break;
                case AttrKind.IntList when value is ListAst list:
                    var values = new int[list.Items.Count];
                    for (int i = 0; i < values.Length; i++)
                    {
                        if (list.Items[i] is not NumberAst item
                            || !int.TryParse(item.Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out values[i]))
                        {
                            Error(list.Items[i].Pos, $"{Want()}; this element is not a 32-bit integer");
                            return null;
                        }
                    }
                    return new IntListAttr(values);
                case AttrKind.Float when value is NumberAst number:
                    if (ParseDouble(number.Text) is { } d)
                    {
                        return new FloatAttr(d);
                    }
                    break;
                case AttrKind.Bool when value is WordAst { Text: "true" or "false" } word:
                    return new BoolAttr(word.Text == "true");
                case AttrKind.String when value is StringAst text:
                    if (spec.Choices is { } choices && !choices.Contains(text.Text))
                    {
                        Error(value.Pos, $"attribute '{spec.Name}' of {op.Name} must be one of {string.Join(", ", choices.Select(c => $"\"{c}\""))}, got \"{text.Text}\"");
                        return null;
                    }
                    return new StringAttr(text.Text);
                case AttrKind.DType when value is WordAst word:
                    if (DTypes.TryParse(word.Text, out var dtype))
                    {
                        return new DTypeAttr(dtype);
                    }
                    break;
                case AttrKind.Scalar when value is NumberAst or WordAst:
                    var scalar = Scalar(value is NumberAst n ? n.Text : ((WordAst)value).Text, declared.DType, value.Pos);
                    return scalar is null ? null : new ScalarAttr(scalar.Value);
                case AttrKind.Tensor:
                    return Tensor(value, declared) is { } tensor ? new TensorAttr(tensor) : null;
            }
            Error(value.Pos, Want());
            return null;
        }

        /// <summary>A tensor literal: nested lists matching the declared shape, leaves in the declared dtype.</summary>
        private HostTensor? Tensor(AttrValueAst value, TensorType declared)
        {
            var scalars = new List<Scalar>();
            bool Walk(AttrValueAst node, int axis)
            {
                if (axis == declared.Shape.Rank)
                {
                    string? text = node switch { NumberAst n => n.Text, WordAst w => w.Text, _ => null };
                    if (text is null)
                    {
                        Error(node.Pos, $"expected a {declared.DType.Name()} element of a {declared} tensor literal");
                        return false;
                    }
                    var scalar = Scalar(text, declared.DType, node.Pos);
                    if (scalar is null)
                    {
                        return false;
                    }
                    scalars.Add(scalar.Value);
                    return true;
                }
                if (node is not ListAst list || list.Items.Count != declared.Shape[axis])
                {
                    Error(node.Pos, $"tensor literal does not match its type {declared}: axis {axis} needs a list of {declared.Shape[axis]}");
                    return false;
                }
                return list.Items.All(item => Walk(item, axis + 1));
            }
            return Walk(value, 0) ? HostTensor.FromScalars(declared, scalars) : null;
        }

        private Scalar? Scalar(string text, DType dtype, TextPos pos)
        {
            if (dtype.IsBool())
            {
                if (text is "true" or "false")
                {
                    return IR.Scalar.FromBool(text == "true");
                }
                Error(pos, $"'{text}' is not a bool literal (true or false)");
                return null;
            }
            if (dtype.IsInteger())
            {
                if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value)
                    && (dtype != DType.I32 || value is >= int.MinValue and <= int.MaxValue))
                {
                    return IR.Scalar.FromInt64(dtype, value);
                }
                Error(pos, $"'{text}' is not a {dtype.Name()} literal");
                return null;
            }
            if (ParseDouble(text) is { } d)
            {
                return IR.Scalar.FromDouble(dtype, d);
            }
            Error(pos, $"'{text}' is not a {dtype.Name()} literal");
            return null;
        }

        private static double? ParseDouble(string text) => text switch
        {
            "inf" => double.PositiveInfinity,
            "-inf" => double.NegativeInfinity,
            "nan" or "-nan" => double.NaN,
            _ when text.Length > 0 && (char.IsAsciiDigit(text[^1]) || text[^1] == '.')
                && double.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent,
                    CultureInfo.InvariantCulture, out double d) => d,
            _ => null,
        };

        private static string Suggest(string name)
        {
            var best = OpRegistry.All.Select(op => (op.Name, Distance: EditDistance(name, op.Name)))
                .Where(c => c.Distance <= Math.Max(1, name.Length / 3)).OrderBy(c => c.Distance).ThenBy(c => c.Name, StringComparer.Ordinal).FirstOrDefault();
            return best.Name is null ? "" : $"; did you mean '{best.Name}'?";
        }

        private static int EditDistance(string a, string b)
        {
            if (a.Length > 64 || b.Length > 64)
            {
                return int.MaxValue;
            }
            var row = Enumerable.Range(0, b.Length + 1).ToArray();
            for (int i = 1; i <= a.Length; i++)
            {
                int diagonal = row[0];
                row[0] = i;
                for (int j = 1; j <= b.Length; j++)
                {
                    int above = row[j];
                    row[j] = Math.Min(Math.Min(row[j] + 1, row[j - 1] + 1), diagonal + (a[i - 1] == b[j - 1] ? 0 : 1));
                    diagonal = above;
                }
            }
            return row[b.Length];
        }
    }
}
