using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Backprop.CompilerServices;

/// <summary>
/// The error function erf, its complement erfc = 1 − erf and the standard normal distribution Φ(z) = ½·erfc(−z/√2)
/// with its density φ(z) = e^(−z²/2)/√(2π): scalar, and written once over the lanes of any vector width.
/// </summary>
/// <remarks>
/// <para>
/// The method and the coefficients are those of Sun's fdlibm (s_erf.c, © 1993 Sun Microsystems, freely
/// distributable): four rational approximations in |x|, each with an error below 2⁻⁵⁷ over its interval:
/// </para>
/// <list type="bullet">
/// <item>|x| &lt; 0.84375: erf x = x + x·P(x²)/Q(x²);</item>
/// <item>0.84375 ≤ |x| &lt; 1.25: erf |x| = c + P(s)/Q(s), s = |x| − 1, c = 0.84506291151 rounded to float;</item>
/// <item>
/// 1.25 ≤ |x| &lt; 1/0.35 and 1/0.35 ≤ |x| &lt; 28: erfc |x| = e^(−x² − 0.5625 + R(u)/S(u)) / |x|, u = 1/x² (two
/// sets of coefficients): the asymptotic form, so erfc keeps its relative accuracy down to where it underflows.
/// </item>
/// </list>
/// <para>
/// e^(−x²) is where the accuracy of the tail is lost if x² is rounded: an error δ in x² is a relative error δ in the
/// result, and x² reaches 800. So x is split into h, x rounded to a multiple of 2⁻²⁰ (2⁻⁸ for float), whose
/// square is exact, and x² = h² + (x − h)(x + h); e^(64 − 0.5625 − h²) has an exact argument, and the small
/// remainder and e⁻⁶⁴ go into the other factor. Φ splits z rather than x = z/√2 (z²/2 = h²/2 + (z − h)(z + h)/2), so
/// the left tail of Φ is as accurate as erfc. The e⁶⁴ keeps the head factor normal until the result is far below
/// the normal range: a product with it (z·Φ(z), z·φ(z)) rounds once where it underflows, and keeps its subnormal
/// bits.
/// </para>
/// <para>
/// The scalar double form branches on the interval; the scalar float form is the double one rounded (under half an
/// ulp). The vector form computes every interval and selects per lane (one division for the rational), in the
/// vector's own precision: a few ulps for float and for double. |x| is clamped where erfc has underflowed (28, and
/// 40 for Φ's z; 12 and 16 for float), so erf saturates to ±1, erfc to 0 or 2, Φ to 0 or 1, and the split stays
/// exact; NaN stays NaN.
/// </para>
/// </remarks>
internal static class ErrorFunction
{
    // Sun's fdlibm s_erf.c, the coefficients of its comments (pp, qq; pa, qa; ra, sa; rb, sb), lowest degree first.

    /// <summary>erf on [0, 0.84375]: erf x = x + x·P(x²)/Q(x²).</summary>
    private static readonly double[] SmallP =
    [
        1.28379167095512558561e-01, -3.25042107247001499370e-01, -2.84817495755985104766e-02, -5.77027029648944159157e-03,
        -2.37630166566501626084e-05,
    ];

    private static readonly double[] SmallQ =
    [
        1, 3.97917223959155352819e-01, 6.50222499887672944485e-02, 5.08130628187576562776e-03, 1.32494738004321644526e-04,
        -3.96022827877536812320e-06,
    ];

    /// <summary>erf on [0.84375, 1.25]: erf x = c + P(s)/Q(s), s = x − 1, c = <see cref="MediumC"/>.</summary>
    private static readonly double[] MediumP =
    [
        -2.36211856075265944077e-03, 4.14856118683748331666e-01, -3.72207876035701323847e-01, 3.18346619901161753674e-01,
        -1.10894694282396677476e-01, 3.54783043256182359371e-02, -2.16637559486879084300e-03,
    ];

    private static readonly double[] MediumQ =
    [
        1, 1.06420880400844228286e-01, 5.40397917702171048937e-01, 7.18286544141962662868e-02, 1.26171219808761642112e-01,
        1.36370839120290507362e-02, 1.19844998467991074170e-02,
    ];

    /// <summary>erfc on [1.25, 1/0.35]: erfc x = e^(−x² − 0.5625 + R(u)/S(u)) / x, u = 1/x².</summary>
    private static readonly double[] NearR =
    [
        -9.86494403484714822705e-03, -6.93858572707181764372e-01, -1.05586262253232909814e+01, -6.23753324503260060396e+01,
        -1.62396669462573470355e+02, -1.84605092906711035994e+02, -8.12874355063065934246e+01, -9.81432934416914548592e+00,
    ];

