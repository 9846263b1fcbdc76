using GraphDL.Runtime;

namespace GraphDL;

/// <summary>The backends a model can run on (see <see cref="CompileOptions.Backend"/>).</summary>
public static class Backend
{
    /// <summary>The compiled CPU backend with fusion (the default): generated C# SIMD kernels, Roslyn-compiled in process.</summary>
    public static IBackend Cpu => CpuBackend.Instance;

    /// <summary>The compiled CPU backend with one kernel per primitive, for comparing against fusion.</summary>
    public static IBackend CpuUnfused { get; } = new CpuBackend(fuse: false);

    /// <summary>The reference interpreter: slow and obviously correct, the oracle every backend is tested against.</summary>
    public static IBackend Reference => ReferenceBackend.Instance;
}
