using System;
using System.Numerics;
using System.Numerics.Tensors;

namespace Backprop.Optimizers;

/// <summary>
/// Gradient descent with momentum, in PyTorch's formulation: v ← μ·v + g, then θ ← θ − α·v;
/// with <see cref="Nesterov"/>, θ ← θ − α·(g + μ·v) (Sutskever et al., 2013). The velocity v starts at 0.
/// </summary>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>, the network's precision.</typeparam>
/// <example>
/// <code>
/// var momentum = new Momentum&lt;float&gt;(IrisNet.ParameterCount) { LearningRate = 0.05f, Coefficient = 0.9f, Nesterov = true };
/// </code>
/// </example>
public sealed class Momentum<T> : IOptimizer<T>, IRangedOptimizer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[] _velocity;
    private T _learningRate = T.CreateTruncating(0.01);
    private T _coefficient = T.CreateTruncating(0.9);

    /// <summary>Creates a momentum optimizer for <paramref name="parameterCount"/> parameters, with v = 0.</summary>
    /// <param name="parameterCount">The network's <see cref="INetwork{T}.ParameterCount"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="parameterCount"/> is not positive.</exception>
    public Momentum(int parameterCount) => _velocity = new T[OptimizerGuard.ParameterCount(parameterCount)];

    /// <inheritdoc/>
    public int ParameterCount => _velocity.Length;

    /// <summary>The step size α; 0.01 unless set.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative, infinite or NaN.</exception>
    public T LearningRate
    {
        get => _learningRate;
        set => _learningRate = OptimizerGuard.NonNegative(value, nameof(LearningRate));
    }

    /// <summary>The momentum coefficient μ in [0, 1); 0.9 unless set. μ = 0 is plain SGD.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside [0, 1).</exception>
    public T Coefficient
    {
        get => _coefficient;
        set => _coefficient = OptimizerGuard.UnitInterval(value, nameof(Coefficient));
    }

    /// <summary>Whether to use Nesterov's accelerated gradient: θ ← θ − α·(g + μ·v) after updating v.</summary>
    public bool Nesterov { get; set; }

    /// <summary>The velocity v, one value per parameter (read-only view, for inspection and tests).</summary>
    public ReadOnlySpan<T> Velocity => _velocity;

    /// <summary>v ← μ·v + g; θ ← θ − α·v, or θ ← θ − α·(g + μ·v) with <see cref="Nesterov"/>. Vectorised.</summary>
    /// <inheritdoc/>
    public void Step(Span<T> parameters, ReadOnlySpan<T> gradient)
    {
        OptimizerGuard.Spans(ParameterCount, parameters.Length, gradient.Length);
        StepRange(parameters, gradient, 0);
    }

    void IRangedOptimizer<T>.BeginStep(int parametersLength, int gradientLength)
        => OptimizerGuard.Spans(ParameterCount, parametersLength, gradientLength);

    void IRangedOptimizer<T>.StepRange(Span<T> parameters, ReadOnlySpan<T> gradient, int start)
        => StepRange(parameters, gradient, start);

    private void StepRange(Span<T> parameters, ReadOnlySpan<T> gradient, int start)
    {
        Span<T> velocity = _velocity.AsSpan(start, parameters.Length);
        TensorPrimitives.MultiplyAdd(velocity, _coefficient, gradient, velocity);
        if (Nesterov)
        {
            TensorPrimitives.MultiplyAdd(gradient, -_learningRate, parameters, parameters);
            TensorPrimitives.MultiplyAdd(velocity, -_learningRate * _coefficient, parameters, parameters);
        }
        else
        {
            TensorPrimitives.MultiplyAdd(velocity, -_learningRate, parameters, parameters);
        }
    }

    /// <summary>Sets the velocity back to 0.</summary>
    public void Reset() => Array.Clear(_velocity);
}
