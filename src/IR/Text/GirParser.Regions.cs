using GraphDL.IR.Verification;

namespace GraphDL.IR.Text;

public static partial class GirParser
{
    private sealed partial class Session
    {
        /// <summary>
        /// The node's nested body as a <see cref="GraphAttr"/> entry for the op's graph attribute, or null when the
        /// node has none. <paramref name="ok"/> is false when the body (or a body where the op takes none) had errors,
        /// all reported; the node is then not built, so the enclosing graph reports nothing more about it.
        /// </summary>
        private KeyValuePair<string, Attr>? Body(OpDef op, NodeAst ast, TensorType declared, out bool ok)
        {
            ok = true;
            if (ast.Region is not { } region)
            {
                return null;
            }
            var spec = op.AttributeSpecs.FirstOrDefault(s => s.Kind == AttrKind.Graph);
            if (spec is null)
            {
                Error(region.Pos, $"{op.Name} takes no body; only ops with a graph attribute (such as fused) do");
                ok = false;
                return null;
            }
            var body = BuildRegion(region, declared);
            ok = body is not null;
            return body is null ? null : KeyValuePair.Create(spec.Name, (Attr)new GraphAttr(body));
        }

        /// <summary>
        /// Builds and verifies a body: its own scope (it sees nothing of the enclosing graph), its inputs, its nodes,
        /// and one returned value whose type is the node's <paramref name="declared"/> type. Null when anything is wrong.
        /// </summary>
        private Graph? BuildRegion(RegionAst ast, TensorType declared)
        {
            int before = _diagnostics.Count;
            var builder = new GraphBuilder("body");
            var names = new Names(this);
            foreach (var input in ast.Inputs)
            {
                var type = Type(input.Type);
                if (!GirSyntax.IsIdentifier(input.Name.Value))
                {
                    Error(input.Name.Pos, $"body input name %{input.Name.Value} must start with a letter or '_'");
                    continue;
                }
                names.Define(input.Name, type is null || names.IsDefined(input.Name.Value) ? null : builder.AddInput(input.Name.Value, type));
            }
            var nodeAsts = BuildNodes(builder, ast.Nodes, names);
            if (ast.Returns.Count != 1)
            {
                Error(ast.ReturnPos, $"a body returns exactly one value, this one returns {ast.Returns.Count}");
            }
            else
            {
                var operand = ast.Returns[0];
                var value = Operand(builder, operand, names.Values, declared);
                if (value is not null && value.Type != declared)
                {
                    Error(operand.Pos, $"the body returns {Show(operand)} of type {value.Type}, but the node's type is {declared}");
                }
                else if (value is not null)
                {
                    builder.Output(value);
                }
            }
            if (_diagnostics.Count > before)
            {
                return null;
            }
            var body = builder.BuildUnverified();
            foreach (var d in Verifier.Verify(body).Diagnostics)
            {
                Error(Locate(ast.Inputs.Select(i => i.Name.Pos).ToArray(), ast.Returns.Select(r => r.Pos).ToArray(), ast.Pos, nodeAsts, d), d.Message);
            }
            return _diagnostics.Count > before ? null : body;
        }
    }

    /// <summary>
    /// The names of one graph or body. A name maps to its value, or to null when its definition had an error (uses of
    /// it are not reported again).
    /// </summary>
    private sealed class Names(Session session)
    {
        private readonly Dictionary<string, TextPos> _definedAt = [];

        public Dictionary<string, Value?> Values { get; } = [];

        public bool IsDefined(string name) => _definedAt.ContainsKey(name);

        /// <summary>Defines <paramref name="name"/>, or reports that it already is and returns false.</summary>
        public bool Define(Located<string> name, Value? value)
        {
            if (_definedAt.TryGetValue(name.Value, out var first))
            {
                session.Error(name.Pos, $"%{name.Value} is already defined at line {first.Line}");
                return false;
            }
            _definedAt[name.Value] = name.Pos;
            Values[name.Value] = value;
            return true;
        }
    }
}
