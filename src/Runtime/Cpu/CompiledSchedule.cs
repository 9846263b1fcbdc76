using System.Runtime.InteropServices;
using GraphDL.Codegen.CSharp;
using GraphDL.Codegen.Programs;
using GraphDL.IR;

namespace GraphDL.Runtime;

/// <summary>
/// The steps of a <see cref="CpuProgram"/> run by one call into generated code, the schedule's <c>Run</c> method
/// (<see cref="ScheduleRenderer"/>): generated kernels are called from it directly, every other step through a
/// callback into this class. Every kernel's argument addresses live back to back in one pinned slot array, filled
/// when the program is built; before each run only the slots of values whose buffers change per run — graph inputs,
/// graph outputs, and the reshapes naming their buffers — are refreshed.
/// </summary>
internal sealed unsafe class CompiledSchedule
{
    private readonly CpuStep[] _steps;
    private readonly ProgramBuffers _buffers;
    private readonly nint[] _slots;
    private readonly nint* _slotAddress;
    /// <summary>The value each slot holds the address of, a reshape resolved to the value whose buffer it names.</summary>
    private readonly Value[] _slotValues;
    private readonly int[] _perRunSlots;
    private readonly CpuStep[] _perRunViews;
    private readonly CpuStep[] _fixedViews;
    private delegate*<nint*, nint, delegate*<nint, int, void>, void> _run;

    /// <summary>Binds the slots of <paramref name="layout"/> for <paramref name="steps"/>, the steps a run walks, in schedule order.</summary>
    public CompiledSchedule(IReadOnlyList<CpuStep> steps, ScheduleLayout layout, ProgramBuffers buffers)
    {
        _steps = steps.ToArray();
        _buffers = buffers;
        _slotValues = layout.Slots.ToArray();
        var views = _steps.Where(s => s.Step.ViewOf is not null).ToArray();
        var viewOf = views.ToDictionary(v => (Value)v.Step.Output, v => v.Step.ViewOf!, (IEqualityComparer<Value>)ReferenceEqualityComparer.Instance);
        Value Underlying(Value value)
        {
            while (viewOf.TryGetValue(value, out var operand))
            {
                value = operand;
            }
            return value;
        }
        _perRunSlots = Enumerable.Range(0, _slotValues.Length).Where(s => buffers.ChangesPerRun(_slotValues[s])).ToArray();
        // A view of a buffer that moves per run is re-bound before each run; the others once, when the program is bound.
        _perRunViews = views.Where(v => buffers.ChangesPerRun(Underlying(v.Step.Output))).ToArray();
        _fixedViews = views.Except(_perRunViews).ToArray();
        _slots = GC.AllocateArray<nint>(Math.Max(1, _slotValues.Length), pinned: true);
        _slotAddress = (nint*)Marshal.UnsafeAddrOfPinnedArrayElement(_slots, 0);
    }

    /// <summary>
    /// Binds the generated <c>Run</c> and fills the slots of buffers that never move. Called once the steps that read
    /// no input have run, so the reshapes among them name their buffers.
    /// </summary>
    public void Bind(CompiledProgram program)
    {
        _run = (delegate*<nint*, nint, delegate*<nint, int, void>, void>)program.RunEntry;
        foreach (var view in _fixedViews)
        {
            view.Run(_buffers);
        }
        for (int s = 0; s < _slotValues.Length; s++)
        {
            if (!_buffers.ChangesPerRun(_slotValues[s]))
            {
                _slots[s] = _buffers.Address(_slotValues[s]);
            }
        }
    }

    /// <summary>Runs every step once, the run's inputs and outputs already bound in the program's buffers.</summary>
    public void Run()
    {
        foreach (var view in _perRunViews)
        {
            view.Run(_buffers);
        }
        foreach (int s in _perRunSlots)
        {
            _slots[s] = _buffers.Address(_slotValues[s]);
        }
        var self = GCHandle.Alloc(this);
        try
        {
            _run(_slotAddress, GCHandle.ToIntPtr(self), &RunStep);
        }
        finally
        {
            self.Free();
        }
    }

    /// <summary>The callback of the generated <c>Run</c> for a step that is not a generated kernel.</summary>
    private static void RunStep(nint context, int step)
    {
        var schedule = (CompiledSchedule)GCHandle.FromIntPtr(context).Target!;
        schedule._steps[step].Run(schedule._buffers);
    }
}
