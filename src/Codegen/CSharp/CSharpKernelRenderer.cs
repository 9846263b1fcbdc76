using System.Runtime.Intrinsics;
using System.Text;
using GraphDL.Codegen.KernelIR;
using GraphDL.IR;

namespace GraphDL.Codegen.CSharp;

/// <summary>
/// Renders a <see cref="Kernel"/> as readable C#: <c>static unsafe void NAME(nint* buffers)</c> with a header comment
/// listing the fused nodes and their source lines, a loop over the rows of the coalesced iteration space
/// (<see cref="KernelLayout"/>) and, per row, one loop over the row's elements per pass (<see cref="KernelSchedule"/>):
/// row-level values are scalars computed between the passes; element-level values are recomputed in each pass that
/// needs them; a reduction accumulates in its pass and is combined horizontally at the end of it. A pass is
/// vectorized with the widest accelerated <see cref="Vector512{T}"/> / <see cref="Vector256{T}"/> /
/// <see cref="Vector128{T}"/> when its values are one float dtype, its ops have vector code and its element
/// accesses are contiguous, followed by a scalar tail; reductions then use 4 vector accumulators. Each op's code
/// comes from its own file (<see cref="OpDef.CSharp"/>); this class knows loops, loads, stores and reductions only.
/// Elementwise kernels are one pass. Rows of large kernels run in parallel (<c>NAME_rows</c>, see
/// <see cref="KernelOptions.ParallelThreshold"/>). <see cref="KernelOptions"/> chooses exact or fast math.
/// </summary>
public static partial class CSharpKernelRenderer
{
    /// <summary>Renders bit-exact code (<see cref="KernelOptions.Exact"/>), as the CPU backend's differential tests need.</summary>
    public static string Render(Kernel kernel) => Render(kernel, KernelOptions.Exact);

    /// <summary>
    /// Renders <paramref name="kernel"/>; <paramref name="sourceIds"/>, when given, names each of
    /// <see cref="Kernel.Sources"/> (same order) as the fusion report does (<c>%12</c>), so the header comment lines
    /// up with <c>--emit fusion</c> and the printed IR.
    /// </summary>
    public static string Render(Kernel kernel, KernelOptions options, IReadOnlyList<string>? sourceIds = null)
    {
        if (sourceIds is not null && sourceIds.Count != kernel.Sources.Count)
        {
            throw new ArgumentException($"{sourceIds.Count} source ids for the {kernel.Sources.Count} sources of {kernel.Name}", nameof(sourceIds));
        }
        return new Emitter(kernel, options, sourceIds).Render();
    }

    /// <summary>
    /// The using directives generated code is written against (<see cref="CompiledProgram"/> puts them at the top of
    /// the file): System (Math, BitConverter), the intrinsics' vector types, MethodImpl, the kernel helpers
    /// (VectorMath, ScalarExtrema, HorizontalReduction, RowParallel) and, alone of the IR's types, ReferenceMath (the
    /// double functions some ops' exact code calls; importing GraphDL.IR.Ops would bring in a class per op). The
    /// generated class lives in <c>GraphDL.Generated</c>, where no type of these names is declared, so each name means
    /// the imported type; two imports declaring one name would be a compile error, not a silent change.
    /// </summary>
    public const string Usings =
        "using System;\n" +
        "using System.Runtime.CompilerServices;\n" +
        "using System.Runtime.Intrinsics;\n" +
        "using GraphDL.Codegen.Kernels;\n" +
        "using ReferenceMath = GraphDL.IR.Ops.ReferenceMath;\n";

    /// <summary>Whether <see cref="KernelOptions.TileEntry"/> renders a tile entry for <paramref name="kernel"/>: rank 2, elementwise.</summary>
    public static bool SupportsTile(Kernel kernel) => kernel.Space.Rank == 2 && kernel.InnerRank == 1 && !kernel.HasReductions;

    /// <summary>The renderer of one kernel: its options, layout and schedule, and the text being written.</summary>
    private sealed partial class Emitter
    {
        private readonly Kernel _kernel;
        private readonly KernelOptions _options;
        private readonly IReadOnlyList<string>? _sourceIds;
        private StringBuilder _text = new();

        public Emitter(Kernel kernel, KernelOptions options, IReadOnlyList<string>? sourceIds)
        {
            _kernel = kernel;
            _options = options;
            _sourceIds = sourceIds;
        }

