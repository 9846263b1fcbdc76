using GraphDL.IR;

namespace GraphDL;

/// <summary>
/// A compiled function (a training step, an inference function) was called with a new input shape when it already
/// holds <see cref="CompileOptions.MaxShapes"/> compiled shapes. The message names the caller's line, the function's
/// compile site, the shapes it holds and the one refused.
/// </summary>
public sealed class RecompileLimitException(string message) : GraphDLException(message);
