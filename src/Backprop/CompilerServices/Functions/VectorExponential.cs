using System.ComponentModel;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Backprop.CompilerServices;

/// <summary>
/// eˣ in vector registers, for float and double, written once over the lanes of any width: the lanes' exponential on
/// every target (.NET 8 has no <c>Vector128.Exp</c>; .NET 9 and later have one, but it is a call, less accurate and
/// slower, see below). Public only so tests and benchmarks can call it directly.
/// </summary>
/// <remarks>
/// <para>
/// Cody–Waite reduction: k = round(x·log₂e) (by adding and subtracting 1.5·2ᵐ, m the mantissa's width, which rounds
/// to the nearest integer), r = x − k·ln2₍hi₎ − k·ln2₍lo₎ with |r| ≤ ln 2/2. ln2₍hi₎ has 16 significant bits in float,
/// 32 in double, so k·ln2₍hi₎ and x − k·ln2₍hi₎ are exact for every k used; ln2₍lo₎ is the rest of ln 2, rounded.
/// </para>
/// <para>
/// eʳ = 1 + r + r²·A(r): A of degree 4 in float (eʳ of degree 6, relative error 3.1·10⁻⁹ = 2⁻²⁸·³), of degree 9 in
/// double (eʳ of degree 11, 3.6·10⁻¹⁸ = 2⁻⁵⁷·⁹), the minimax fits of the relative error of eʳ on
/// [−ln 2/2, ln 2/2] by a weighted Remez exchange written for this (at 60 digits, mpmath), evaluated by Horner's
/// rule with fused multiply-adds where the hardware has them.
/// </para>
/// <para>
/// eˣ = eʳ·2ᵏ¹·2ᵏ², k₁ = round(k/2), k₂ = k − k₁: two exact scalings by powers of two built in the exponent bits, so
/// both are normal numbers for every k from the subnormal range to the overflow, and the result is rounded once, by
/// the last product. x is first clamped to [−104, 89] in float, [−746, 710] in double, where eˣ is already 0 or +∞
/// (the thresholds are −103.97 and 88.72, −745.13 and 709.78). So: results in the subnormal range are gradual
/// subnormals (not flushed to 0), e^(+∞) = +∞, e^(−∞) = +0, NaN in gives NaN out, e⁰ = 1 exactly.
/// </para>
/// <para>
/// Measured against a 320-bit reference (VectorExponentialTests, about 20 000 inputs each): at most 0.79 ulp in float
/// and 0.84 in double with FMA, 0.92 and 0.93 without. .NET 10's <c>Vector256.Exp</c> on the same inputs: 1.77 and
/// 2.02 ulp; and it measured slower (VectorExpBenchmarks, AVX2: 1.8 against 1.3 ns per float, 4.8 against 3.4 per
/// double). It is also a call the JIT does not inline, and the SysV convention keeps no vector register across a
/// call, so every live vector of a register-form method was spilled around it; this one inlines into its caller. One
/// definition on every target also means .NET 8 and .NET 10 compute the same bits.
/// </para>
/// <para>
/// A product that lands in the subnormal range costs a microcode assist on x86 (about 60 cycles measured here), so
/// callers that pad a vector feed the padding lanes 0, not −∞ (<see cref="RegisterSoftmax"/>).
/// </para>
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class VectorExponential
{
    /// <summary>eˣ per lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Exp<T>(Vector128<T> x)
        where T : unmanaged, IFloatingPointIeee754<T>
        => Exp<T, Vector128<T>, Lanes128<T>>(x);

    /// <inheritdoc cref="Exp{T}(Vector128{T})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Exp<T>(Vector256<T> x)
        where T : unmanaged, IFloatingPointIeee754<T>
        => Exp<T, Vector256<T>, Lanes256<T>>(x);

    /// <inheritdoc cref="Exp{T}(Vector128{T})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Exp<T>(Vector512<T> x)
        where T : unmanaged, IFloatingPointIeee754<T>
        => Exp<T, Vector512<T>, Lanes512<T>>(x);

    /// <summary>eˣ for one value, by the same algorithm in one lane of a 128-bit vector.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Exp<T>(T x)
        where T : unmanaged, IFloatingPointIeee754<T>
        => Exp<T, Vector128<T>, Lanes128<T>>(Vector128.CreateScalarUnsafe(x)).ToScalar();

    /// <summary>eˣ per lane, for T float or double.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static TVector Exp<T, TVector, TLanes>(TVector x)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : struct
        where TLanes : IVectorLanes<TVector, T>
    {
        bool single = typeof(T) == typeof(float);

        // Clamped where eˣ is already +∞ or 0, so k stays small; NaN fails both comparisons and goes through.
        TVector upper = ElementaryFunctions.LaneConstant<T, TVector, TLanes>(89.0, 710.0);
        TVector lower = ElementaryFunctions.LaneConstant<T, TVector, TLanes>(-104.0, -746.0);
        x = TLanes.Select(TLanes.GreaterThan(x, upper), upper, x);
        x = TLanes.Select(TLanes.LessThan(x, lower), lower, x);

        // k = round(x·log₂e): 1.5·2ᵐ added leaves k in the low mantissa bits, and subtracted, k itself.
        TVector shifter = ElementaryFunctions.LaneConstant<T, TVector, TLanes>(RoundingShifterSingle, RoundingShifterDouble);
        TVector k = TLanes.Subtract(TLanes.MultiplyAdd(x, ElementaryFunctions.LaneConstant<T, TVector, TLanes>(Log2E, Log2E), shifter), shifter);

        // r = x − k·ln 2 in two steps; the first is exact.
        TVector r = TLanes.MultiplyAdd(k, ElementaryFunctions.LaneConstant<T, TVector, TLanes>(-Ln2HighSingle, -Ln2HighDouble), x);
        r = TLanes.MultiplyAdd(k, ElementaryFunctions.LaneConstant<T, TVector, TLanes>(-Ln2LowSingle, -Ln2LowDouble), r);

        // eʳ = 1 + r + r²·A(r).
        TVector p;
        if (single)
        {
            p = TLanes.MultiplyAdd(ElementaryFunctions.LaneConstant<T, TVector, TLanes>(S6, S6), r, ElementaryFunctions.LaneConstant<T, TVector, TLanes>(S5, S5));
            p = TLanes.MultiplyAdd(p, r, ElementaryFunctions.LaneConstant<T, TVector, TLanes>(S4, S4));
            p = TLanes.MultiplyAdd(p, r, ElementaryFunctions.LaneConstant<T, TVector, TLanes>(S3, S3));
            p = TLanes.MultiplyAdd(p, r, ElementaryFunctions.LaneConstant<T, TVector, TLanes>(S2, S2));
        }
        else
        {
            p = TLanes.MultiplyAdd(ElementaryFunctions.LaneConstant<T, TVector, TLanes>(D11, D11), r, ElementaryFunctions.LaneConstant<T, TVector, TLanes>(D10, D10));
            p = TLanes.MultiplyAdd(p, r, ElementaryFunctions.LaneConstant<T, TVector, TLanes>(D9, D9));
            p = TLanes.MultiplyAdd(p, r, ElementaryFunctions.LaneConstant<T, TVector, TLanes>(D8, D8));
            p = TLanes.MultiplyAdd(p, r, ElementaryFunctions.LaneConstant<T, TVector, TLanes>(D7, D7));
            p = TLanes.MultiplyAdd(p, r, ElementaryFunctions.LaneConstant<T, TVector, TLanes>(D6, D6));
            p = TLanes.MultiplyAdd(p, r, ElementaryFunctions.LaneConstant<T, TVector, TLanes>(D5, D5));
            p = TLanes.MultiplyAdd(p, r, ElementaryFunctions.LaneConstant<T, TVector, TLanes>(D4, D4));
            p = TLanes.MultiplyAdd(p, r, ElementaryFunctions.LaneConstant<T, TVector, TLanes>(D3, D3));
            p = TLanes.MultiplyAdd(p, r, ElementaryFunctions.LaneConstant<T, TVector, TLanes>(D2, D2));
        }

        if (TLanes.IsMultiplyAddFused)
        {
            // Horner's rule to the end, 1 + r·(1 + r·A(r)): each step rounds once.
            p = TLanes.MultiplyAdd(TLanes.MultiplyAdd(p, r, TLanes.One), r, TLanes.One);
        }
        else
        {
            // 1 + (r + r²·A(r)): with a multiplication and an addition rounding separately, Horner's last two steps
            // would each add half an ulp at the result's scale (measured 1.09 ulp); summed small to large, only the
            // last one does.
            p = TLanes.Add(TLanes.MultiplyAdd(TLanes.Multiply(r, r), p, r), TLanes.One);
        }

        // 2ᵏ = 2ᵏ¹·2ᵏ²: kⱼ + 1.5·2ᵐ + bias holds the biased exponent kⱼ + bias in its low bits; shifted left by m it is
        // the bit pattern of 2ᵏʲ (the 1.5·2ᵐ and the exponent bits above it are shifted out).
        int mantissaBits = single ? 23 : 52;
        TVector bias = ElementaryFunctions.LaneConstant<T, TVector, TLanes>(127.0, 1023.0);
        TVector half = TLanes.MultiplyAdd(k, ElementaryFunctions.LaneConstant<T, TVector, TLanes>(0.5, 0.5), shifter);
        TVector k2 = TLanes.Subtract(k, TLanes.Subtract(half, shifter));
        TVector scale1 = TLanes.ShiftLeftBits(TLanes.Add(half, bias), mantissaBits);
        TVector scale2 = TLanes.ShiftLeftBits(TLanes.Add(k2, TLanes.Add(shifter, bias)), mantissaBits);
        return TLanes.Multiply(TLanes.Multiply(p, scale1), scale2);
    }

    private const double Log2E = 1.4426950408889634074;

    /// <summary>1.5·2²³ and 1.5·2⁵²: added to |y| &lt; 2²², resp. 2⁵¹, they round y to an integer, which the low bits hold.</summary>
    private const double RoundingShifterSingle = 12582912.0;

    private const double RoundingShifterDouble = 6755399441055744.0;

    /// <summary>ln 2 cut after 16 fractional bits (0x3F317200), and the rest rounded to float.</summary>
    internal const double Ln2HighSingle = 0.693145751953125;

    internal const double Ln2LowSingle = 1.428606820309417232e-6;

    /// <summary>ln 2 cut after 32 fractional bits (0x3FE62E42FEE00000), and the rest rounded to double.</summary>
    internal const double Ln2HighDouble = 0.6931471803691238164901733;

    internal const double Ln2LowDouble = 1.908214929270587816144266e-10;

    // A(r) for float: the minimax fit's coefficients of r², …, r⁶ in eʳ ≈ 1 + r + r²·A(r) (Taylor's would be 1/n!).
    private const float S2 = 0.4999999344779648683f;
    private const float S3 = 0.1666652063170949689f;
    private const float S4 = 0.04166838804531399666f;
    private const float S5 = 0.008368716879728139947f;
    private const float S6 = 0.001381459864666403445f;

    // A(r) for double: the coefficients of r², …, r¹¹.
    private const double D2 = 0.5000000000000010627131698;
    private const double D3 = 0.1666666666666641252277986;
    private const double D4 = 0.04166666666653015859024244;
    private const double D5 = 0.008333333333494461664142345;
    private const double D6 = 0.001388888894363011294594048;
    private const double D7 = 0.00019841269506578687653418;
    private const double D8 = 0.00002480149309890655065923425;
    private const double D9 = 0.000002755758637384016369360538;
    private const double D10 = 0.0000002763024837921144397511236;
    private const double D11 = 2.500006160283566669928109e-8;
}