    private static readonly double[] NearS =
    [
        1, 1.96512716674392571292e+01, 1.37657754143519042600e+02, 4.34565877475229228821e+02, 6.45387271733267880336e+02,
        4.29008140027567833386e+02, 1.08635005541779435134e+02, 6.57024977031928170135e+00, -6.04244152148580987438e-02,
    ];

    /// <summary>erfc on [1/0.35, 28]: the same form, other coefficients.</summary>
    private static readonly double[] FarR =
    [
        -9.86494292470009928597e-03, -7.99283237680523006574e-01, -1.77579549177547519889e+01, -1.60636384855821916062e+02,
        -6.37566443368389627722e+02, -1.02509513161107724954e+03, -4.83519191608651397019e+02,
    ];

    private static readonly double[] FarS =
    [
        1, 3.03380607434824582924e+01, 3.25792512996573918826e+02, 1.53672958608443695994e+03, 3.19985821950859553908e+03,
        2.55305040643316442583e+03, 4.74528541206955367215e+02, -2.24409524465858183362e+01,
    ];

    /// <summary>(float)0.84506291151, erf 1 to single precision (exact in float, so 1 − c is too).</summary>
    private const double MediumC = 8.45062911510467529297e-01;

    /// <summary>The highest degree of the eight polynomials.</summary>
    private const int Degree = 8;

    private const double SmallEnd = 0.84375;
    private const double MediumEnd = 1.25;
    private const double NearEnd = 1 / 0.35;

    /// <summary>The offset taken out of the tail's exponent, so its second exponential is near 1.</summary>
    private const double TailOffset = 0.5625;

    /// <summary>
    /// The head factor is e^(64 − 0.5625 − h²) and the rest carries e⁻⁶⁴ (<see cref="ScaleDown"/>): the head stays
    /// normal until the result itself is far below the normal range, so a product that underflows does so once.
    /// </summary>
    private const double HeadExponent = 64 - TailOffset;

    /// <summary>e⁻⁶⁴.</summary>
    private const double ScaleDown = 1.603810890548637852976e-28;

    private const double InverseSqrt2 = 0.70710678118654752440;

    /// <summary>e⁻⁶⁴/√(2π): φ(z) = e^(64 − 0.5625 − h²/2) · e^(0.5625 − (z − h)(z + h)/2) · this.</summary>
    private const double ScaledInverseSqrt2Pi = 6.398279740081261366628e-29;

    /// <summary>Beyond this |x|, erfc x has underflowed: 0 in double from 27.3 on.</summary>
    private const double DoubleLimit = 28;

    /// <summary>Beyond this |z|, Φ(−|z|) has underflowed: 0 in double from 38.5 on.</summary>
    private const double DoubleNormalLimit = 40;

    /// <summary>1.5·2³²: (x + this) − this rounds x to a multiple of 2⁻²⁰ for |x| &lt; 2³⁰.</summary>
    private const double DoubleSplitter = 6442450944.0;

    /// <summary>erfc x is 0 in float from 10.1 on.</summary>
    private const double SingleLimit = 12;

    /// <summary>Φ(−|z|) is 0 in float from 14.3 on.</summary>
    private const double SingleNormalLimit = 16;

    /// <summary>1.5·2¹⁵: rounds x to a multiple of 2⁻⁸ in float.</summary>
    private const double SingleSplitter = 49152.0;

    /// <summary>erf x.</summary>
    public static double Erf(double x)
    {
        if (x == 0 || double.IsNaN(x))
        {
            return x; // keeps the sign of −0
        }

        double ax = Math.Min(Math.Abs(x), DoubleLimit);
        double erf = Magnitude(ax, ax, 1, out _, out _, out _, out _, out _, out _);
        return x < 0 ? -erf : erf;
    }

    /// <summary>erfc x = 1 − erf x, with its relative accuracy for large x.</summary>
    public static double Erfc(double x)
    {
        if (double.IsNaN(x))
        {
            return x;
        }

        double ax = Math.Min(Math.Abs(x), DoubleLimit);
        Magnitude(ax, ax, 1, out double erfc, out double erfcOfNegative, out _, out _, out _, out _);
        return x < 0 ? erfcOfNegative : erfc;
    }

    /// <summary>erf x, computed in double and rounded.</summary>
    public static float Erf(float x) => (float)Erf((double)x);

