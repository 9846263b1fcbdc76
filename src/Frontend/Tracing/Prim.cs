using GraphDL.IR;

namespace GraphDL;

/// <summary>The primitives the DSL emits, looked up once by their IR names.</summary>
internal static class Prim
{
    private static OpDef Get(string name) => OpRegistry.Find(name) ?? throw new InvalidOperationException($"primitive '{name}' is not registered");

    public static readonly OpDef Neg = Get("neg"), Abs = Get("abs"), Sign = Get("sign"), Exp = Get("exp"), Log = Get("log"),
        Log1p = Get("log1p"), Expm1 = Get("expm1"), Sqrt = Get("sqrt"), Rsqrt = Get("rsqrt"), Reciprocal = Get("reciprocal"),
        Sin = Get("sin"), Cos = Get("cos"), Tanh = Get("tanh"), Logistic = Get("logistic"), Erf = Get("erf"), Floor = Get("floor"),
        Ceil = Get("ceil"), Not = Get("not");

    public static readonly OpDef Add = Get("add"), Sub = Get("sub"), Mul = Get("mul"), Div = Get("div"), Pow = Get("pow"),
        Max = Get("max"), Min = Get("min"), And = Get("and"), Or = Get("or"), Xor = Get("xor");

    public static readonly OpDef Lt = Get("lt"), Le = Get("le"), Gt = Get("gt"), Ge = Get("ge"), Eq = Get("eq"), Ne = Get("ne");

    public static readonly OpDef Where = Get("where"), Cast = Get("cast");

    public static readonly OpDef ReduceSum = Get("reduce_sum"), ReduceMax = Get("reduce_max"), ReduceMin = Get("reduce_min"),
        ArgMax = Get("argmax"), ArgMin = Get("argmin");

    public static readonly OpDef Reshape = Get("reshape"), Permute = Get("permute"), BroadcastInDim = Get("broadcast_in_dim"),
        Slice = Get("slice"), Pad = Get("pad"), Concat = Get("concat");

    public static readonly OpDef MatMul = Get("matmul"), Conv2d = Get("conv2d"), ReduceWindow = Get("reduce_window");

    public static readonly OpDef Gather = Get("gather"), ScatterAdd = Get("scatter_add");

    public static readonly OpDef Constant = Get("constant"), Iota = Get("iota"), Full = Get("full");

    public static readonly OpDef RandomUniform = Get("random_uniform"), RandomNormal = Get("random_normal"), Bernoulli = Get("bernoulli");
}
