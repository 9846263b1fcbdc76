using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using GraphDL.Passes;
using GraphDL.Runtime;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace GraphDL.Tests.Architecture;

/// <summary>
/// The back half's boundaries (issue 12): Runtime binds and runs a program description and contains no compiler
/// stage — the CPU backend enters the compiler only through lowering's and the C# renderer's entry points — and the
/// Frontend and the CLI see backends and programs through <see cref="IBackend"/> and <see cref="IExecutable"/> only,
/// never casting to a concrete backend type.
/// </summary>
public class BackendBoundaryTests
{
    /// <summary>Compiler types Runtime must not call: passes, planners, schedulers, lowering internals and renderers.</summary>
    private static readonly HashSet<string> CompilerInternals =
    [
        "FusionPlanner", "FusePass", "Outline", "KernelBody", "StepSchedule", "MemoryPlanner", "MemoryPlanChecker", "MemoryEstimate",
        "Liveness", "Donation", "RematPass", "PassManager", "PassRegistry", "KernelLowering", "CpuCapabilities",
        "CSharpKernelRenderer", "ScheduleRenderer", "KernelCache",
    ];

    [Fact]
    public void RuntimeContainsNoCompilerStage()
    {
        var runtime = typeof(IBackend).Assembly;
        var passes = runtime.GetTypes().Where(t => typeof(IPass).IsAssignableFrom(t)).Select(t => t.FullName).ToArray();
        Assert.True(passes.Length == 0, "Runtime defines passes: " + string.Join(", ", passes));
        var calls = CompilerCallsOf(runtime.Location);
        Assert.True(calls.Count == 0, "Runtime calls into the compiler beyond lowering's entry points: " + string.Join(", ", calls));
    }

    [Fact]
    public void TheRuntimeCheckSeesACompilerCall()
    {
        // The Codegen assembly lowers, so it calls the fusion planner: the same scan must report that.
        Assert.Contains(CompilerCallsOf(typeof(GraphDL.Codegen.Programs.ProgramLowering).Assembly.Location), c => c.StartsWith("FusionPlanner.", StringComparison.Ordinal));
    }

    /// <summary>The members of <see cref="CompilerInternals"/> types that the assembly at <paramref name="path"/> references.</summary>
    private static List<string> CompilerCallsOf(string path)
    {
        using var stream = File.OpenRead(path);
        using var pe = new PEReader(stream);
        var metadata = pe.GetMetadataReader();
        var found = new List<string>();
        foreach (var handle in metadata.MemberReferences)
        {
            var member = metadata.GetMemberReference(handle);
            if (member.Parent.Kind == HandleKind.TypeReference)
            {
                var type = metadata.GetTypeReference((TypeReferenceHandle)member.Parent);
                string name = metadata.GetString(type.Name), space = metadata.GetString(type.Namespace);
                // Reading a compiler product's data (a donation's input) is binding; calling its operations is compiling.
                if (space.StartsWith("GraphDL.", StringComparison.Ordinal) && CompilerInternals.Contains(name)
                    && !metadata.GetString(member.Name).StartsWith("get_", StringComparison.Ordinal))
                {
                    found.Add($"{name}.{metadata.GetString(member.Name)}");
                }
            }
        }
        return found.Distinct().ToList();
    }

    /// <summary>The classes behind the backend interfaces, which callers above Runtime must not name in a cast or type test.</summary>
    private static HashSet<string> ConcreteBackendTypes() => typeof(IBackend).Assembly.GetTypes()
        .Where(t => !t.IsInterface && (typeof(IBackend).IsAssignableFrom(t) || typeof(IExecutable).IsAssignableFrom(t)))
        .Select(t => t.Name.Split('`')[0]).ToHashSet();

    [Fact]
    public void TheFrontendAndTheCliNeverCastToAConcreteBackendType()
    {
        var concrete = ConcreteBackendTypes();
        Assert.Contains("CpuProgram", concrete);
        Assert.Contains("CpuBackend", concrete);
        var root = LayeringTests.RepoRoot();
        var violations = new List<string>();
        foreach (var layer in new[] { "Frontend", "Cli" })
        {
            foreach (var file in Directory.GetFiles(Path.Combine(root, "src", layer), "*.cs", SearchOption.AllDirectories)
                .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)))
            {
                violations.AddRange(Casts(File.ReadAllText(file), concrete).Select(c => $"{Path.GetRelativePath(root, file)}:{c}"));
            }
        }
        Assert.True(violations.Count == 0, "casts or type tests to concrete backend types:\n" + string.Join("\n", violations));
    }

    [Fact]
    public void TheCastCheckSeesEveryFormOfCast()
    {
        var found = Casts("""
            class C
            {
                void M(object e)
                {
                    var a = (CpuProgram)e;
                    var b = e as CpuBackend;
                    bool c = e is CpuProgram;
                    if (e is CpuBackend cpu) { }
                    var d = e switch { CpuProgram p => 1, _ => 0 };
                    var ok = (IExecutable)e;
                }
            }
            """, ConcreteBackendTypes());
        Assert.Equal(5, found.Count);
    }

    /// <summary>Each cast, <c>as</c>, <c>is</c> or type pattern in <paramref name="source"/> naming one of <paramref name="types"/>, as "line: text".</summary>
    private static List<string> Casts(string source, HashSet<string> types)
    {
        var tree = CSharpSyntaxTree.ParseText(source);
        var found = new List<string>();
        void Check(SyntaxNode at, TypeSyntax? type)
        {
            var name = type switch
            {
                QualifiedNameSyntax q => q.Right.Identifier.Text,
                SimpleNameSyntax s => s.Identifier.Text,
                NullableTypeSyntax { ElementType: SimpleNameSyntax s } => s.Identifier.Text,
                _ => null,
            };
            if (name is not null && types.Contains(name))
            {
                found.Add($"{at.GetLocation().GetLineSpan().StartLinePosition.Line + 1}: {at}");
            }
        }
        foreach (var node in tree.GetRoot().DescendantNodes())
        {
            switch (node)
            {
                case CastExpressionSyntax cast:
                    Check(cast, cast.Type);
                    break;
                case BinaryExpressionSyntax binary when binary.IsKind(SyntaxKind.AsExpression) || binary.IsKind(SyntaxKind.IsExpression):
                    Check(binary, binary.Right as TypeSyntax);
                    break;
                case DeclarationPatternSyntax declaration:
                    Check(declaration, declaration.Type);
                    break;
                case TypePatternSyntax pattern:
                    Check(pattern, pattern.Type);
                    break;
                case RecursivePatternSyntax recursive:
                    Check(recursive, recursive.Type);
                    break;
            }
        }
        return found;
    }
}
