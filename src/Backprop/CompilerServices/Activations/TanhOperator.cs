using System;
using System.Numerics;
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

    /// <summary>
    /// The vector form below over the span. Not TensorPrimitives.Tanh: its vector path loses accuracy near 0
    /// (float: 3·10⁻⁵ relative at z = 10⁻³, 0.4 at 10⁻⁷), which ActivationOperatorTests measure.
    /// </summary>
    static void IActivationOperator<T>.Invoke(ReadOnlySpan<T> z, Span<T> a) => Activations.Map<T, TanhOperator<T>>(z, a);

    /// <summary>
    /// For |z| ≥ 0.625, 1 − 2/(e^(2|z|) + 1) with the sign of z: no cancellation, since the result is at least 0.55, and
    /// ±1 once the exponential overflows. Below, Moshier's rational approximation (Cephes tanh.c):
    /// z + z·s·P(s)/Q(s), s = z², accurate to an ulp or two in double and float. One exponential and two divisions,
    /// where the e^x − 1 form needed a logarithm too.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static TVector IActivationOperator<T>.Invoke<TVector, TLanes>(TVector z)
    {
        TVector magnitude = TLanes.Abs(z);
        TVector two = TLanes.Broadcast(T.One + T.One);
        TVector large = TLanes.Subtract(TLanes.One, TLanes.Divide(two, TLanes.Add(TLanes.Exp(TLanes.Multiply(two, magnitude)), TLanes.One)));
        large = TLanes.Select(TLanes.LessThan(z, TLanes.Zero), TLanes.Negate(large), large);

        TVector s = TLanes.Multiply(z, z);
        TVector p = TLanes.MultiplyAdd(TLanes.MultiplyAdd(TLanes.Broadcast(Constant(P0)), s, TLanes.Broadcast(Constant(P1))), s, TLanes.Broadcast(Constant(P2)));
        TVector q = TLanes.MultiplyAdd(TLanes.MultiplyAdd(TLanes.Add(s, TLanes.Broadcast(Constant(Q0))), s, TLanes.Broadcast(Constant(Q1))), s, TLanes.Broadcast(Constant(Q2)));
        TVector small = TLanes.MultiplyAdd(TLanes.Multiply(z, s), TLanes.Divide(p, q), z);
        return TLanes.Select(TLanes.LessThan(magnitude, TLanes.Broadcast(Constant(0.625))), small, large);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static TVector IActivationOperator<T>.Derivative<TVector, TLanes>(TVector a)
        => TLanes.Subtract(TLanes.One, TLanes.Multiply(a, a));

    // Moshier's Cephes tanh.c: tanh x = x + x·s·P(s)/Q(s), s = x², for |x| < 0.625; Q's leading coefficient is 1.
    private const double P0 = -9.64399179425052238628E-1;
    private const double P1 = -9.92877231001918586564E1;
    private const double P2 = -1.61468768441708447952E3;
    private const double Q0 = 1.12811678491632931402E2;
    private const double Q1 = 2.23548839060100448583E3;
    private const double Q2 = 4.84406305325125486048E3;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T Constant(double value) => ElementaryFunctions.FromDouble<T>(value);
}
