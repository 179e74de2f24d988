using System;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;

namespace Backprop.CompilerServices;

/// <summary>Sigmoid: g(z) = σ(z) = 1 / (1 + e⁻ᶻ), 0 or 1 at the extremes; g′ = a(1 − a), from the stored a.</summary>
public readonly struct SigmoidOperator<T> : IActivationOperator<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <inheritdoc/>
    public static bool DerivativeReadsPreActivation => false;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Invoke(T z) => T.One / (T.One + T.Exp(-z));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Derivative(T a) => a * (T.One - a);

    /// <summary>
    /// TensorPrimitives' vectorised sigmoid, which has a vector exponential on .NET 8 too (where the lanes' is one
    /// lane at a time); it rejects empty spans, which are simply nothing to do here.
    /// </summary>
    static void IActivationOperator<T>.Invoke(ReadOnlySpan<T> z, Span<T> a)
    {
        if (!z.IsEmpty)
        {
            TensorPrimitives.Sigmoid(z, a);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static TVector IActivationOperator<T>.Invoke<TVector, TLanes>(TVector z)
        => TLanes.Divide(TLanes.One, TLanes.Add(TLanes.One, TLanes.Exp(TLanes.Negate(z))));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static TVector IActivationOperator<T>.Derivative<TVector, TLanes>(TVector a)
        => TLanes.Multiply(a, TLanes.Subtract(TLanes.One, a));
}
