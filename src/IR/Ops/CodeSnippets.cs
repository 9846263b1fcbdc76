using System.Collections;
using GraphDL.IR.Ops;

namespace GraphDL.IR;

/// <summary>
/// One code template of an elementwise op in one target language: its <see cref="Form"/>, the dtypes it applies to
/// (<see cref="Operands"/>: the class of the op's last operand, which is its data operand — <c>where</c>'s branches, a
/// <c>cast</c>'s input; <see cref="Result"/>: the class of its result) and the text with placeholders the language's
/// renderer fills in (for C#, see <see cref="OpDef.CSharp"/>).
/// </summary>
public sealed record CodeSnippet(SnippetForm Form, DTypeClass Operands, DTypeClass Result, string Template)
{
    /// <summary>Whether this snippet computes an op whose last operand is <paramref name="operand"/> and whose result is <paramref name="result"/>.</summary>
    public bool AppliesTo(DType operand, DType result) => Operands.Contains(operand) && Result.Contains(result);
}

/// <summary>
/// An elementwise op's code in one target language, written in the op's own file as plain strings (so the IR needs
/// no reference to a code generator, and adding an op touches no renderer):
/// <code>
/// public override CodeSnippets CSharp { get; } = new(cheap: true)
/// {
///     { SnippetForm.Scalar, DTypeClass.Float, "{0} + {1}" },
///     { SnippetForm.Scalar, DTypeClass.Integer, "unchecked({0} + {1})" },
///     { SnippetForm.Vector, DTypeClass.Float, "{0} + {1}" },
/// };
/// </code>
/// A renderer takes the first snippet of the form it needs that applies to the node's dtypes; one language's
/// snippets are one property of <see cref="OpDef"/> (<see cref="OpDef.CSharp"/>), and a second renderer (PTX) adds
/// a property of its own beside it, in the same form.
/// </summary>
public sealed class CodeSnippets(bool cheap = false) : IEnumerable<CodeSnippet>
{
    private readonly List<CodeSnippet> _snippets = [];

    /// <summary>No code: the op is not computed inside loop kernels (movement, contraction, creation, ...).</summary>
    public static CodeSnippets None { get; } = new();

    /// <summary>
    /// A few ALU instructions per element: cheaper to compute again in a later pass over a row than to keep in a row
    /// cache and load back (a renderer caches only the others, such as transcendentals, division and square roots).
    /// </summary>
    public bool Cheap { get; } = cheap;

    /// <summary>Adds a snippet for operands of class <paramref name="operands"/> and any result dtype.</summary>
    public void Add(SnippetForm form, DTypeClass operands, string template) => Add(form, operands, DTypeClass.Any, template);

    /// <summary>Adds a snippet for operands of class <paramref name="operands"/> and a result of class <paramref name="result"/>.</summary>
    public void Add(SnippetForm form, DTypeClass operands, DTypeClass result, string template) =>
        _snippets.Add(new CodeSnippet(form, operands, result, template));

    /// <summary>The first snippet of <paramref name="form"/> for these dtypes, or null.</summary>
    public CodeSnippet? Find(SnippetForm form, DType operand, DType result) =>
        _snippets.FirstOrDefault(s => s.Form == form && s.AppliesTo(operand, result));

    public IEnumerator<CodeSnippet> GetEnumerator() => _snippets.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
