using System;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace Backprop.CompilerServices;

/// <summary>
/// Softplus: g(z) = ln(1 + eᶻ), computed as max(z, 0) + ln(1 + e^(−|z|)); g′(z) = σ(z) = 1 / (1 + e⁻ᶻ), from the
/// pre-activation z.
/// </summary>
/// <remarks>
/// Finite and exact for every finite z: g(z) = z for large z, and e^z to its relative accuracy for very negative z
/// (0 once it underflows), since ln(1 + u) is computed without rounding u away.
/// </remarks>
public readonly struct SoftplusOperator<T> : IActivationOperator<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <inheritdoc/>
    public static bool DerivativeReadsPreActivation => true;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Invoke(T z) => ElementaryFunctions.Softplus(z);

    /// <summary>σ(z) = 1/(1 + e) for z ≥ 0 and e/(1 + e) for z &lt; 0, e = e^(−|z|): no overflow, and a tiny σ keeps its last bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Derivative(T z)
    {
        T e = T.Exp(-T.Abs(z));
        T r = T.One / (T.One + e);
        return z < T.Zero ? e * r : r;
    }

    static void IActivationOperator<T>.Invoke(ReadOnlySpan<T> z, Span<T> a) => Activations.Map<T, SoftplusOperator<T>>(z, a);

    /// <summary>max(z, 0) + ln(1 + u), u = e^(−|z|), the vector form of <see cref="ElementaryFunctions.Softplus{T}(T)"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static TVector IActivationOperator<T>.Invoke<TVector, TLanes>(TVector z)
    {
        TVector u = TLanes.Exp(TLanes.Negate(TLanes.Abs(z)));
        return TLanes.Add(TLanes.Max(z, TLanes.Zero), ElementaryFunctions.LogOnePlus<T, TVector, TLanes>(u));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static TVector IActivationOperator<T>.Derivative<TVector, TLanes>(TVector z)
    {
        TVector e = TLanes.Exp(TLanes.Negate(TLanes.Abs(z)));
        TVector r = TLanes.Divide(TLanes.One, TLanes.Add(TLanes.One, e));
        return TLanes.Select(TLanes.LessThan(z, TLanes.Zero), TLanes.Multiply(e, r), r);
    }
}
