using System;
using System.Numerics;
using System.Numerics.Tensors;

namespace Backprop.Optimizers;

/// <summary>
/// Plain stochastic gradient descent: θ ← θ − α·g. Stateless apart from its size.
/// </summary>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>, the network's precision.</typeparam>
/// <example>
/// <code>
/// var sgd = new Sgd&lt;float&gt;(IrisNet.ParameterCount) { LearningRate = 0.1f };
/// </code>
/// </example>
public sealed class Sgd<T> : IOptimizer<T>, IRangedOptimizer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private T _learningRate = T.CreateTruncating(0.01);

    /// <summary>Creates an SGD optimizer for <paramref name="parameterCount"/> parameters.</summary>
    /// <param name="parameterCount">The network's <see cref="INetwork{T}.ParameterCount"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="parameterCount"/> is not positive.</exception>
    public Sgd(int parameterCount) => ParameterCount = OptimizerGuard.ParameterCount(parameterCount);

    /// <inheritdoc/>
    public int ParameterCount { get; }

    /// <summary>The step size α; 0.01 unless set.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative, infinite or NaN.</exception>
    public T LearningRate
    {
        get => _learningRate;
        set => _learningRate = OptimizerGuard.NonNegative(value, nameof(LearningRate));
    }

    /// <summary>θ ← θ − α·g, vectorised.</summary>
    /// <inheritdoc/>
    public void Step(Span<T> parameters, ReadOnlySpan<T> gradient)
    {
        OptimizerGuard.Spans(ParameterCount, parameters.Length, gradient.Length);
        StepRange(parameters, gradient);
    }

    void IRangedOptimizer<T>.BeginStep(int parametersLength, int gradientLength)
        => OptimizerGuard.Spans(ParameterCount, parametersLength, gradientLength);

    void IRangedOptimizer<T>.StepRange(Span<T> parameters, ReadOnlySpan<T> gradient, int start)
        => StepRange(parameters, gradient);

    /// <summary>θ ← θ − α·g over a range (SGD keeps no state, so where the range starts does not matter).</summary>
    private void StepRange(Span<T> parameters, ReadOnlySpan<T> gradient)
        => TensorPrimitives.MultiplyAdd(gradient, -_learningRate, parameters, parameters);

    /// <summary>Does nothing: SGD keeps no state between steps.</summary>
    public void Reset()
    {
    }
}
