namespace GraphDL.Tests.Passes;

/// <summary>The FileCheck of the pass tests: each directive passing and failing, and what a failure says.</summary>
public class FileCheckTests
{
    private const string Output = """
        graph @f(%x: f32[4] input, %y: f32[4] input) -> (f32[4]) {
          %0 = exp(%x) : f32[4]                              loc("F.cs":3)
          %1 = add(%0, %y) : f32[4]
          %2 = mul(%1, %1) : f32[4]
          return %2
        }

        graph @g(%a: i32[] input) -> (i32[]) {
          %0 = neg(%a) : i32[]
          return %0
        }
        """;

    private static FileCheckException Fails(string checks, string output = Output) =>
        Assert.Throws<FileCheckException>(() => FileCheck.Match(checks, output, "t.gir"));

    [Fact]
    public void ChecksMatchSubstringsInOrder()
    {
        FileCheck.Match("""
            // CHECK: exp(%x)
            // CHECK: add(
            // CHECK: return %2
            // CHECK: neg
            """, Output);
    }

    [Fact]
    public void SeveralChecksCanMatchOnOneLine()
    {
        FileCheck.Match("""
            // CHECK: %1 =
            // CHECK: add(
            // CHECK: %y)
            """, Output);
    }

    [Fact]
    public void ChecksOutOfOrderFail()
    {
        var e = Fails("""
            // CHECK: mul(
            // CHECK: exp(
            """);
        Assert.Contains("t.gir:2: error: CHECK: expected string not found", e.Message);
        Assert.Contains("pattern: exp(", e.Message);
        Assert.Contains("searched output lines 4 to 11 (line 4 from column", e.Message);
        Assert.Contains("|   return %2", e.Message);
    }

    [Fact]
    public void CheckNextMustBeOnTheFollowingLine()
    {
        FileCheck.Match("""
            // CHECK: exp(%x)
            // CHECK-NEXT: add(%0, %y)
            // CHECK-NEXT: mul(%1, %1)
            """, Output);
        var e = Fails("""
            // CHECK: exp(%x)
            // CHECK-NEXT: mul(
            """);
        Assert.Contains("t.gir:2: error: CHECK-NEXT: the match is on output line 4, not on the line after the previous match (output line 2)", e.Message);
        var same = Fails("""
            // CHECK: %1 =
            // CHECK-NEXT: add
            """);
        Assert.Contains("on the same line as the previous match", same.Message);
    }

    [Fact]
    public void CheckNextCannotComeFirst()
    {
        var e = Fails("// CHECK-NEXT: graph");
        Assert.Contains("t.gir:1: error: CHECK-NEXT: has no previous match to follow", e.Message);
    }

    [Fact]
    public void CheckNotHoldsBetweenTheSurroundingMatches()
    {
        // "mul" exists, but after the match of "add": the range checked is between exp and add.
        FileCheck.Match("""
            // CHECK: exp(
            // CHECK-NOT: mul
            // CHECK: add(
            """, Output);
        var e = Fails("""
            // CHECK: exp(
            // CHECK-NOT: mul
            // CHECK: return
            """);
        Assert.Contains("t.gir:2: error: CHECK-NOT: excluded string found at output line 4", e.Message);
        Assert.Contains("pattern: mul", e.Message);
    }

    [Fact]
    public void CheckNotAtTheEndCoversTheRestOfTheBlock()
    {
        FileCheck.Match("""
            // CHECK-LABEL: graph @f
            // CHECK: return
            // CHECK-NOT: neg
            // CHECK-LABEL: graph @g
            // CHECK: neg
            """, Output);
        var e = Fails("""
            // CHECK: graph @g
            // CHECK-NOT: return
            """);
        Assert.Contains("excluded string found at output line 10", e.Message);
    }

    [Fact]
    public void LabelsSplitTheOutputIntoBlocks()
    {
        // "neg" is in @g's block only: a check under @f's label cannot reach it.
        var e = Fails("""
            // CHECK-LABEL: graph @f
            // CHECK: neg
            // CHECK-LABEL: graph @g
            """);
        Assert.Contains("t.gir:2: error: CHECK: expected string not found", e.Message);
        Assert.Contains("searched output lines 1 to 8", e.Message);
        var missing = Fails("""
            // CHECK-LABEL: graph @f
            // CHECK-LABEL: graph @h
            """);
        Assert.Contains("t.gir:2: error: CHECK-LABEL: expected string not found in the output", missing.Message);
    }

