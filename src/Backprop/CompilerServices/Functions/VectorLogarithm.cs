using System;
using System.ComponentModel;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Backprop.CompilerServices;

/// <summary>
/// ln x in vector registers, for float and double, written once over the lanes of any width: the lanes' logarithm on
/// every target, for the reasons <see cref="VectorExponential"/> gives (.NET 8 has no <c>Vector128.Log</c>; .NET 9's is
/// a call the JIT does not inline, and less accurate); softplus, ELU's eˣ − 1 and the register softmax's logsumexp
/// need it. Public only so tests and benchmarks can call it directly.
/// </summary>
/// <remarks>
/// <para>
/// x = 2ᵉ·m with m in [√2/2, √2), e and m read from the exponent and mantissa bits (a subnormal x scaled by 2²⁵, resp.
/// 2⁵⁴, first), f = m − 1 (exact). With s = f/(2 + f), ln(1 + f) = 2·atanh s = 2s + s·z·P(z), z = s², and since
/// 2s = f − s·f, ln(1 + f) = f − (f²/2 − s·(f²/2 + z·P(z))): f exact, the rest a correction of at most f²/2.
/// ln x = e·ln2₍hi₎ + (ln(1 + f) + e·ln2₍lo₎), e·ln2₍hi₎ exact (ln2₍hi₎ as in <see cref="VectorExponential"/>).
/// </para>
/// <para>
/// P has 3 coefficients in float, 7 in double: the minimax fits of the relative error of ln(1 + f) for
/// |s| ≤ (√2 − 1)/(√2 + 1) by a weighted Remez exchange written for this (mpmath, 60 digits): 2⁻³⁰·² and 2⁻⁵⁹·⁵.
/// </para>
/// <para>ln(±0) = −∞, ln x = NaN for x &lt; 0 (−∞ included), ln(+∞) = +∞, NaN in gives NaN out.</para>
/// <para>
/// Measured against a 320-bit reference (VectorLogarithmTests): at most 0.74 ulp in float, 0.79 in double, with or
/// without FMA; .NET 10's <c>Vector256.Log</c>: 1.71 and 2.36 ulp on the same inputs, but a little faster
/// (VectorExpBenchmarks: 2.0 against 2.2 ns per float, 4.5 against 5.6 per double).
/// </para>
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class VectorLogarithm
{
    /// <summary>ln x per lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Log<T>(Vector128<T> x)
        where T : unmanaged, IFloatingPointIeee754<T>
        => Log<T, Vector128<T>, Lanes128<T>>(x);

    /// <inheritdoc cref="Log{T}(Vector128{T})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Log<T>(Vector256<T> x)
        where T : unmanaged, IFloatingPointIeee754<T>
        => Log<T, Vector256<T>, Lanes256<T>>(x);

    /// <inheritdoc cref="Log{T}(Vector128{T})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Log<T>(Vector512<T> x)
        where T : unmanaged, IFloatingPointIeee754<T>
        => Log<T, Vector512<T>, Lanes512<T>>(x);

    /// <summary>ln x for one value, by the same algorithm in one lane of a 128-bit vector.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Log<T>(T x)
        where T : unmanaged, IFloatingPointIeee754<T>
        => Log<T, Vector128<T>, Lanes128<T>>(Vector128.CreateScalarUnsafe(x)).ToScalar();

    /// <summary>ln x per lane, for T float or double.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static TVector Log<T, TVector, TLanes>(TVector x)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : struct
        where TLanes : IVectorLanes<TVector, T>
    {
        bool single = typeof(T) == typeof(float);
        int mantissaBits = single ? 23 : 52;

        // A subnormal x is scaled into the normal range, its exponent adjusted to match.
        TVector subnormal = TLanes.LessThan(x, ElementaryFunctions.LaneConstant<T, TVector, TLanes>(1.1754943508222875e-38, 2.2250738585072014e-308));
        TVector normal = TLanes.Select(subnormal, TLanes.Multiply(x, ElementaryFunctions.LaneConstant<T, TVector, TLanes>(33554432.0, 18014398509481984.0)), x);

        // e: the biased exponent put in the low mantissa bits of 2ᵐ (m the mantissa's width) is 2ᵐ + e + bias; less
        // 2ᵐ + bias (+ 25 or 54 for a subnormal) it is e.
        TVector twoToTheM = Bits<T, TVector, TLanes>(0x4B00_0000u, 0x4330_0000_0000_0000ul);
        TVector offset = TLanes.Select(
            subnormal,
            ElementaryFunctions.LaneConstant<T, TVector, TLanes>(8388608.0 + 127 + 25, 4503599627370496.0 + 1023 + 54),
            ElementaryFunctions.LaneConstant<T, TVector, TLanes>(8388608.0 + 127, 4503599627370496.0 + 1023));
        TVector e = TLanes.Subtract(TLanes.Or(TLanes.ShiftRightBits(normal, mantissaBits), twoToTheM), offset);

        // m in [1, 2) from the mantissa bits, then halved above √2 (e one more).
        TVector m = TLanes.Or(TLanes.And(normal, Bits<T, TVector, TLanes>(0x007F_FFFFu, 0x000F_FFFF_FFFF_FFFFul)), TLanes.One);
        TVector above = TLanes.GreaterThan(m, ElementaryFunctions.LaneConstant<T, TVector, TLanes>(Math.Sqrt(2), Math.Sqrt(2)));
        m = TLanes.Select(above, TLanes.Multiply(m, ElementaryFunctions.LaneConstant<T, TVector, TLanes>(0.5, 0.5)), m);
        e = TLanes.Add(e, TLanes.And(above, TLanes.One));

        TVector f = TLanes.Subtract(m, TLanes.One);
        TVector s = TLanes.Divide(f, TLanes.Add(f, ElementaryFunctions.LaneConstant<T, TVector, TLanes>(2.0, 2.0)));
        TVector z = TLanes.Multiply(s, s);
        TVector p;
        if (single)
        {
            p = TLanes.MultiplyAdd(ElementaryFunctions.LaneConstant<T, TVector, TLanes>(S2, 0), z, ElementaryFunctions.LaneConstant<T, TVector, TLanes>(S1, 0));
            p = TLanes.MultiplyAdd(p, z, ElementaryFunctions.LaneConstant<T, TVector, TLanes>(S0, 0));
        }
        else
        {
            p = TLanes.MultiplyAdd(ElementaryFunctions.LaneConstant<T, TVector, TLanes>(0, D6), z, ElementaryFunctions.LaneConstant<T, TVector, TLanes>(0, D5));
            p = TLanes.MultiplyAdd(p, z, ElementaryFunctions.LaneConstant<T, TVector, TLanes>(0, D4));
            p = TLanes.MultiplyAdd(p, z, ElementaryFunctions.LaneConstant<T, TVector, TLanes>(0, D3));
            p = TLanes.MultiplyAdd(p, z, ElementaryFunctions.LaneConstant<T, TVector, TLanes>(0, D2));
            p = TLanes.MultiplyAdd(p, z, ElementaryFunctions.LaneConstant<T, TVector, TLanes>(0, D1));
            p = TLanes.MultiplyAdd(p, z, ElementaryFunctions.LaneConstant<T, TVector, TLanes>(0, D0));
        }

        // ln(1 + f) = f − (f²/2 − s·(f²/2 + z·P(z))), and e·ln 2 added in two parts.
        TVector halfSquare = TLanes.Multiply(TLanes.Multiply(f, f), ElementaryFunctions.LaneConstant<T, TVector, TLanes>(0.5, 0.5));
        TVector correction = TLanes.MultiplyAdd(
            s,
            TLanes.MultiplyAdd(z, p, halfSquare),
            TLanes.Multiply(e, ElementaryFunctions.LaneConstant<T, TVector, TLanes>(VectorExponential.Ln2LowSingle, VectorExponential.Ln2LowDouble)));
        TVector result = TLanes.MultiplyAdd(
            e,
            ElementaryFunctions.LaneConstant<T, TVector, TLanes>(VectorExponential.Ln2HighSingle, VectorExponential.Ln2HighDouble),
            TLanes.Subtract(f, TLanes.Subtract(halfSquare, correction)));

        // ln(+∞) = +∞ and NaN stay themselves, ln(±0) = −∞, ln of a negative number NaN.
        TVector infinity = TLanes.Broadcast(T.PositiveInfinity);
        result = TLanes.Select(TLanes.Or(TLanes.IsNaN(x), TLanes.Equal(x, infinity)), x, result);
        result = TLanes.Select(TLanes.Equal(x, TLanes.Zero), TLanes.Negate(infinity), result);
        return TLanes.Select(TLanes.LessThan(x, TLanes.Zero), TLanes.Broadcast(T.NaN), result);
    }

    /// <summary>A bit pattern as a lane, broadcast.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVector Bits<T, TVector, TLanes>(uint single, ulong @double)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : struct
        where TLanes : IVectorLanes<TVector, T>
        => TLanes.Broadcast(typeof(T) == typeof(float) ? Unsafe.BitCast<uint, T>(single) : Unsafe.BitCast<ulong, T>(@double));

    // P(z) for float and double: the minimax fits' coefficients of 1, z, z², … (Taylor's would be 2/3, 2/5, 2/7, …).
    private const float S0 = 0.6666677641511812648f;
    private const float S1 = 0.3997753697984072526f;
    private const float S2 = 0.2987186226745194543f;

    private const double D0 = 0.6666666666666734461075672;
    private const double D1 = 0.399999999994143172564588;
    private const double D2 = 0.2857142874247557808935087;
    private const double D3 = 0.2222219856342408773638431;
    private const double D4 = 0.1818356486948174519554872;
    private const double D5 = 0.1531403577060761213471682;
    private const double D6 = 0.1479610603266463230059755;
}
