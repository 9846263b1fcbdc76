using CsCheck;
using GraphDL.IR;
using GraphDL.IR.Text;

namespace GraphDL.Tests.Text;

/// <summary>
/// Shape arithmetic under hostile attributes: every op whose result shape is computed from attributes or operand
/// dimensions (windows, pads, slices, strides, dilations, shapes, axes, joined axes, batch dimensions), given
/// values at the edges of int and long (2^31 − 1, −2^31, 2^16 whose cube is 2^48, ...). The verifier must answer
/// each with a located <see cref="IrParseException"/> or accept it, never throw anything else (before, a padding
/// near 2^31 made <c>reduce_window</c> and <c>conv2d</c> throw OverflowException out of the verifier).
/// </summary>
public class ShapeArithmeticFuzzTests
{
    private static readonly string[] Values =
        ["0", "1", "2", "3", "-1", "65536", "65537", "1073741824", "2147483646", "2147483647", "-2147483648", "2147483648", "99999999999"];

    /// <summary>One node per template; <c>{0}</c>, <c>{1}</c>, ... are filled with values from <see cref="Values"/>.</summary>
    private static readonly string[] Templates =
    [
        "(%x: f32[1,2,3,4] input) {{ %0 = reduce_window(%x) {{mode=\"max\", window=[{0},{1},{2},{3}], stride=[{4},{5},{6},{7}], padding=[{8},{9},{10},{11},{12},{13},{14},{15}]}} : f32[1,2,3,3]",
        "(%x: f32[{0},{1},{2},{3}] input) {{ %0 = reduce_window(%x) {{mode=\"sum\", window=[{4},{5},{6},{7}], stride=[], padding=[{8},{9},{10},{11},{12},{13},{14},{15}]}} : f32[1,2,3,4]",
        "(%x: f32[1,2,5,5] input, %w: f32[{0},{1},{2},{3}] input) {{ %0 = conv2d(%x, %w) {{stride=[{4},{5}], padding=[{6},{7},{8},{9}], dilation=[{10},{11}], groups={12}}} : f32[1,3,3,5]",
        "(%x: f32[{0},{1},{2},{3}] input, %w: f32[1,1,2,2] input) {{ %0 = conv2d(%x, %w) {{stride=[{4},{5}], padding=[{6},{7},{8},{9}], dilation=[{10},{11}], groups=1}} : f32[1,1,2,4]",
        "(%x: f32[{0},{1}] input) {{ %0 = pad(%x) {{lo=[{2},{3}], hi=[{4},{5}], value=0.0}} : f32[3,4]",
        "(%x: f32[{0},{1}] input) {{ %0 = slice(%x) {{start=[{2},{3}], stop=[{4},{5}], step=[{6},{7}]}} : f32[3,4]",
        "(%x: f32[{0}] input) {{ %0 = broadcast_in_dim(%x) {{shape=[{1},{2},{3}], dims=[{4}]}} : f32[2,3,4]",
        "(%x: f32[{0},{1}] input) {{ %0 = reshape(%x) {{shape=[{2},{3},{4}]}} : f32[1,3,4]",
        "(%x: f32[{0},{1}] input) {{ %0 = permute(%x) {{perm=[{2},{3}]}} : f32[3,4]",
        "(%x: f32[{0},{1}] input, %y: f32[{2},{3}] input) {{ %0 = concat(%x, %y) {{axis={4}}} : f32[3,4]",
        "(%x: f32[{0},{1}] input, %y: f32[{2},{3}] input) {{ %0 = matmul(%x, %y) : f32[3,4]",
        "(%x: f32[{0},{1},{2}] input, %y: f32[{3},{4},{5}] input) {{ %0 = matmul(%x, %y) : f32[1,3,4]",
        "(%x: f32[{0},{1}] input) {{ %0 = reduce_sum(%x) {{axes=[{2}], keepdims=true}} : f32[1,4]",
        "(%x: f32[{0},{1}] input) {{ %0 = argmax(%x) {{axis={2}, keepdims=false}} : i64[3]",
        "(%x: f32[{0},{1}] input, %i: i64[{2},{3}] input) {{ %0 = gather(%x, %i) {{axis={4}}} : f32[3,4]",
        "(%x: f32[{0},{1}] input, %i: i64[{2},{3}] input, %u: f32[{4},{5}] input) {{ %0 = scatter_add(%x, %i, %u) {{axis={6}}} : f32[3,4]",
        "() {{ %0 = iota() {{shape=[{0},{1},{2}], axis={3}, dtype=i64}} : i64[1,3,4]",
        "() {{ %0 = full() {{shape=[{0},{1},{2}], value=1.0}} : f32[1,3,4]",
        "(%s: i64[] input, %o: i64[] input) {{ %0 = random_normal(%s, %o) {{shape=[{0},{1},{2}], dtype=f32}} : f32[1,3,4]",
    ];

