using GraphDL.IR;

namespace GraphDL.Passes.Memory;

/// <summary>A memory plan the checker rejects: two live buffers share bytes, or a buffer is out of bounds or misaligned.</summary>
public sealed class MemoryPlanException(string message) : GraphDLException(message);
