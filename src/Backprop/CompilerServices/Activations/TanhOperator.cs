using System;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;

namespace Backprop.CompilerServices;

/// <summary>Tanh: g(z) = tanh z; g′ = 1 − a², from the stored a.</summary>
public readonly struct TanhOperator<T> : IActivationOperator<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <inheritdoc/>
    public static bool DerivativeReadsPreActivation => false;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Invoke(T z) => T.Tanh(z);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Derivative(T a) => T.One - (a * a);

    /// <summary>TensorPrimitives' vectorised tanh: it has a vector exponential on .NET 8 too.</summary>
    static void IActivationOperator<T>.Invoke(ReadOnlySpan<T> z, Span<T> a) => TensorPrimitives.Tanh(z, a);

    /// <summary>
    /// tanh z = −m / (m + 2) with m = eˣ − 1 at x = −2|z|, the sign of z put back: exact to a few ulps for every z,
    /// since eˣ − 1 is computed without cancellation (<see cref="ElementaryFunctions.ExpMinusOne"/>), and ±1 for large |z|.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static TVector IActivationOperator<T>.Invoke<TVector, TLanes>(TVector z)
    {
        TVector m = ElementaryFunctions.ExpMinusOne<T, TVector, TLanes>(TLanes.Multiply(TLanes.Broadcast(-(T.One + T.One)), TLanes.Abs(z)));
        TVector magnitude = TLanes.Divide(TLanes.Negate(m), TLanes.Add(m, TLanes.Broadcast(T.One + T.One)));
        return TLanes.Select(TLanes.LessThan(z, TLanes.Zero), TLanes.Negate(magnitude), magnitude);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static TVector IActivationOperator<T>.Derivative<TVector, TLanes>(TVector a)
        => TLanes.Subtract(TLanes.One, TLanes.Multiply(a, a));
}