    private static string Graph(int template, string[] values)
    {
        var text = string.Format(System.Globalization.CultureInfo.InvariantCulture, Templates[template], values);
        int body = text.IndexOf('{', StringComparison.Ordinal);
        var node = text[(body + 1)..].Trim();
        return $"graph @g{text[..body].TrimEnd()} -> ({node[(node.LastIndexOf(" : ", StringComparison.Ordinal) + 3)..]}) {{\n  {node}\n  return %0\n}}\n";
    }

    [Fact]
    public void HostileShapeAttributesGiveLocatedErrorsNeverCrashes()
    {
        // Mostly small values, so that most checks of a type rule pass and the edge values reach its arithmetic.
        var value = Gen.Frequency((3, (IGen<string>)Gen.OneOf("0", "1", "1", "2", "3")), (1, Gen.OneOf(Values)));
        var gen = Gen.Select(Gen.Int[0, Templates.Length - 1], value.Array[16]).Select(t => Graph(t.Item1, t.Item2));
        int rejected = 0;
        gen.Sample(text =>
        {
            try
            {
                GirParser.ParseModule(text, "hostile.gir");
            }
            catch (IrParseException e)
            {
                Assert.Matches(@"^hostile\.gir:\d+:\d+: error: ", e.Message);
                Assert.DoesNotContain("internal error", e.Message, StringComparison.Ordinal);
                Interlocked.Increment(ref rejected);
            }
        }, iter: 3_000, threads: 1, print: text => text);
        Assert.True(rejected > 0);
    }

    /// <summary>For each template, values that make a well-typed node, so the fuzzer's values reach every check of its type rule.</summary>
    private static readonly string[][] Fitting =
    [
        ["1", "1", "2", "2", "1", "1", "1", "2", "0", "0", "0", "0", "0", "1", "1", "1"],
        ["1", "2", "3", "4", "1", "1", "1", "1", "0", "0", "0", "0", "0", "0", "0", "0"],
        ["3", "2", "2", "1", "1", "1", "0", "0", "0", "0", "2", "3", "1"],
        ["1", "1", "5", "5", "2", "1", "0", "0", "0", "0", "1", "1"],
        ["3", "2", "0", "1", "0", "1"],
        ["3", "8", "0", "0", "3", "8", "1", "2"],
        ["4", "2", "3", "4", "2"],
        ["6", "2", "1", "3", "4"],
        ["4", "3", "1", "0"],
        ["1", "4", "2", "4", "0"],
        ["3", "2", "2", "4"],
        ["1", "3", "2", "1", "2", "4"],
        ["3", "4", "0"],
        ["3", "4", "1"],
        ["3", "5", "3", "4", "1"],
        ["3", "4", "2", "4", "2", "4", "0"],
        ["1", "3", "4", "2"],
        ["1", "3", "4"],
        ["1", "3", "4"],
    ];

    [Fact]
    public void EveryTemplateMakesAWellTypedNodeWithFittingValues()
    {
        Assert.Equal(Templates.Length, Fitting.Length);
        for (int t = 0; t < Templates.Length; t++)
        {
            var graph = Graph(t, Fitting[t]);
            var error = Record.Exception(() => GirParser.ParseModule(graph, "fitting.gir"));
            Assert.True(error is null, $"{graph}\n{error?.Message}");
        }
    }
}
