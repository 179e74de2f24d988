using System;
using System.Numerics;

namespace Backprop.Optimizers;

/// <summary>
/// An optimizer whose step updates each parameter from that parameter's own gradient and state, once the few scalars
/// a step shares are fixed (Adam's t and bias corrections): so one step can be cut into ranges of parameters, computed
/// in any order and on any thread, with the same bits as <see cref="IOptimizer{T}.Step"/>. The built-in optimizers
/// are; the trainer splits their steps across its threads (<see cref="Parallelism.ParallelOptimizerStep{T}"/>).
/// </summary>
internal interface IRangedOptimizer<T> : IOptimizer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>
    /// Starts a step over spans of the given lengths: checks them as <see cref="IOptimizer{T}.Step"/> does, advances
    /// the state every parameter shares and fixes the step's scalars. Then every range is stepped once.
    /// </summary>
    /// <exception cref="ArgumentException">A length is not <see cref="IOptimizer{T}.ParameterCount"/>.</exception>
    void BeginStep(int parametersLength, int gradientLength);

    /// <summary>
    /// The step's update of the parameters from <paramref name="start"/> on: <paramref name="parameters"/> and
    /// <paramref name="gradient"/> are that range of the whole spans, and the optimizer's own state for the range is
    /// read and written from the same index.
    /// </summary>
    void StepRange(Span<T> parameters, ReadOnlySpan<T> gradient, int start);
}
