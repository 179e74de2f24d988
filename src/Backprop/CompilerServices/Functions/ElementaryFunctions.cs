using System.Numerics;
using System.Runtime.CompilerServices;

namespace Backprop.CompilerServices;

/// <summary>Elementary functions the activations and losses share: scalar, and written once over the lanes of any vector width.</summary>
internal static class ElementaryFunctions
{
    /// <summary>
    /// softplus(z) = ln(1 + eᶻ), computed as max(z, 0) + ln(1 + e^(−|z|)) so it neither overflows for large z
    /// nor loses the tail for very negative z.
    /// </summary>
    public static T Softplus<T>(T z)
        where T : IFloatingPointIeee754<T>
        => T.Max(z, T.Zero) + LogOnePlus(T.Exp(-T.Abs(z)));

    /// <summary>ln(1 + u) for u ≥ 0, accurate for tiny u (Goldberg's correction: ln w · u / (w − 1)).</summary>
    public static T LogOnePlus<T>(T u)
        where T : IFloatingPointIeee754<T>
    {
        T w = T.One + u;
        return w == T.One ? u : T.Log(w) * u / (w - T.One);
    }

    /// <summary>
    /// eˣ − 1 without cancellation near 0: with u = eˣ, Kahan's (u − 1)·x / ln u, accurate to a few ulps because the
    /// rounding errors of u − 1 and ln u cancel; x itself where |x| is under half an ulp of 1 or u rounds to 1
    /// (eˣ − 1 = x + x²/2 is x to the precision there, and (u − 1)·x could underflow or be 0/0), and u − 1 where that is already exact: −1 once eˣ is
    /// under half an ulp of 1 (where u may be subnormal and ln u no longer x), +∞ once it overflows.
    /// </summary>
    /// <remarks><c>T.ExpM1</c> is not this: .NET 8 and 10 compute it as eˣ − 1, which loses x near 0.</remarks>
    public static T ExpMinusOne<T>(T x)
        where T : IFloatingPointIeee754<T>
    {
        if (T.Abs(x) < HalfUlpOfOne<T>())
        {
            return x;
        }

        T u = T.Exp(x);
        if (u == T.One)
        {
            return x;
        }

        T uMinusOne = u - T.One;
        return uMinusOne == -T.One || T.IsPositiveInfinity(u) ? uMinusOne : uMinusOne * x / T.Log(u);
    }

    /// <inheritdoc cref="ExpMinusOne{T}(T)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVector ExpMinusOne<T, TVector, TLanes>(TVector x)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : struct
        where TLanes : IVectorLanes<TVector, T>
    {
        TVector u = TLanes.Exp(x);
        TVector uMinusOne = TLanes.Subtract(u, TLanes.One);
        TVector kahan = TLanes.Divide(TLanes.Multiply(uMinusOne, x), TLanes.Log(u));
        TVector exact = TLanes.Or(TLanes.Equal(uMinusOne, TLanes.Negate(TLanes.One)), TLanes.Equal(u, TLanes.Broadcast(T.PositiveInfinity)));
        TVector tiny = TLanes.Or(TLanes.LessThan(TLanes.Abs(x), TLanes.Broadcast(HalfUlpOfOne<T>())), TLanes.Equal(u, TLanes.One));
        return TLanes.Select(tiny, x, TLanes.Select(exact, uMinusOne, kahan));
    }

    /// <summary>2⁻²⁴ for float, 2⁻⁵³ for double: the gap just below 1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T HalfUlpOfOne<T>()
        where T : IFloatingPointIeee754<T>
        => T.One - T.BitDecrement(T.One);

    /// <summary>
    /// ln(1 + u) per lane for u ≥ 0, the vector form of <see cref="LogOnePlus{T}(T)"/>: ln w · u / (w − 1), w = 1 + u,
    /// and u itself where w rounds to 1.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVector LogOnePlus<T, TVector, TLanes>(TVector u)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : struct
        where TLanes : IVectorLanes<TVector, T>
    {
        TVector w = TLanes.Add(TLanes.One, u);
        return TLanes.Select(TLanes.Equal(w, TLanes.One), u, TLanes.Divide(TLanes.Multiply(TLanes.Log(w), u), TLanes.Subtract(w, TLanes.One)));
    }

    /// <summary>A double as T: itself for double, rounded to the nearest float for float (a constant once the JIT specialises T).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T FromDouble<T>(double value)
        where T : unmanaged, IFloatingPointIeee754<T>
        => typeof(T) == typeof(double) ? Unsafe.BitCast<double, T>(value) : Unsafe.BitCast<float, T>((float)value);

    /// <summary>
    /// The float or the double constant as T (rounded to float for float lanes), broadcast to every lane: how the vector
    /// polynomials name their coefficients once for both precisions (a constant once the JIT specialises T).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVector LaneConstant<T, TVector, TLanes>(double single, double @double)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : struct
        where TLanes : IVectorLanes<TVector, T>
        => TLanes.Broadcast(FromDouble<T>(typeof(T) == typeof(float) ? single : @double));

    /// <summary>A float or double T as a double, exactly.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double ToDouble<T>(T value)
        where T : unmanaged, IFloatingPointIeee754<T>
        => typeof(T) == typeof(double) ? Unsafe.BitCast<T, double>(value) : Unsafe.BitCast<T, float>(value);
}
