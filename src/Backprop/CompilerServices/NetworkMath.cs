using System;
using System.ComponentModel;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;

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
    public static void ReLU<T>(ReadOnlySpan<T> z, Span<T> output) where T : IFloatingPointIeee754<T>
        => TensorPrimitives.Max(z, T.Zero, output);

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
    public static T Softmax<T>(ReadOnlySpan<T> z, Span<T> output) where T : IFloatingPointIeee754<T>
    {
        T max = TensorPrimitives.Max(z);
        TensorPrimitives.Subtract(z, max, output);
        TensorPrimitives.Exp(output, output);
        T sum = TensorPrimitives.Sum<T>(output);
        TensorPrimitives.Divide(output, sum, output);
        return max + T.Log(sum);
    }
}