    [Fact]
    public void CapturesBindAndUsesMatchTheBoundText()
    {
        FileCheck.Match("""
            // CHECK: [[E:%[0-9]+]] = exp(%x)
            // CHECK: [[S:%[0-9]+]] = add([[E]], %y)
            // CHECK: mul([[S]], [[S]])
            // CHECK: return [[P:%.*]]
            """, Output);
        var e = Fails("""
            // CHECK: [[E:%[0-9]+]] = exp(%x)
            // CHECK: mul([[E]],
            """);
        Assert.Contains("t.gir:2: error: CHECK: expected string not found", e.Message);
        Assert.Contains("with E = \"%0\"", e.Message);
    }

    [Fact]
    public void ACaptureCanBeUsedLaterInItsOwnPattern()
    {
        FileCheck.Match("// CHECK: mul([[V:%[0-9]+]], [[V]])", Output);
        Fails("// CHECK: add([[V:%[0-9a-z]+]], [[V]])");
    }

    [Fact]
    public void AGreedyCaptureBacktracksToLetTheRestMatch()
    {
        FileCheck.Match("""
            // CHECK: [[X:%.*]] = mul
            // CHECK: return [[X]]
            """, Output);
    }

    [Fact]
    public void UndefinedVariablesAndBadSyntaxAreReported()
    {
        Assert.Contains("variable NOPE is used but not defined", Fails("// CHECK: add([[NOPE]]").Message);
        Assert.Contains("has no closing '}}'", Fails("// CHECK: add({{[0-9]").Message);
        Assert.Contains("bad regex", Fails("// CHECK: add({{[0-9}})").Message);
        Assert.Contains("unknown directive CHECK-NXT:", Fails("// CHECK-NXT: add").Message);
        Assert.Contains("empty pattern", Fails("// CHECK:   ").Message);
        Assert.Contains("no CHECK: lines found", Fails("// nothing to check").Message);
        Assert.Contains("CHECK-NOT: cannot define a variable", Fails("// CHECK-NOT: [[X:%0]]").Message);
    }

    [Fact]
    public void InlineRegexesMatch()
    {
        FileCheck.Match("""
            // CHECK: %{{[0-9]+}} = exp(%x) : f32[{{[0-9]+}}]
            // CHECK-NOT: {{^ *%[0-9]+ = sub}}
            // CHECK: return
            """, Output);
        Fails("// CHECK: %{{[0-9]+}} = exp(%y)");
    }

    [Fact]
    public void WhitespaceRunsMatchAnyRunOfWhitespace()
    {
        // The output has one space before ':' and many before loc: a single space matches both; none matches neither.
        FileCheck.Match("// CHECK:    exp(%x)   :  f32[4] loc(\"F.cs\":3)   ", Output);
        Fails("// CHECK: exp(%x):f32[4]");
    }

    [Fact]
    public void OtherPrefixesAreIgnoredAndCanBeSelected()
    {
        const string checks = """
            // CHECK: exp
            // FAST-NOT: exp
            // FAST: neg
            """;
        FileCheck.Match(checks, Output);
        var e = Assert.Throws<FileCheckException>(() => FileCheck.Match(checks, Output, "t.gir", prefix: "FAST"));
        Assert.Contains("t.gir:2: error: FAST-NOT: excluded string found at output line 2", e.Message);
        FileCheck.Match(checks, "%0 = neg(%a)", "t.gir", prefix: "FAST");
    }

    [Fact]
    public void DoubleBracketsThatAreNotVariablesAreLiteralText()
    {
        const string output = "%0 = constant() {value=[[1.0, 2.0], [3.0, 4.0]]} : f32[2,2]";
        FileCheck.Match("// CHECK: [[C:%[0-9]+]] = constant() {value=[[1.0, 2.0], [3.0, 4.0]]}", output);
        Fails("// CHECK: {value=[[1.0, 2.0], [3.0, 5.0]]}", output);
    }
}
