using System;
using System.Numerics;

namespace Backprop.Optimizers;

/// <summary>
/// A gradient-descent update rule over a network's parameters: given the gradient of the loss,
/// moves the parameters one step. Works on any <see cref="INetwork{T}"/> through its
/// <see cref="INetwork{T}.Parameters"/> span.
/// </summary>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>, the network's precision.</typeparam>
/// <remarks>
/// An optimizer's state (velocities, moment estimates) is sized once, from
/// <see cref="ParameterCount"/>, when it is created; <see cref="Step"/> never allocates.
/// An instance belongs to one network and is not thread-safe.
/// </remarks>
public interface IOptimizer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The number of parameters this optimizer updates, fixed when it is created.</summary>
    int ParameterCount { get; }

    /// <summary>The step size α. May be changed between steps, e.g. by a schedule.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative, infinite or NaN.</exception>
    T LearningRate { get; set; }

    /// <summary>
    /// Applies one update to <paramref name="parameters"/> from <paramref name="gradient"/>
    /// (∂L/∂θ, typically the mean over a mini-batch) and advances the optimizer's state.
    /// </summary>
    /// <param name="parameters">The <see cref="ParameterCount"/> parameters, updated in place.</param>
    /// <param name="gradient">The <see cref="ParameterCount"/> gradient values, in the same layout.</param>
    /// <exception cref="ArgumentException">A span's length is not <see cref="ParameterCount"/>.</exception>
    void Step(Span<T> parameters, ReadOnlySpan<T> gradient);

    /// <summary>Forgets the state accumulated by previous steps, as if the optimizer were new.</summary>
    void Reset();
}
