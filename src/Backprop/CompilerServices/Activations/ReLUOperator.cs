using System;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace Backprop.CompilerServices;

/// <summary>ReLU: g(z) = max(0, z), NaN stays NaN; g′ = 1 if a &gt; 0, else 0, from the stored a.</summary>
public readonly struct ReLUOperator<T> : IActivationOperator<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <inheritdoc/>
    public static bool DerivativeReadsPreActivation => false;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Invoke(T z) => T.Max(z, T.Zero);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Derivative(T a) => a > T.Zero ? T.One : T.Zero;

    static void IActivationOperator<T>.Invoke(ReadOnlySpan<T> z, Span<T> a) => Activations.Map<T, ReLUOperator<T>>(z, a);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static TVector IActivationOperator<T>.Invoke<TVector, TLanes>(TVector z)
        => TLanes.Select(TLanes.Or(TLanes.GreaterThan(z, TLanes.Zero), TLanes.IsNaN(z)), z, TLanes.Zero);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static TVector IActivationOperator<T>.Derivative<TVector, TLanes>(TVector a)
        => TLanes.Select(TLanes.GreaterThan(a, TLanes.Zero), TLanes.One, TLanes.Zero);
}
