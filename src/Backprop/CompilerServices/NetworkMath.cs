using System;
using System.ComponentModel;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Backprop.CompilerServices;

/// <summary>
/// Activations and numerically stable loss terms that generated networks call. Scalar forms are
/// used by unrolled layers, span forms by looped ones; both compute the same formulas.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class NetworkMath
{
    /// <summary>The slope of <see cref="Activation.LeakyReLU"/> for z ≤ 0 (PyTorch's default).</summary>
    public const double LeakyReLUSlope = 0.01;

    /// <summary>σ(z) = 1 / (1 + e⁻ᶻ); 0 or 1 at the extremes, never NaN for a finite z.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Sigmoid<T>(T z) where T : IFloatingPointIeee754<T> => T.One / (T.One + T.Exp(-z));

    /// <summary>tanh z.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Tanh<T>(T z) where T : IFloatingPointIeee754<T> => T.Tanh(z);

    /// <summary>max(0, z); NaN stays NaN.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T ReLU<T>(T z) where T : IFloatingPointIeee754<T> => T.Max(z, T.Zero);

    /// <summary>z for z &gt; 0, else 0.01·z; NaN stays NaN.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T LeakyReLU<T>(T z) where T : IFloatingPointIeee754<T> => z > T.Zero ? z : T.CreateTruncating(LeakyReLUSlope) * z;

    /// <summary>eᶻ.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Exp<T>(T z) where T : IFloatingPointIeee754<T> => T.Exp(z);

    /// <summary>ln z.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Log<T>(T z) where T : IFloatingPointIeee754<T> => T.Log(z);

    /// <summary>The larger of two values; NaN if either is NaN.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Max<T>(T x, T y) where T : IFloatingPointIeee754<T> => T.Max(x, y);

    /// <summary>
    /// softplus(z) = ln(1 + eᶻ), computed as max(z, 0) + ln(1 + e^(−|z|)) so it neither overflows
    /// for large z nor loses the tail for very negative z.
    /// </summary>
    public static T Softplus<T>(T z) where T : IFloatingPointIeee754<T>
        => T.Max(z, T.Zero) + LogOnePlus(T.Exp(-T.Abs(z)));

    /// <summary>ln(1 + u) for u ≥ 0, accurate for tiny u (Goldberg's correction: ln w · u / (w − 1)).</summary>
    public static T LogOnePlus<T>(T u) where T : IFloatingPointIeee754<T>
    {
        T w = T.One + u;
        return w == T.One ? u : T.Log(w) * u / (w - T.One);
    }

    /// <summary>output = σ(z) element-wise.</summary>
    public static void Sigmoid<T>(ReadOnlySpan<T> z, Span<T> output) where T : IFloatingPointIeee754<T>
        => TensorPrimitives.Sigmoid(z, output);

    /// <summary>output = tanh z element-wise.</summary>
    public static void Tanh<T>(ReadOnlySpan<T> z, Span<T> output) where T : IFloatingPointIeee754<T>
        => TensorPrimitives.Tanh(z, output);

    /// <summary>output = max(0, z) element-wise; NaN stays NaN.</summary>
    public static void ReLU<T>(ReadOnlySpan<T> z, Span<T> output) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (z.Length != output.Length)
        {
            throw new ArgumentException("The input and the output must have the same length.", nameof(output));
        }

        int i = 0;
        if (Vector.IsHardwareAccelerated && Vector<T>.IsSupported)
        {
            ref T source = ref MemoryMarshal.GetReference(z);
            ref T destination = ref MemoryMarshal.GetReference(output);
            for (; i <= z.Length - Vector<T>.Count; i += Vector<T>.Count)
            {
                // max(z, 0) that keeps NaN: z where z > 0 or z ≠ z, else 0.
                Vector<T> value = Vector.LoadUnsafe(ref source, (nuint)i);
                Vector<T> keep = Vector.GreaterThan(value, Vector<T>.Zero) | ~Vector.Equals(value, value);
                Vector.ConditionalSelect(keep, value, Vector<T>.Zero).StoreUnsafe(ref destination, (nuint)i);
            }
        }

        for (; i < z.Length; i++)
        {
            output[i] = ReLU(z[i]);
        }
    }

    /// <summary>output = z for z &gt; 0, else 0.01·z, element-wise.</summary>
    public static void LeakyReLU<T>(ReadOnlySpan<T> z, Span<T> output) where T : IFloatingPointIeee754<T>
    {
        for (int i = 0; i < z.Length; i++)
        {
            output[i] = LeakyReLU(z[i]);
        }
    }

    /// <summary>
    /// output = softmax(z) with the largest logit subtracted first, so no exponent overflows.
    /// Returns logsumexp(z) = max z + ln Σⱼ e^(zⱼ − max z), which cross-entropy needs.
    /// </summary>
    public static T Softmax<T>(ReadOnlySpan<T> z, Span<T> output) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (z.IsEmpty || z.Length != output.Length)
        {
            throw new ArgumentException("Softmax needs at least one logit and an output of the same length.", nameof(output));
        }

#if NET9_0_OR_GREATER
        // Logits that fit one vector: one vectorised exponential (measured: 4 outputs 6 ns against 21).
        if (VectorSoftmax.TryCompute(z, output, out T logSumExp))
        {
            return logSumExp;
        }