    /// <summary>erfc x, computed in double and rounded.</summary>
    public static float Erfc(float x) => (float)Erfc((double)x);

    /// <summary>Φ(z) = ½·erfc(−z/√2), the standard normal distribution, with its relative accuracy in the left tail.</summary>
    public static double NormalCdf(double z) => ScaledNormalCdf(z, 1);

    /// <summary>
    /// m·Φ(z). In the left tail Φ(z) = H·t/2 with H = e^(64 − 0.5625 − h²/2) and t carrying the e⁻⁶⁴ (see the
    /// remarks), and m·Φ(z) is computed as H·(m·t/2): H stays normal, so where the result is subnormal (z·Φ(z) for
    /// z ≲ −37.6, −13.2 in float) it is rounded once, at the end. m must be finite where Φ(z) is 0.
    /// </summary>
    public static double ScaledNormalCdf(double z, double m)
    {
        if (double.IsNaN(z))
        {
            return z;
        }

        double az = Math.Min(Math.Abs(z), DoubleNormalLimit);
        Magnitude(az * InverseSqrt2, az, 0.5, out double erfc, out double erfcOfNegative, out bool inTail, out double head, out double tail, out _);
        double halfM = 0.5 * m;
        return z >= 0 ? halfM * erfcOfNegative : inTail ? head * (halfM * tail) : halfM * erfc;
    }

    /// <summary>
    /// Φ(z) + m·φ(z), φ(z) = e^(−z²/2)/√(2π) = H·p with the H of <see cref="ScaledNormalCdf(double, double)"/>: in the
    /// left tail H·(t/2 + m·p), rounded once where it is subnormal. m must be finite where φ(z) is 0.
    /// </summary>
    public static double NormalCdfPlusScaledPdf(double z, double m)
    {
        if (double.IsNaN(z))
        {
            return z;
        }

        double az = Math.Min(Math.Abs(z), DoubleNormalLimit);
        Magnitude(az * InverseSqrt2, az, 0.5, out double erfc, out double erfcOfNegative, out bool inTail, out double head, out double tail, out double squareTail);
        if (!inTail)
        {
            double h = (az + DoubleSplitter) - DoubleSplitter;
            squareTail = 0.5 * (az - h) * (az + h);
            head = Math.Exp(HeadExponent - (0.5 * h * h));
        }

        double pdfTail = Math.Exp(TailOffset - squareTail) * ScaledInverseSqrt2Pi;
        return z >= 0 ? (0.5 * erfcOfNegative) + (m * (head * pdfTail))
            : inTail ? head * ((0.5 * tail) + (m * pdfTail))
            : (0.5 * erfc) + (m * (head * pdfTail));
    }

    /// <summary>
    /// erf |x| for ax = |x| ≥ 0 (clamped), with erfc |x| and erfc(−|x|) = 1 + erf |x|. In the tail (|x| ≥ 1.25,
    /// <paramref name="inTail"/>) erfc |x| = head·tail, head = e^(64 − 0.5625 − scale·h²) with h the source (|x|, or
    /// |z| for Φ, scale ½) rounded to a multiple of 2⁻²⁰ and x² = scale·h² + squareTail exactly, tail = e^(R/S −
    /// squareTail)·e⁻⁶⁴/|x|.
    /// </summary>
    private static double Magnitude(
        double ax,
        double source,
        double scale,
        out double erfc,
        out double erfcOfNegative,
        out bool inTail,
        out double head,
        out double tail,
        out double squareTail)
    {
        inTail = false;
        head = tail = squareTail = 0;
        if (ax < SmallEnd)
        {
            double q = Horner(ax * ax, SmallP) / Horner(ax * ax, SmallQ);
            double erf = ax + (ax * q);
            erfc = ax < 0.25 ? 1 - erf : 0.5 + ((0.5 - ax) - (ax * q));
            erfcOfNegative = 1 + erf;
            return erf;
        }

        if (ax < MediumEnd)
        {
            double s = ax - 1;
            double q = Horner(s, MediumP) / Horner(s, MediumQ);
            erfc = (1 - MediumC) - q;
            erfcOfNegative = 1 + (MediumC + q);
            return MediumC + q;
        }

        double u = 1 / (ax * ax);
        double ratio = ax < NearEnd ? Horner(u, NearR) / Horner(u, NearS) : Horner(u, FarR) / Horner(u, FarS);
        double h = (source + DoubleSplitter) - DoubleSplitter;
        squareTail = scale * (source - h) * (source + h);
        head = Math.Exp(HeadExponent - (scale * h * h));
        tail = Math.Exp(ratio - squareTail) * ScaleDown / ax;
        inTail = true;
        erfc = head * tail;
        erfcOfNegative = 2 - erfc;
        return 1 - erfc;
    }

