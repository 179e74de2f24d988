using System;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace Backprop.CompilerServices;

/// <summary>
/// GELU, exact (PyTorch's <c>gelu(approximate='none')</c>): g(z) = z·Φ(z), with Φ(z) = ½·erfc(−z/√2) the standard
/// normal distribution; g′(z) = Φ(z) + z·φ(z), φ(z) = e^(−z²/2)/√(2π), from the pre-activation z.
/// </summary>
/// <remarks>
/// Φ keeps its relative accuracy in the left tail (<see cref="ErrorFunction"/>), so g is accurate to a few ulps for
/// every z, down to where it underflows to −0 (z ≈ −38.5 in double, −14 in float), its subnormal values included;
/// g(−∞) = −0, g(∞) = ∞. The scalar float forms are computed in double and rounded.
/// </remarks>
public readonly struct GELUOperator<T> : IActivationOperator<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>
    /// Beyond ±64, Φ is exactly 1 or 0 and φ exactly 0 in both precisions: z is clamped there, so g(−∞) = −0 and
    /// g′(±∞) = 1 or 0 rather than ∞·0.
    /// </summary>
    private const double Cutoff = 64;

    /// <inheritdoc/>
    public static bool DerivativeReadsPreActivation => true;

    /// <inheritdoc/>
    public static T Invoke(T z)
    {
        double x = ElementaryFunctions.ToDouble(z);
        return ElementaryFunctions.FromDouble<T>(ErrorFunction.ScaledNormalCdf(x, Math.Max(x, -Cutoff)));
    }

    /// <inheritdoc/>
    public static T Derivative(T z)
    {
        double x = Math.Clamp(ElementaryFunctions.ToDouble(z), -Cutoff, Cutoff); // NaN stays NaN
        return ElementaryFunctions.FromDouble<T>(ErrorFunction.NormalCdfPlusScaledPdf(x, x));
    }

    static void IActivationOperator<T>.Invoke(ReadOnlySpan<T> z, Span<T> a) => Activations.Map<T, GELUOperator<T>>(z, a);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static TVector IActivationOperator<T>.Invoke<TVector, TLanes>(TVector z)
        => ErrorFunction.ScaledNormalCdf<T, TVector, TLanes>(z, TLanes.Max(z, TLanes.Broadcast(-TypedCutoff)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static TVector IActivationOperator<T>.Derivative<TVector, TLanes>(TVector z)
    {
        TVector cutoff = TLanes.Broadcast(TypedCutoff);
        TVector x = TLanes.Min(TLanes.Max(z, TLanes.Negate(cutoff)), cutoff);
        return ErrorFunction.NormalCdfPlusScaledPdf<T, TVector, TLanes>(x, x);
    }
    private static T TypedCutoff
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => ElementaryFunctions.FromDouble<T>(Cutoff);
    }
}
