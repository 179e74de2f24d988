using System;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace Backprop.CompilerServices;

/// <summary>
/// SiLU (swish): g(z) = z·σ(z) = z / (1 + e⁻ᶻ); g′(z) = σ(z)·(1 + z·(1 − σ(z))), from the pre-activation z.
/// </summary>
/// <remarks>
/// <para>
/// Written with h = e^(−|z|/2) and e = h² = e^(−|z|), which never overflow: for z ≥ 0, σ = 1/(1 + e) and
/// 1 − σ = e·σ (not 1 − σ, which would lose it); for z &lt; 0, σ = h·h/(1 + e) and 1 − σ = 1/(1 + e), the last factor
/// h applied last. So g and g′ keep their relative accuracy where they are tiny, and where e^z alone would be
/// subnormal (z below −87 in float, −708 in double) they underflow once, at the end.
/// </para>
/// <para>
/// g(z) = z for large z and −0 for very negative z, never NaN; ±∞ are taken as the largest finite values, so
/// g(−∞) = −0, g′(∞) = 1 and g′(−∞) = −0.
/// </para>
/// </remarks>
public readonly struct SiLUOperator<T> : IActivationOperator<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <inheritdoc/>
    public static bool DerivativeReadsPreActivation => true;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Invoke(T z)
    {
        T h = T.Exp(-T.Abs(z) * Half);
        T denominator = T.One + (h * h);
        return z < T.Zero ? T.Max(z, -LargestFinite) * h / denominator * h : z / denominator;
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Derivative(T z)
    {
        T finite = T.Min(T.Max(z, -LargestFinite), LargestFinite);
        T h = T.Exp(-T.Abs(finite) * Half);
        T e = h * h;
        T r = T.One / (T.One + e);
        return finite < T.Zero
            ? h * r * (T.One + (finite * r)) * h
            : r * (T.One + (finite * (e * r)));
    }

    static void IActivationOperator<T>.Invoke(ReadOnlySpan<T> z, Span<T> a) => Activations.Map<T, SiLUOperator<T>>(z, a);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static TVector IActivationOperator<T>.Invoke<TVector, TLanes>(TVector z)
    {
        TVector h = TLanes.Exp(TLanes.Multiply(TLanes.Abs(z), TLanes.Broadcast(-Half)));
        TVector factor = TLanes.Select(TLanes.LessThan(z, TLanes.Zero), h, TLanes.One);
        TVector numerator = TLanes.Multiply(TLanes.Max(z, TLanes.Broadcast(-LargestFinite)), factor);
        return TLanes.Multiply(TLanes.Divide(numerator, TLanes.MultiplyAdd(h, h, TLanes.One)), factor);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static TVector IActivationOperator<T>.Derivative<TVector, TLanes>(TVector z)
    {
        TVector finite = TLanes.Min(TLanes.Max(z, TLanes.Broadcast(-LargestFinite)), TLanes.Broadcast(LargestFinite));
        TVector h = TLanes.Exp(TLanes.Multiply(TLanes.Abs(finite), TLanes.Broadcast(-Half)));
        TVector e = TLanes.Multiply(h, h);
        TVector r = TLanes.Divide(TLanes.One, TLanes.Add(TLanes.One, e));
        TVector negative = TLanes.LessThan(finite, TLanes.Zero);

        // z < 0: h·r·(1 + z·r)·h; z ≥ 0: r·(1 + z·e·r)·1.
        TVector complement = TLanes.Select(negative, r, TLanes.Multiply(e, r));
        TVector first = TLanes.Select(negative, TLanes.Multiply(h, r), r);
        TVector last = TLanes.Select(negative, h, TLanes.One);
        return TLanes.Multiply(TLanes.Multiply(first, TLanes.MultiplyAdd(finite, complement, TLanes.One)), last);
    }

    private static T Half
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => ElementaryFunctions.FromDouble<T>(0.5);
    }

    /// <summary>The largest finite T, what ±∞ is clamped to.</summary>
    private static T LargestFinite
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => typeof(T) == typeof(double) ? Unsafe.BitCast<double, T>(double.MaxValue) : Unsafe.BitCast<float, T>(float.MaxValue);
    }
}