        public string Render()
        {
            var layout = KernelLayout.Coalesced(_kernel);
            var schedule = Schedule(layout);
            var plans = Plans(layout, schedule);
            Header();
            bool empty = layout.Rows == 0 || (!_kernel.HasReductions && layout.InnerCount == 0);
            long work = layout.Rows * Math.Max(1, layout.InnerCount) * Math.Max(1, plans.Sum(p => p.Work));
            bool parallel = !empty && layout.Rows > 1 && work >= _options.ParallelThreshold;
            Signature(_kernel.Name, "nint* buffers");
            if (parallel)
            {
                _text.Append($"        RowParallel.For(buffers, {layout.Rows}, &{_kernel.Name}_rows);\n    }}\n");
                Signature(_kernel.Name + "_rows", "nint* buffers, long r0, long r1");
            }
            if (!empty)
            {
                Pointers();
                Rows(layout, plans, parallel ? "r0" : "0", parallel ? "r1" : layout.Rows.ToString(), "0", layout.InnerCount.ToString());
            }
            _text.Append("    }\n");
            if (_options.TileEntry && SupportsTile(_kernel))
            {
                var exact = KernelLayout.Exact(_kernel);
                var tilePlans = Plans(exact, Schedule(exact));
                _text.Append($"\n    // {_kernel.Name}_tile: {_kernel.Name} on rows [r0, r1) and columns [c0, c1) only\n");
                Signature(_kernel.Name + "_tile", "nint* buffers, long r0, long r1, long c0, long c1");
                Pointers();
                Rows(exact, tilePlans, "r0", "r1", "c0", "c1");
                _text.Append("    }\n");
            }
            return _text.ToString();
        }

        private KernelSchedule Schedule(KernelLayout layout) =>
            new(_kernel, b => layout.Inner.All(axis => axis.Strides[b] == 0));

        private void Header()
        {
            _text.Append("    // ").Append(_kernel.Name).Append(": ").Append(_kernel.Space.Rank == 0 ? "scalar" : _kernel.Space.ToString());
            if (_kernel.HasReductions)
            {
                _text.Append($", rows reduced over the last {_kernel.InnerRank} ax{(_kernel.InnerRank == 1 ? "is" : "es")}");
            }
            _text.Append(_options.ExactMath ? "" : ", fast math").Append('\n');
            for (int i = 0; i < _kernel.Sources.Count; i++)
            {
                var node = _kernel.Sources[i];
                _text.Append("    //   ");
                if (_sourceIds is not null)
                {
                    _text.Append(_sourceIds[i]).Append(' ');
                }
                _text.Append(node.Op.Name).Append(" : ").Append(node.Type);
                if (node.Loc.IsKnown)
                {
                    _text.Append("  (").Append(node.Loc).Append(')');
                }
                _text.Append('\n');
            }
        }

        private void Signature(string name, string parameters)
        {
            // Kernels run hot from their first call: skip the unoptimized tier.
            _text.Append("    [MethodImpl(MethodImplOptions.AggressiveOptimization)]\n");
            _text.Append($"    public static unsafe void {name}({parameters})\n    {{\n");
        }

        private void Pointers()
        {
            foreach (var buffer in _kernel.Buffers)
            {
                string type = ElementType(buffer.Type.DType);
                _text.Append($"        {type}* b{buffer.Index} = ({type}*)buffers[{buffer.Index}];\n");
            }
        }
    }

    /// <summary>The vector type for <paramref name="dtype"/> on this machine, or null when it must stay scalar.</summary>
    private static (string Name, int Lanes)? VectorWidth(DType dtype)
    {
        if (dtype is not (DType.F32 or DType.F64))
        {
            return null;
        }
        int size = dtype == DType.F32 ? 4 : 8;
        return Vector512.IsHardwareAccelerated ? ("Vector512", 64 / size)
            : Vector256.IsHardwareAccelerated ? ("Vector256", 32 / size)
            : Vector128.IsHardwareAccelerated ? ("Vector128", 16 / size)
            : null;
    }

    internal static string ElementType(DType dtype) => dtype switch
    {
        DType.F32 => "float",
        DType.F64 => "double",
        DType.Bool => "bool",
        DType.I32 => "int",
        DType.I64 => "long",
        _ => throw new NotSupportedException($"no C# element type for {dtype.Name()} kernels"),
    };
}
