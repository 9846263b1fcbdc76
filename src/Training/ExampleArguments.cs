using System.Globalization;

namespace GraphDL.Training;

/// <summary>
/// The <c>--name value</c> options of a training script's command line, each with its default: what the examples
/// take (<c>--lr 0.005</c>, <c>--cell gru</c>), parsed in the invariant culture.
/// </summary>
public static class ExampleArguments
{
    /// <summary>The value after <paramref name="name"/> in <paramref name="args"/>, or <paramref name="fallback"/> when it is not there.</summary>
    /// <exception cref="FormatException">The value does not parse as a <typeparamref name="T"/>.</exception>
    public static T Option<T>(IReadOnlyList<string> args, string name, T fallback) where T : IParsable<T>
    {
        for (int at = 0; at + 1 < args.Count; at++)
        {
            if (args[at] == name)
            {
                return T.Parse(args[at + 1], CultureInfo.InvariantCulture);
            }
        }
        return fallback;
    }
}
