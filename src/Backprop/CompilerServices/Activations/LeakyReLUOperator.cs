using System;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace Backprop.CompilerServices;

/// <summary>
/// LeakyReLU with PyTorch's default slope: g(z) = z if z &gt; 0, else 0.01·z; g′ = 1 if a &gt; 0, else 0.01, from
/// the stored a (a &gt; 0 exactly when z &gt; 0).
/// </summary>
public readonly struct LeakyReLUOperator<T> : IActivationOperator<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The slope for z ≤ 0.</summary>
    public const double Slope = 0.01;

    /// <inheritdoc/>
    public static bool DerivativeReadsPreActivation => false;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Invoke(T z) => z > T.Zero ? z : T.CreateTruncating(Slope) * z;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Derivative(T a) => a > T.Zero ? T.One : T.CreateTruncating(Slope);

    static void IActivationOperator<T>.Invoke(ReadOnlySpan<T> z, Span<T> a) => Activations.Map<T, LeakyReLUOperator<T>>(z, a);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static TVector IActivationOperator<T>.Invoke<TVector, TLanes>(TVector z)
        => TLanes.Select(TLanes.GreaterThan(z, TLanes.Zero), z, TLanes.Multiply(z, TLanes.Broadcast(T.CreateTruncating(Slope))));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static TVector IActivationOperator<T>.Derivative<TVector, TLanes>(TVector a)
        => TLanes.Select(TLanes.GreaterThan(a, TLanes.Zero), TLanes.One, TLanes.Broadcast(T.CreateTruncating(Slope)));
}