    /// <summary>erf x per lane.</summary>
    public static TVector Erf<T, TVector, TLanes>(TVector x)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : struct
        where TLanes : IVectorLanes<TVector, T>
    {
        TVector ax = TLanes.Min(TLanes.Abs(x), Constant<T, TVector, TLanes>(DoubleLimit, SingleLimit));
        TVector erf = Magnitude<T, TVector, TLanes>(ax, out _, out _);
        TVector signed = TLanes.Select(TLanes.LessThan(x, TLanes.Zero), TLanes.Negate(erf), erf);
        return TLanes.Select(TLanes.Equal(x, TLanes.Zero), x, signed); // −0 stays −0
    }

    /// <summary>erfc x per lane.</summary>
    public static TVector Erfc<T, TVector, TLanes>(TVector x)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : struct
        where TLanes : IVectorLanes<TVector, T>
    {
        TVector ax = TLanes.Min(TLanes.Abs(x), Constant<T, TVector, TLanes>(DoubleLimit, SingleLimit));
        Magnitude<T, TVector, TLanes>(ax, out TVector erfc, out TVector erfcOfNegative);
        return TLanes.Select(TLanes.LessThan(x, TLanes.Zero), erfcOfNegative, erfc);
    }

    /// <summary>Φ(z) per lane.</summary>
    public static TVector NormalCdf<T, TVector, TLanes>(TVector z)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : struct
        where TLanes : IVectorLanes<TVector, T>
        => ScaledNormalCdf<T, TVector, TLanes>(z, TLanes.One);

    /// <summary>m·Φ(z) per lane, as <see cref="ScaledNormalCdf(double, double)"/>.</summary>
    public static TVector ScaledNormalCdf<T, TVector, TLanes>(TVector z, TVector m)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : struct
        where TLanes : IVectorLanes<TVector, T>
    {
        TVector head = NormalMagnitude<T, TVector, TLanes>(z, out TVector erfc, out TVector erfcOfNegative, out TVector belowTail, out TVector tail, out _);
        TVector halfM = TLanes.Multiply(m, Constant<T, TVector, TLanes>(0.5, 0.5));
        TVector left = TLanes.Select(belowTail, TLanes.Multiply(halfM, erfc), TLanes.Multiply(head, TLanes.Multiply(halfM, tail)));
        return TLanes.Select(TLanes.LessThan(z, TLanes.Zero), left, TLanes.Multiply(halfM, erfcOfNegative));
    }

    /// <summary>Φ(z) + m·φ(z) per lane, as <see cref="NormalCdfPlusScaledPdf(double, double)"/>.</summary>
    public static TVector NormalCdfPlusScaledPdf<T, TVector, TLanes>(TVector z, TVector m)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : struct
        where TLanes : IVectorLanes<TVector, T>
    {
        TVector head = NormalMagnitude<T, TVector, TLanes>(z, out TVector erfc, out TVector erfcOfNegative, out TVector belowTail, out TVector tail, out TVector squareTail);
        TVector half = Constant<T, TVector, TLanes>(0.5, 0.5);
        TVector pdfTail = TLanes.Multiply(
            TLanes.Exp(TLanes.Subtract(Constant<T, TVector, TLanes>(TailOffset, TailOffset), squareTail)),
            Constant<T, TVector, TLanes>(ScaledInverseSqrt2Pi, ScaledInverseSqrt2Pi));
        TVector mPdf = TLanes.Multiply(m, TLanes.Multiply(head, pdfTail));
        TVector left = TLanes.Select(
            belowTail,
            TLanes.MultiplyAdd(half, erfc, mPdf),
            TLanes.Multiply(head, TLanes.MultiplyAdd(half, tail, TLanes.Multiply(m, pdfTail))));
        return TLanes.Select(TLanes.LessThan(z, TLanes.Zero), left, TLanes.MultiplyAdd(half, erfcOfNegative, mPdf));
    }