#endif

        if (z.Length >= SmallSoftmax)
        {
            T max = TensorPrimitives.Max(z);
            TensorPrimitives.Subtract(z, max, output);
            TensorPrimitives.Exp(output, output);
            T sum = TensorPrimitives.Sum<T>(output);
            TensorPrimitives.Divide(output, sum, output);
            return max + T.Log(sum);
        }

        // Without a vector exponential (.NET 8, or no SIMD hardware), one to three outputs: plain loops cost less
        // than five library calls (measured: 3 outputs 18 ns against 23; from 4 outputs on, the vectorised calls
        // win: 4 outputs 20 ns against 25, 8 outputs 24 against 48).
        T largest = z[0];
        for (int k = 1; k < z.Length; k++)
        {
            largest = T.Max(largest, z[k]);
        }

        T total = T.Zero;
        for (int k = 0; k < z.Length; k++)
        {
            T exponent = T.Exp(z[k] - largest);
            output[k] = exponent;
            total += exponent;
        }

        for (int k = 0; k < output.Length; k++)
        {
            output[k] /= total;
        }

        return largest + T.Log(total);
    }

    /// <summary>δ ⊙= σ′ written from a = σ(z): δᵢ ·= aᵢ(1 − aᵢ).</summary>
    public static void MultiplyBySigmoidDerivative<T>(ReadOnlySpan<T> a, Span<T> delta) where T : unmanaged, IFloatingPointIeee754<T>
        => MultiplyByDerivative<T, SigmoidDerivative<T>>(a, delta);

    /// <summary>δ ⊙= tanh′ written from a = tanh z: δᵢ ·= 1 − aᵢ².</summary>
    public static void MultiplyByTanhDerivative<T>(ReadOnlySpan<T> a, Span<T> delta) where T : unmanaged, IFloatingPointIeee754<T>
        => MultiplyByDerivative<T, TanhDerivative<T>>(a, delta);

    /// <summary>δ ⊙= ReLU′: δᵢ ·= 1 if aᵢ &gt; 0, else 0.</summary>
    public static void MultiplyByReLUDerivative<T>(ReadOnlySpan<T> a, Span<T> delta) where T : unmanaged, IFloatingPointIeee754<T>
        => MultiplyByDerivative<T, ReLUDerivative<T>>(a, delta);

    /// <summary>δ ⊙= LeakyReLU′: δᵢ ·= 1 if aᵢ &gt; 0, else 0.01.</summary>
    public static void MultiplyByLeakyReLUDerivative<T>(ReadOnlySpan<T> a, Span<T> delta) where T : unmanaged, IFloatingPointIeee754<T>
        => MultiplyByDerivative<T, LeakyReLUDerivative<T>>(a, delta);

    /// <summary>Below this many outputs, <see cref="Softmax{T}(ReadOnlySpan{T}, Span{T})"/> uses plain loops (measured).</summary>
    private const int SmallSoftmax = 4;

    private static void MultiplyByDerivative<T, TDerivative>(ReadOnlySpan<T> a, Span<T> delta)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TDerivative : IDerivative<T>
    {
        if (a.Length != delta.Length)
        {
            throw new ArgumentException("The activations and the errors must have the same length.", nameof(delta));
        }

        int i = 0;
        if (Vector.IsHardwareAccelerated && Vector<T>.IsSupported)
        {
            ref T aStart = ref MemoryMarshal.GetReference(a);
            ref T deltaStart = ref MemoryMarshal.GetReference(delta);
            for (; i <= a.Length - Vector<T>.Count; i += Vector<T>.Count)
            {
                Vector<T> value = Vector.LoadUnsafe(ref aStart, (nuint)i);
                Vector<T> product = Vector.LoadUnsafe(ref deltaStart, (nuint)i) * TDerivative.Of(value);
                product.StoreUnsafe(ref deltaStart, (nuint)i);
            }
        }

        for (; i < a.Length; i++)
        {
            delta[i] *= TDerivative.Of(a[i]);
        }
    }

    /// <summary>g′ from the stored activation a, for one value or a vector of them (the same formula).</summary>
    private interface IDerivative<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        static abstract T Of(T a);

        static abstract Vector<T> Of(Vector<T> a);
    }

    private readonly struct SigmoidDerivative<T> : IDerivative<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public static T Of(T a) => a * (T.One - a);

        public static Vector<T> Of(Vector<T> a) => a * (Vector<T>.One - a);
    }

    private readonly struct TanhDerivative<T> : IDerivative<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public static T Of(T a) => T.One - (a * a);

        public static Vector<T> Of(Vector<T> a) => Vector<T>.One - (a * a);
    }

    private readonly struct ReLUDerivative<T> : IDerivative<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public static T Of(T a) => a > T.Zero ? T.One : T.Zero;

        public static Vector<T> Of(Vector<T> a) => Vector.ConditionalSelect(Vector.GreaterThan(a, Vector<T>.Zero), Vector<T>.One, Vector<T>.Zero);
    }

    private readonly struct LeakyReLUDerivative<T> : IDerivative<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public static T Of(T a) => a > T.Zero ? T.One : T.CreateTruncating(LeakyReLUSlope);

        public static Vector<T> Of(Vector<T> a)
            => Vector.ConditionalSelect(Vector.GreaterThan(a, Vector<T>.Zero), Vector<T>.One, new Vector<T>(T.CreateTruncating(LeakyReLUSlope)));
    }
}
