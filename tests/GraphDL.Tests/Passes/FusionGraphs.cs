namespace GraphDL.Tests.Passes;

/// <summary>Graphs the fusion tests share: row softmax (one kernel) and an MLP forward (one kernel per matmul).</summary>
internal static class FusionGraphs
{
    public const string Softmax = """
        graph @softmax(%x: f32[4,8] input) -> (f32[4,8]) {
          %0 = reduce_max(%x) {axes=[1], keepdims=false} : f32[4]
          %1 = broadcast_in_dim(%0) {shape=[4,8], dims=[0]} : f32[4,8]
          %2 = sub(%x, %1) : f32[4,8]
          %3 = exp(%2) : f32[4,8]
          %4 = reduce_sum(%3) {axes=[1], keepdims=false} : f32[4]
          %5 = broadcast_in_dim(%4) {shape=[4,8], dims=[0]} : f32[4,8]
          %6 = div(%3, %5) : f32[4,8]
          return %6
        }
        """;

    public const string Mlp = """
        graph @mlp(%x: f32[64,784] input, %w1: f32[784,128] param, %b1: f32[128] param, %w2: f32[128,10] param, %b2: f32[10] param) -> (f32[64,10]) {
          %0 = matmul(%x, %w1) : f32[64,128]
          %1 = broadcast_in_dim(%b1) {shape=[64,128], dims=[1]} : f32[64,128]
          %2 = add(%0, %1) : f32[64,128]
          %3 = max(%2, 0.0) : f32[64,128]
          %4 = matmul(%3, %w2) : f32[64,10]
          %5 = broadcast_in_dim(%b2) {shape=[64,10], dims=[1]} : f32[64,10]
          %6 = add(%4, %5) : f32[64,10]
          return %6
        }
        """;
}