    /// <summary>
    /// The parts of Φ(z) per lane: <see cref="Magnitude{T, TVector, TLanes}(TVector, TVector, TVector, out TVector, out TVector, out TVector, out TVector)"/>
    /// at |x| = |z|/√2, z²/2 split from z; returns the tail's head factor e^(64 − 0.5625 − h²/2).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVector NormalMagnitude<T, TVector, TLanes>(TVector z, out TVector erfc, out TVector erfcOfNegative, out TVector belowTail, out TVector tail, out TVector squareTail)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : struct
        where TLanes : IVectorLanes<TVector, T>
    {
        TVector az = TLanes.Min(TLanes.Abs(z), Constant<T, TVector, TLanes>(DoubleNormalLimit, SingleNormalLimit));
        TVector splitter = Constant<T, TVector, TLanes>(DoubleSplitter, SingleSplitter);
        TVector half = Constant<T, TVector, TLanes>(0.5, 0.5);
        TVector h = TLanes.Subtract(TLanes.Add(az, splitter), splitter);
        squareTail = TLanes.Multiply(half, TLanes.Multiply(TLanes.Subtract(az, h), TLanes.Add(az, h)));
        TVector head = TLanes.Exp(TLanes.Subtract(Constant<T, TVector, TLanes>(HeadExponent, HeadExponent), TLanes.Multiply(half, TLanes.Multiply(h, h))));
        TVector ax = TLanes.Multiply(az, Constant<T, TVector, TLanes>(InverseSqrt2, InverseSqrt2));
        Magnitude<T, TVector, TLanes>(ax, squareTail, head, out erfc, out erfcOfNegative, out belowTail, out tail);
        return head;
    }

    /// <summary>The erf form: x² split from x itself.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVector Magnitude<T, TVector, TLanes>(TVector ax, out TVector erfc, out TVector erfcOfNegative)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : struct
        where TLanes : IVectorLanes<TVector, T>
    {
        TVector splitter = Constant<T, TVector, TLanes>(DoubleSplitter, SingleSplitter);
        TVector h = TLanes.Subtract(TLanes.Add(ax, splitter), splitter);
        TVector squareTail = TLanes.Multiply(TLanes.Subtract(ax, h), TLanes.Add(ax, h));
        TVector head = TLanes.Exp(TLanes.Subtract(Constant<T, TVector, TLanes>(HeadExponent, HeadExponent), TLanes.Multiply(h, h)));
        return Magnitude<T, TVector, TLanes>(ax, squareTail, head, out erfc, out erfcOfNegative, out _, out _);
    }

