using ScottPlot;
using SkiaSharp;

namespace GraphDL.Training;

/// <summary>
/// DejaVu Sans, shipped inside this assembly and registered with ScottPlot before any curve is drawn. ScottPlot's
/// Skia build finds fonts only in the system's font directories, and where there are none it draws every label,
/// tick and title as nothing, without an error; with the font bundled, a curve has its text on any machine.
/// </summary>
public static class BundledFont
{
    /// <summary>The family name curves ask for.</summary>
    public const string Family = "DejaVu Sans";

    private const string Resource = "GraphDL.Training.Fonts.DejaVuSans.ttf";

    private static readonly Lazy<SKTypeface> Loaded = new(() =>
    {
        using var stream = typeof(BundledFont).Assembly.GetManifestResourceStream(Resource)
            ?? throw new InvalidOperationException($"the assembly lacks its font resource {Resource}");
        return SKTypeface.FromStream(stream) ?? throw new InvalidOperationException($"{Resource} is not a font Skia can read");
    });

    private static readonly Lock Gate = new();
    private static bool _registered;

    /// <summary>The bundled typeface.</summary>
    public static SKTypeface Typeface => Loaded.Value;

    /// <summary>Puts the bundled font first among ScottPlot's font resolvers (once; later calls do nothing).</summary>
    public static void Register()
    {
        lock (Gate)
        {
            if (!_registered)
            {
                Fonts.FontResolvers.Insert(0, new Resolver());
                _registered = true;
            }
        }
    }

    /// <summary>Answers for <see cref="Family"/> in every weight and slant (one face serves all), and for nothing else.</summary>
    private sealed class Resolver : IFontResolver
    {
        public SKTypeface? CreateTypeface(string fontName, bool bold, bool italic) => fontName == Family ? Typeface : null;

        public SKTypeface? CreateTypeface(string fontName, FontWeight weight, FontSlant slant, FontSpacing spacing) =>
            fontName == Family ? Typeface : null;
    }
}
