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
    /// eˣ − 1 per lane without cancellation near 0: with u = eˣ, (u − 1)·x / ln u (Kahan), which is accurate to a
    /// few ulps because the rounding errors of u − 1 and ln u cancel; x itself where u rounds to 1, −1 where u
    /// underflows to 0, and +∞ where it overflows.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVector ExpMinusOne<T, TVector, TLanes>(TVector x)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : struct
        where TLanes : IVectorLanes<TVector, T>
    {
        TVector u = TLanes.Exp(x);
        TVector uMinusOne = TLanes.Subtract(u, TLanes.One);
        TVector kahan = TLanes.Divide(TLanes.Multiply(uMinusOne, x), TLanes.Log(u));

        // u = 1: x is below half an ulp of 1, where eˣ − 1 = x to the precision; u = 0 or ∞: u − 1 is already exact.
        TVector atExtremes = TLanes.Or(TLanes.Equal(u, TLanes.Zero), TLanes.Equal(u, TLanes.Broadcast(T.PositiveInfinity)));
        return TLanes.Select(TLanes.Equal(u, TLanes.One), x, TLanes.Select(atExtremes, uMinusOne, kahan));
    }
}
