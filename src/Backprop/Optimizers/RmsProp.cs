using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Backprop.Optimizers;

/// <summary>
/// RMSprop (Hinton's lecture 6e), in PyTorch's formulation: each parameter's step is divided by a running root mean
/// square of its gradients.
/// </summary>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>, the network's precision.</typeparam>
/// <remarks>
/// <para>Per step, with the running mean square v, the running mean gradient ḡ and the buffer b all starting at 0:</para>
/// <list type="number">
/// <item><description>v ← ρ·v + (1 − ρ)·g²; with <see cref="Centered"/>, also ḡ ← ρ·ḡ + (1 − ρ)·g and v̂ = v − ḡ² (else v̂ = v);</description></item>
/// <item><description>with <see cref="Momentum"/> μ &gt; 0: b ← μ·b + g / (√v̂ + ε), θ ← θ − α·b; else θ ← θ − α·g / (√v̂ + ε).</description></item>
/// </list>
/// <para>
/// This is PyTorch's <c>torch.optim.RMSprop</c> (ε added outside the square root; Keras adds it inside, which differs
/// only while v is near ε²), with its defaults: α = 0.01, ρ = 0.99, ε = 1e-8, no momentum, not centered. Every
/// operation is rounded on its own (no fused multiply-add), so every vector width gives the same bits.
/// </para>
/// </remarks>
/// <example>
/// <code>
/// var rmsProp = new RmsProp&lt;float&gt;(IrisNet.ParameterCount) { LearningRate = 0.001f };
/// </code>
/// </example>
public sealed class RmsProp<T> : IOptimizer<T>, IRangedOptimizer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[] _meanSquare;
    private readonly T[] _meanGradient;
    private readonly T[] _buffer;
    private T _learningRate = T.CreateTruncating(0.01);
    private T _rho = T.CreateTruncating(0.99);
    private T _epsilon = T.CreateTruncating(1e-8);
    private T _momentum = T.Zero;

    /// <summary>Creates an RMSprop optimizer for <paramref name="parameterCount"/> parameters, with v = ḡ = b = 0.</summary>
    /// <param name="parameterCount">The network's <see cref="INetwork{T}.ParameterCount"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="parameterCount"/> is not positive.</exception>
    public RmsProp(int parameterCount)
    {
        OptimizerGuard.ParameterCount(parameterCount);
        _meanSquare = new T[parameterCount];
        _meanGradient = new T[parameterCount];
        _buffer = new T[parameterCount];
    }

    /// <inheritdoc/>
    public int ParameterCount => _meanSquare.Length;

    /// <summary>The step size α; 0.01 unless set (PyTorch's default; Keras's is 0.001).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative, infinite or NaN.</exception>
    public T LearningRate
    {
        get => _learningRate;
        set => _learningRate = OptimizerGuard.NonNegative(value, nameof(LearningRate));
    }

    /// <summary>The decay ρ of the running mean square, in [0, 1) (PyTorch's <c>alpha</c>, Keras's <c>rho</c>); 0.99 unless set.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside [0, 1).</exception>
    public T Rho
    {
        get => _rho;
        set => _rho = OptimizerGuard.UnitInterval(value, nameof(Rho));
    }

    /// <summary>The ε added to √v̂ so no step divides by zero; 1e-8 unless set.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not a finite number &gt; 0.</exception>
    public T Epsilon
    {
        get => _epsilon;
        set => _epsilon = OptimizerGuard.Positive(value, nameof(Epsilon));
    }

    /// <summary>The momentum μ of the normalised step, in [0, 1); 0 (none) unless set.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside [0, 1).</exception>
    public T Momentum
    {
        get => _momentum;
        set => _momentum = OptimizerGuard.UnitInterval(value, nameof(Momentum));
    }

    /// <summary>Whether to divide by the running standard deviation of the gradient (v − ḡ²) rather than its root mean square.</summary>
    public bool Centered { get; set; }

    /// <summary>The running mean square v (read-only view, for inspection and tests).</summary>
    public ReadOnlySpan<T> MeanSquare => _meanSquare;

    /// <summary>One RMSprop step, vectorised, as described on the class.</summary>
    /// <inheritdoc/>
    public void Step(Span<T> parameters, ReadOnlySpan<T> gradient)
    {
        OptimizerGuard.Spans(ParameterCount, parameters.Length, gradient.Length);
        StepRange(parameters, gradient, 0);
    }

    void IRangedOptimizer<T>.BeginStep(int parametersLength, int gradientLength)
        => OptimizerGuard.Spans(ParameterCount, parametersLength, gradientLength);

    void IRangedOptimizer<T>.StepRange(Span<T> parameters, ReadOnlySpan<T> gradient, int start) => StepRange(parameters, gradient, start);

    private void StepRange(Span<T> parameters, ReadOnlySpan<T> gradient, int start)
    {
        int length = parameters.Length;
        ref T theta = ref MemoryMarshal.GetReference(parameters);
        ref T g = ref MemoryMarshal.GetReference(gradient);
        ref T v = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_meanSquare), start);
        ref T mean = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_meanGradient), start);
        ref T b = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_buffer), start);
        bool centered = Centered;
        bool momentum = _momentum != T.Zero;
        T rho = _rho, oneMinusRho = T.One - _rho, epsilon = _epsilon, mu = _momentum, negativeRate = -_learningRate;

        int i = 0;
        if (Vector.IsHardwareAccelerated && length >= Vector<T>.Count)
        {
            Vector<T> rhos = new(rho), oneMinusRhos = new(oneMinusRho), epsilons = new(epsilon), mus = new(mu), negativeRates = new(negativeRate);
            for (; i <= length - Vector<T>.Count; i += Vector<T>.Count)
            {
                nuint at = (nuint)i;
                Vector<T> gi = Vector.LoadUnsafe(ref g, at);
                Vector<T> vi = (gi * oneMinusRhos * gi) + (Vector.LoadUnsafe(ref v, at) * rhos);
                vi.StoreUnsafe(ref v, at);
                Vector<T> scale = vi;
                if (centered)
                {
                    Vector<T> meani = (gi * oneMinusRhos) + (Vector.LoadUnsafe(ref mean, at) * rhos);
                    meani.StoreUnsafe(ref mean, at);
                    scale = vi - (meani * meani);
                }

                Vector<T> stepi = gi / (Vector.SquareRoot(scale) + epsilons);
                if (momentum)
                {
                    stepi = (Vector.LoadUnsafe(ref b, at) * mus) + stepi;
                    stepi.StoreUnsafe(ref b, at);
                }

                ((stepi * negativeRates) + Vector.LoadUnsafe(ref theta, at)).StoreUnsafe(ref theta, at);
            }
        }

        for (; i < length; i++)
        {
            T gi = Unsafe.Add(ref g, i);
            ref T vi = ref Unsafe.Add(ref v, i);
            vi = (gi * oneMinusRho * gi) + (vi * rho);
            T scale = vi;
            if (centered)
            {
                ref T meani = ref Unsafe.Add(ref mean, i);
                meani = (gi * oneMinusRho) + (meani * rho);
                scale = vi - (meani * meani);
            }

            T stepi = gi / (T.Sqrt(scale) + epsilon);
            if (momentum)
            {
                ref T bi = ref Unsafe.Add(ref b, i);
                bi = (bi * mu) + stepi;
                stepi = bi;
            }

            ref T thetai = ref Unsafe.Add(ref theta, i);
            thetai = (stepi * negativeRate) + thetai;
        }
    }

    /// <summary>Sets v, ḡ and the momentum buffer back to 0.</summary>
    public void Reset()
    {
        Array.Clear(_meanSquare);
        Array.Clear(_meanGradient);
        Array.Clear(_buffer);
    }
}
