using GraphDL.Training;
using SkiaSharp;

namespace GraphDL.Tests.TrainingDisplay;

/// <summary>Curves drawn with ScottPlot: their text is really drawn (in the bundled font), as PNG and as SVG.</summary>
public sealed class CurvesTests
{
    private static Curves Sample(string title)
    {
        var curves = new Curves(title);
        for (int epoch = 1; epoch <= 5; epoch++)
        {
            curves.Add("train loss", epoch, 1.0 / epoch);
            curves.Add("test accuracy", epoch, 0.8 + 0.03 * epoch, rightAxis: true);
        }
        return curves;
    }

    /// <summary>Dark pixels in the band above the plot area (where only the title is drawn), centred and off-centre.</summary>
    private static (int Centre, int Edges) TitlePixels(byte[] png)
    {
        using var bitmap = SKBitmap.Decode(png);
        Assert.Equal((800, 500), (bitmap.Width, bitmap.Height));
        int centre = 0, edges = 0;
        for (int y = 2; y < 30; y++)
        {
            for (int x = 0; x < bitmap.Width; x++)
            {
                var c = bitmap.GetPixel(x, y);
                if (c.Red < 128 && c.Green < 128 && c.Blue < 128)
                {
                    if (x is > 200 and < 600)
                    {
                        centre++;
                    }
                    else
                    {
                        edges++;
                    }
                }
            }
        }
        return (centre, edges);
    }

    /// <summary>
    /// The title's glyphs are the only dark pixels in the band: were the text drawn as nothing, the band would be
    /// empty, or (its space not reserved) crossed by the plot's frame from edge to edge.
    /// </summary>
    [Fact]
    public void ThePngHasItsTitleDrawnInTheBundledFont()
    {
        var (centre, edges) = TitlePixels(Sample("Loss and accuracy of a long run").Png());
        Assert.True(centre > 200, $"{centre} dark pixels where the title should be");
        Assert.Equal(0, edges);
        BundledFont.Register();
        Assert.Same(BundledFont.Typeface, ScottPlot.Fonts.GetTypeface(BundledFont.Family, bold: false, italic: false));
        Assert.True(BundledFont.Typeface.GlyphCount > 1000);
    }

    [Fact]
    public void TheSvgCarriesItsText()
    {
        var svg = Sample("Fashion-MNIST").Svg();
        Assert.StartsWith("<?xml", svg.TrimStart());
        Assert.Contains("Fashion-MNIST", svg);
        Assert.Contains("train loss", svg);
        Assert.Contains("test accuracy", svg);
    }

    [Fact]
    public void SaveWritesPngOrSvgAndRefusesOtherNames()
    {
        var dir = Directory.CreateTempSubdirectory("graphdl-curves-").FullName;
        try
        {
            var curves = Sample("t");
            curves.Save(Path.Combine(dir, "c.png"));
            curves.Save(Path.Combine(dir, "c.svg"));
            Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], File.ReadAllBytes(Path.Combine(dir, "c.png"))[..4]);
            Assert.Contains("<svg", File.ReadAllText(Path.Combine(dir, "c.svg")));
            Assert.Equal(["c.png", "c.svg"], Directory.GetFiles(dir).Select(Path.GetFileName).Order()); // no temporary left
            curves.Save(Path.Combine(dir, "new", "folder", "c.svg"));  // a fresh clone has no graphdl-out/ yet
            Assert.True(File.Exists(Path.Combine(dir, "new", "folder", "c.svg")));
            var e = Assert.Throws<ArgumentException>(() => curves.Save(Path.Combine(dir, "c.jpg")));
            Assert.Contains("curves are written as .png or .svg, not '.jpg'", e.Message);
            Assert.Throws<ArgumentException>(() => new Curves("empty").Png());
            Assert.Throws<ArgumentException>(() => curves.Add("train loss", 6, 0.1, rightAxis: true));
            Assert.Throws<ArgumentException>(() => curves.Add("train loss", 6, double.NaN));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void ExampleArgumentsReadTheValueAfterTheNameOrTheDefault()
    {
        string[] args = ["--cell", "gru", "--lr", "0.005", "--steps"];
        Assert.Equal("gru", ExampleArguments.Option(args, "--cell", "lstm"));
        Assert.Equal(0.005, ExampleArguments.Option(args, "--lr", 1e-3));
        Assert.Equal(800, ExampleArguments.Option(args, "--steps", 800));      // a name with no value after it
        Assert.Equal(16, ExampleArguments.Option(args, "--batch", 16));
        Assert.Throws<FormatException>(() => ExampleArguments.Option(args, "--cell", 1));
    }
}
