using System;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace Backprop.CompilerServices;

/// <summary>
/// ELU with α = 1 (PyTorch's default): g(z) = z if z &gt; 0, else eᶻ − 1; g′ = 1 if a &gt; 0, else a + 1 (= eᶻ),
/// from the stored a (a &gt; 0 exactly when z &gt; 0).
/// </summary>
/// <remarks>eᶻ − 1 is computed without cancellation, so g keeps its relative accuracy near 0; g(−∞) = −1.</remarks>
public readonly struct ELUOperator<T> : IActivationOperator<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <inheritdoc/>
    public static bool DerivativeReadsPreActivation => false;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Invoke(T z) => z > T.Zero ? z : ElementaryFunctions.ExpMinusOne(z);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Derivative(T a) => a > T.Zero ? T.One : a + T.One;

    static void IActivationOperator<T>.Invoke(ReadOnlySpan<T> z, Span<T> a) => Activations.Map<T, ELUOperator<T>>(z, a);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static TVector IActivationOperator<T>.Invoke<TVector, TLanes>(TVector z)
        => TLanes.Select(TLanes.GreaterThan(z, TLanes.Zero), z, ElementaryFunctions.ExpMinusOne<T, TVector, TLanes>(z));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static TVector IActivationOperator<T>.Derivative<TVector, TLanes>(TVector a)
        => TLanes.Select(TLanes.GreaterThan(a, TLanes.Zero), TLanes.One, TLanes.Add(a, TLanes.One));
}
