namespace GraphDL.Bench;

/// <summary>The shared settings plus a GFLOP/s column, for the GEMM benchmarks and the FMA peak they are set against.</summary>
public sealed class GemmBenchConfig : BenchConfig
{
    public GemmBenchConfig() => AddColumn(new GflopsColumn());
}