    /// <summary>
    /// The vector form of <see cref="Magnitude(double, double, double, out double, out double, out bool, out double, out double, out double)"/>:
    /// every interval's rational, the eight polynomials in one Horner loop over <see cref="Coefficients{T}"/>, the
    /// numerator and denominator of each lane's interval selected before the single division;
    /// <paramref name="belowTail"/> masks the lanes below 1.25, the others have erfc |x| = head·tail.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVector Magnitude<T, TVector, TLanes>(
        TVector ax,
        TVector squareTail,
        TVector head,
        out TVector erfc,
        out TVector erfcOfNegative,
        out TVector belowTail,
        out TVector tail)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : struct
        where TLanes : IVectorLanes<TVector, T>
    {
        TVector one = TLanes.One;
        TVector half = Constant<T, TVector, TLanes>(0.5, 0.5);
        TVector small = TLanes.LessThan(ax, Constant<T, TVector, TLanes>(SmallEnd, SmallEnd));
        belowTail = TLanes.LessThan(ax, Constant<T, TVector, TLanes>(MediumEnd, MediumEnd));
        TVector near = TLanes.LessThan(ax, Constant<T, TVector, TLanes>(NearEnd, NearEnd));

        // The lanes of other intervals may give ∞ or NaN here (u = 1/0); they are not selected.
        TVector square = TLanes.Multiply(ax, ax);
        TVector s = TLanes.Subtract(ax, one);
        TVector u = TLanes.Divide(one, square);
        TVector smallP = TLanes.Zero, smallQ = TLanes.Zero, mediumP = TLanes.Zero, mediumQ = TLanes.Zero;
        TVector nearR = TLanes.Zero, nearS = TLanes.Zero, farR = TLanes.Zero, farS = TLanes.Zero;
        ref T row = ref MemoryMarshal.GetArrayDataReference(Coefficients<T>.Interleaved);
        for (int k = 0; k <= Degree; k++, row = ref Unsafe.Add(ref row, 8))
        {
            smallP = TLanes.MultiplyAdd(smallP, square, TLanes.Broadcast(row));
            smallQ = TLanes.MultiplyAdd(smallQ, square, TLanes.Broadcast(Unsafe.Add(ref row, 1)));
            mediumP = TLanes.MultiplyAdd(mediumP, s, TLanes.Broadcast(Unsafe.Add(ref row, 2)));
            mediumQ = TLanes.MultiplyAdd(mediumQ, s, TLanes.Broadcast(Unsafe.Add(ref row, 3)));
            nearR = TLanes.MultiplyAdd(nearR, u, TLanes.Broadcast(Unsafe.Add(ref row, 4)));
            nearS = TLanes.MultiplyAdd(nearS, u, TLanes.Broadcast(Unsafe.Add(ref row, 5)));
            farR = TLanes.MultiplyAdd(farR, u, TLanes.Broadcast(Unsafe.Add(ref row, 6)));
            farS = TLanes.MultiplyAdd(farS, u, TLanes.Broadcast(Unsafe.Add(ref row, 7)));
        }

        TVector numerator = TLanes.Select(small, smallP, TLanes.Select(belowTail, mediumP, TLanes.Select(near, nearR, farR)));
        TVector denominator = TLanes.Select(small, smallQ, TLanes.Select(belowTail, mediumQ, TLanes.Select(near, nearS, farS)));
        TVector q = TLanes.Divide(numerator, denominator);

        // |x| < 0.84375.
        TVector erfSmall = TLanes.MultiplyAdd(ax, q, ax);
        TVector erfcSmall = TLanes.Select(
            TLanes.LessThan(ax, Constant<T, TVector, TLanes>(0.25, 0.25)),
            TLanes.Subtract(one, erfSmall),
            TLanes.Add(half, TLanes.Subtract(TLanes.Subtract(half, ax), TLanes.Multiply(ax, q))));

        // |x| < 1.25.
        TVector c = Constant<T, TVector, TLanes>(MediumC, MediumC);
        TVector erfMedium = TLanes.Add(c, q);
        TVector erfcMedium = TLanes.Subtract(TLanes.Subtract(one, c), q);

        // The tail.
        tail = TLanes.Divide(TLanes.Multiply(TLanes.Exp(TLanes.Subtract(q, squareTail)), Constant<T, TVector, TLanes>(ScaleDown, ScaleDown)), ax);
        TVector erfcTail = TLanes.Multiply(head, tail);

        TVector erf = TLanes.Select(small, erfSmall, TLanes.Select(belowTail, erfMedium, TLanes.Subtract(one, erfcTail)));
        erfc = TLanes.Select(small, erfcSmall, TLanes.Select(belowTail, erfcMedium, erfcTail));
        erfcOfNegative = TLanes.Select(belowTail, TLanes.Add(one, erf), TLanes.Subtract(Constant<T, TVector, TLanes>(2, 2), erfcTail));
        return erf;
    }

    /// <summary>The double constant for double lanes, the float one for float lanes, in every lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVector Constant<T, TVector, TLanes>(double forDouble, double forSingle)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : struct
        where TLanes : IVectorLanes<TVector, T>
        => TLanes.Broadcast(typeof(T) == typeof(double) ? Unsafe.BitCast<double, T>(forDouble) : Unsafe.BitCast<float, T>((float)forSingle));

    /// <summary>c₀ + x·(c₁ + x·(c₂ + …)), the coefficients lowest degree first.</summary>
    private static double Horner(double x, ReadOnlySpan<double> c)
    {
        double sum = c[^1];
        for (int k = c.Length - 2; k >= 0; k--)
        {
            sum = (sum * x) + c[k];
        }

        return sum;
    }

    /// <summary>
    /// The eight polynomials' coefficients in T, interleaved for the vector Horner loop: row k holds the coefficients
    /// of degree 8 − k of SmallP, SmallQ, MediumP, MediumQ, NearR, NearS, FarR and FarS, 0 above a polynomial's degree.
    /// </summary>
    private static class Coefficients<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public static readonly T[] Interleaved = Interleave();

        private static T[] Interleave()
        {
            double[][] polynomials = [SmallP, SmallQ, MediumP, MediumQ, NearR, NearS, FarR, FarS];
            var table = new T[(Degree + 1) * polynomials.Length];
            for (int k = 0; k <= Degree; k++)
            {
                for (int p = 0; p < polynomials.Length; p++)
                {
                    int degree = Degree - k;
                    table[(k * polynomials.Length) + p] = degree < polynomials[p].Length ? T.CreateTruncating(polynomials[p][degree]) : T.Zero;
                }
            }

            return table;
        }
    }
}
