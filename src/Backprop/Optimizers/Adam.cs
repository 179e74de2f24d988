using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Backprop.Optimizers;

/// <summary>
/// Adam (Kingma and Ba, 2015), and AdamW (Loshchilov and Hutter, 2019) when <see cref="WeightDecay"/> is set.
/// </summary>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>, the network's precision.</typeparam>
/// <remarks>
/// <para>At step t (from 1), with moments m and v starting at 0:</para>
/// <list type="number">
/// <item><description>θ ← θ·(1 − α·λ), the decoupled weight decay (skipped when λ = 0);</description></item>
/// <item><description>m ← β₁·m + (1 − β₁)·g and v ← β₂·v + (1 − β₂)·g²;</description></item>
/// <item><description>θ ← θ − α·m̂ / (√v̂ + ε) with m̂ = m / (1 − β₁ᵗ), v̂ = v / (1 − β₂ᵗ).</description></item>
/// </list>
/// <para>
/// Step 3 is computed as θ ← θ − αₜ·m / (√v + ε̂) with αₜ = α·√(1 − β₂ᵗ) / (1 − β₁ᵗ) and ε̂ = ε·√(1 − β₂ᵗ),
/// the same value without dividing every element twice. This is PyTorch's <c>Adam</c>/<c>AdamW</c>.
/// Weight decay applies to every parameter, biases included, as in PyTorch when no parameter groups are used.
/// </para>
/// </remarks>
/// <example>
/// <code>
/// var adam = new Adam&lt;float&gt;(IrisNet.ParameterCount) { LearningRate = 0.01f };
/// var adamW = new Adam&lt;float&gt;(IrisNet.ParameterCount) { LearningRate = 0.01f, WeightDecay = 0.01f };
/// </code>
/// </example>
public sealed class Adam<T> : IOptimizer<T>, IRangedOptimizer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[] _firstMoment;
    private readonly T[] _secondMoment;
    private T _learningRate = T.CreateTruncating(0.001);
    private T _beta1 = T.CreateTruncating(0.9);
    private T _beta2 = T.CreateTruncating(0.999);
    private T _epsilon = T.CreateTruncating(1e-8);
    private T _weightDecay = T.Zero;

    // The scalars of the step under way, fixed by BeginStep.
    private T _stepDecay;
    private T _stepSize;
    private T _stepEpsilon;

    /// <summary>Creates an Adam optimizer for <paramref name="parameterCount"/> parameters, with m = v = 0.</summary>
    /// <param name="parameterCount">The network's <see cref="INetwork{T}.ParameterCount"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="parameterCount"/> is not positive.</exception>
    public Adam(int parameterCount)
    {
        OptimizerGuard.ParameterCount(parameterCount);
        _firstMoment = new T[parameterCount];
        _secondMoment = new T[parameterCount];
    }

    /// <inheritdoc/>
    public int ParameterCount => _firstMoment.Length;

    /// <summary>The step size α; 0.001 unless set.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative, infinite or NaN.</exception>
    public T LearningRate
    {
        get => _learningRate;
        set => _learningRate = OptimizerGuard.NonNegative(value, nameof(LearningRate));
    }

    /// <summary>The decay rate β₁ of the first moment, in [0, 1); 0.9 unless set.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside [0, 1).</exception>
    public T Beta1
    {
        get => _beta1;
        set => _beta1 = OptimizerGuard.UnitInterval(value, nameof(Beta1));
    }

    /// <summary>The decay rate β₂ of the second moment, in [0, 1); 0.999 unless set.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside [0, 1).</exception>
    public T Beta2
    {
        get => _beta2;
        set => _beta2 = OptimizerGuard.UnitInterval(value, nameof(Beta2));
    }

    /// <summary>The ε added to √v̂ so no step divides by zero; 1e-8 unless set.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not a finite number &gt; 0.</exception>
    public T Epsilon
    {
        get => _epsilon;
        set => _epsilon = OptimizerGuard.Positive(value, nameof(Epsilon));
    }

    /// <summary>
    /// The decoupled weight decay λ of AdamW: each step first shrinks θ to θ·(1 − α·λ), independently of
    /// the gradient moments. 0 (plain Adam) unless set; AdamW's usual value is 0.01.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative, infinite or NaN.</exception>
    public T WeightDecay
    {
        get => _weightDecay;
        set => _weightDecay = OptimizerGuard.NonNegative(value, nameof(WeightDecay));
    }

    /// <summary>The number of steps taken since creation or <see cref="Reset"/>: t of the bias correction.</summary>
    public long StepCount { get; private set; }

    /// <summary>The first-moment estimate m (read-only view, for inspection and tests).</summary>
    public ReadOnlySpan<T> FirstMoment => _firstMoment;

    /// <summary>The second-moment estimate v (read-only view, for inspection and tests).</summary>
    public ReadOnlySpan<T> SecondMoment => _secondMoment;

    /// <summary>One Adam (or AdamW) step, vectorised, as described on the class.</summary>
    /// <inheritdoc/>
    public void Step(Span<T> parameters, ReadOnlySpan<T> gradient)
    {
        BeginStep(parameters.Length, gradient.Length);
        StepRange(parameters, gradient, 0);
    }

    void IRangedOptimizer<T>.BeginStep(int parametersLength, int gradientLength) => BeginStep(parametersLength, gradientLength);

    void IRangedOptimizer<T>.StepRange(Span<T> parameters, ReadOnlySpan<T> gradient, int start) => StepRange(parameters, gradient, start);

    /// <summary>t ← t + 1, and the step's scalars: 1 − α·λ, αₜ = α·√(1 − β₂ᵗ)/(1 − β₁ᵗ) and ε̂ = ε·√(1 − β₂ᵗ).</summary>
    private void BeginStep(int parametersLength, int gradientLength)
    {
        OptimizerGuard.Spans(ParameterCount, parametersLength, gradientLength);
        long t = ++StepCount;
        T exponent = T.CreateTruncating(t);
        T correction1 = T.One - T.Pow(_beta1, exponent);
        T sqrtCorrection2 = T.Sqrt(T.One - T.Pow(_beta2, exponent));
        _stepDecay = T.One - _learningRate * _weightDecay;
        _stepSize = _learningRate * sqrtCorrection2 / correction1;
        _stepEpsilon = _epsilon * sqrtCorrection2;
    }

    /// <summary>
    /// The step on the parameters from <paramref name="start"/> on, in one pass over θ, g, m and v: per element
    /// θ ← θ·(1 − α·λ) (when λ ≠ 0), m ← β₁·m + (1 − β₁)·g, v ← β₂·v + (1 − β₂)·g·g, θ ← θ − αₜ·m / (√v + ε̂), each
    /// operation rounded on its own (no fused multiply-add), so every vector width and the scalar tail give the same bits.
    /// </summary>
    private void StepRange(Span<T> parameters, ReadOnlySpan<T> gradient, int start)
    {
        int length = parameters.Length;
        ref T theta = ref MemoryMarshal.GetReference(parameters);
        ref T g = ref MemoryMarshal.GetReference(gradient);
        ref T m = ref MemoryMarshal.GetArrayDataReference(_firstMoment);
        ref T v = ref MemoryMarshal.GetArrayDataReference(_secondMoment);
        m = ref Unsafe.Add(ref m, start);
        v = ref Unsafe.Add(ref v, start);
        bool decay = _weightDecay != T.Zero;
        T beta1 = _beta1, oneMinusBeta1 = T.One - _beta1;
        T beta2 = _beta2, oneMinusBeta2 = T.One - _beta2;
        T stepDecay = _stepDecay, negativeStepSize = -_stepSize, stepEpsilon = _stepEpsilon;

        int i = 0;
        if (Vector.IsHardwareAccelerated && length >= Vector<T>.Count)
        {
            Vector<T> beta1s = new(beta1), oneMinusBeta1s = new(oneMinusBeta1);
            Vector<T> beta2s = new(beta2), oneMinusBeta2s = new(oneMinusBeta2);
            Vector<T> stepDecays = new(stepDecay), negativeStepSizes = new(negativeStepSize), stepEpsilons = new(stepEpsilon);
            for (; i <= length - Vector<T>.Count; i += Vector<T>.Count)
            {
                nuint at = (nuint)i;
                Vector<T> gi = Vector.LoadUnsafe(ref g, at);
                Vector<T> thetai = Vector.LoadUnsafe(ref theta, at);
                if (decay)
                {
                    thetai *= stepDecays;
                }

                Vector<T> mi = (gi * oneMinusBeta1s) + (Vector.LoadUnsafe(ref m, at) * beta1s);
                Vector<T> vi = (gi * oneMinusBeta2s * gi) + (Vector.LoadUnsafe(ref v, at) * beta2s);
                mi.StoreUnsafe(ref m, at);
                vi.StoreUnsafe(ref v, at);
                thetai = (mi / (Vector.SquareRoot(vi) + stepEpsilons) * negativeStepSizes) + thetai;
                thetai.StoreUnsafe(ref theta, at);
            }
        }

        for (; i < length; i++)
        {
            T gi = Unsafe.Add(ref g, i);
            ref T thetai = ref Unsafe.Add(ref theta, i);
            ref T mi = ref Unsafe.Add(ref m, i);
            ref T vi = ref Unsafe.Add(ref v, i);
            if (decay)
            {
                thetai *= stepDecay;
            }

            mi = (gi * oneMinusBeta1) + (mi * beta1);
            vi = (gi * oneMinusBeta2 * gi) + (vi * beta2);
            thetai = (mi / (T.Sqrt(vi) + stepEpsilon) * negativeStepSize) + thetai;
        }
    }

    /// <summary>Sets both moments back to 0 and the step count t back to 0.</summary>
    public void Reset()
    {
        Array.Clear(_firstMoment);
        Array.Clear(_secondMoment);
        StepCount = 0;
    }
}
