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

    /// <summary>
    /// z with the lanes where z ≤ 0 cleared: a NaN compares false and stays, −0 becomes +0, as <see cref="Invoke(T)"/>
    /// does. A compare and an and-not; measured in the register form of 16-16-16-4 on AVX2, two 16 × 16 layers took
    /// 60 ns with the earlier compare, NaN test, or and select, and about 35 with these two instructions.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static TVector IActivationOperator<T>.Invoke<TVector, TLanes>(TVector z)
        => TLanes.AndNot(z, TLanes.LessThanOrEqual(z, TLanes.Zero));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static TVector IActivationOperator<T>.Derivative<TVector, TLanes>(TVector a)
        => TLanes.And(TLanes.GreaterThan(a, TLanes.Zero), TLanes.One);
}
