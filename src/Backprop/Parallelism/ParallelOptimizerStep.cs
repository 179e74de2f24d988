using System;
using System.Numerics;
using Backprop.Optimizers;

namespace Backprop.Parallelism;

/// <summary>
/// One optimizer step cut into ranges of <see cref="RangeLength"/> parameters, on several threads: what the trainer
/// runs after a batch's gradient when <see cref="Training.Trainer{T}.MaxDegreeOfParallelism"/> is above 1, so the
/// step is not the part of a batch that one thread does alone. Every parameter's update is the optimizer's own
/// (<see cref="IRangedOptimizer{T}"/>), so the bits are those of <see cref="IOptimizer{T}.Step"/>.
/// </summary>
internal sealed unsafe class ParallelOptimizerStep<T> : ParallelWork
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The parameters of one work item: 4 KB of float, each of an optimizer's arrays in L1 for the range.</summary>
    public const int RangeLength = 1024;

    private IRangedOptimizer<T>? _optimizer;
    private T* _parameters;
    private T* _gradient;
    private int _count;

    /// <summary>One step of <paramref name="optimizer"/> on up to <paramref name="threads"/> threads.</summary>
    /// <exception cref="ArgumentException">A span's length is not the optimizer's parameter count.</exception>
    public void Run(IRangedOptimizer<T> optimizer, Span<T> parameters, ReadOnlySpan<T> gradient, int threads)
    {
        optimizer.BeginStep(parameters.Length, gradient.Length);
        fixed (T* p = parameters)
        fixed (T* g = gradient)
        {
            _optimizer = optimizer;
            _parameters = p;
            _gradient = g;
            _count = parameters.Length;
            try
            {
                Run((_count + RangeLength - 1) / RangeLength, threads);
            }
            finally
            {
                _optimizer = null;
                _parameters = null;
                _gradient = null;
            }
        }
    }

    protected override void Process(int index)
    {
        int start = index * RangeLength;
        int length = Math.Min(RangeLength, _count - start);
        _optimizer!.StepRange(new Span<T>(_parameters + start, length), new ReadOnlySpan<T>(_gradient + start, length), start);
    }
}
