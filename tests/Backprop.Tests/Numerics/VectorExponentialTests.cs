using System.Globalization;
using System.Numerics;
using System.Runtime.Intrinsics;
using Backprop.CompilerServices;
using HighPrecision = Backprop.Tests.Numerics.ActivationOperatorTests.HighPrecision;

namespace Backprop.Tests.Numerics;

/// <summary>
/// <see cref="VectorExponential"/>, the polynomial eˣ the lanes use on .NET 8, called directly (it is compiled for
/// every target, so it runs here on .NET 10): one value, and 128-, 256- and 512-bit vectors (the 512-bit form in
/// software where the host has no AVX-512), float and double, against eˣ computed at 320 bits
/// (<see cref="ActivationOperatorTests.HighPrecision"/>): random inputs over the whole range and near 0, and the
/// awkward ones (0, ±tiny, ±1, the ends of the reduction interval, the overflow and underflow thresholds, the
/// subnormal range, ±∞, NaN).
/// </summary>
/// <remarks>
/// The error is measured against the exact value, in ulps of the correctly rounded result (for a subnormal result,
/// the subnormal spacing): |actual − eˣ| / ulp. The bound asserted is 1 ulp in both precisions; the measured maxima are
/// written to the test output.
/// </remarks>
public class VectorExponentialTests(ITestOutputHelper output)
{
    private const double Tolerance = 1;

    [Fact]
    public void Float_is_within_one_ulp_in_every_form() => this.Check<float>();

    [Fact]
    public void Double_is_within_one_ulp_in_every_form() => this.Check<double>();

    [Fact]
    public void Special_values_are_exact()
    {
        foreach (float x in new[] { 0f, -0f })
        {
            Assert.Equal(1f, VectorExponential.Exp(x));
            Assert.Equal(Vector256<float>.One, VectorExponential.Exp(Vector256.Create(x)));
        }

        Assert.Equal(1.0, VectorExponential.Exp(0.0));
        Assert.Equal(1.0, VectorExponential.Exp(-0.0));
        Assert.Equal(float.PositiveInfinity, VectorExponential.Exp(float.PositiveInfinity));
        Assert.Equal(double.PositiveInfinity, VectorExponential.Exp(double.PositiveInfinity));
        Assert.Equal(0f, VectorExponential.Exp(float.NegativeInfinity));
        Assert.Equal(0.0, VectorExponential.Exp(double.NegativeInfinity));
        Assert.True(float.IsPositive(VectorExponential.Exp(float.NegativeInfinity)));
        Assert.True(double.IsPositive(VectorExponential.Exp(double.NegativeInfinity)));
        Assert.True(float.IsNaN(VectorExponential.Exp(float.NaN)));
        Assert.True(double.IsNaN(VectorExponential.Exp(double.NaN)));

        // Overflow from ln(MaxValue) on, underflow to +0 below ln(2^(m−bias−1)), subnormals between.
        Assert.Equal(float.PositiveInfinity, VectorExponential.Exp(88.73f));
        Assert.True(float.IsFinite(VectorExponential.Exp(88.72f)));
        Assert.Equal(double.PositiveInfinity, VectorExponential.Exp(709.79));
        Assert.True(double.IsFinite(VectorExponential.Exp(709.78)));
        Assert.Equal(0f, VectorExponential.Exp(-104f));
        Assert.Equal(float.Epsilon, VectorExponential.Exp(-103.9f));
        Assert.True(float.IsSubnormal(VectorExponential.Exp(-90f)));
        Assert.Equal(0.0, VectorExponential.Exp(-745.2));
        Assert.Equal(double.Epsilon, VectorExponential.Exp(-745.1));
        Assert.True(double.IsSubnormal(VectorExponential.Exp(-710.0)));
    }

    [Fact]
    public void NaN_stays_in_its_lane()
    {
        for (int lane = 0; lane < Vector512<float>.Count; lane++)
        {
            float[] x = Enumerable.Range(0, Vector512<float>.Count).Select(i => i - 7.5f).ToArray();
            x[lane] = float.NaN;
            Vector512<float> e = VectorExponential.Exp(Vector512.Create<float>(x));
            for (int k = 0; k < x.Length; k++)
            {
                Assert.True(float.IsNaN(e.GetElement(k)) == (k == lane), $"NaN in lane {lane}: lane {k} = {e.GetElement(k)}");
            }
        }
    }

    private void Check<T>()
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T[] x = Inputs<T>();
        var worst = new Worst();
        for (int start = 0; start < x.Length; start += Vector512<T>.Count)
        {
            T[] block = x.AsSpan(start, Vector512<T>.Count).ToArray();
            T[][] forms = [new T[block.Length], new T[block.Length], new T[block.Length], new T[block.Length]];
            for (int i = 0; i < block.Length; i++)
            {
                forms[0][i] = VectorExponential.Exp(block[i]);
            }

            for (int i = 0; i < block.Length; i += Vector128<T>.Count)
            {
                VectorExponential.Exp(Vector128.Create<T>(block.AsSpan(i))).CopyTo(forms[1], i);
            }

            for (int i = 0; i < block.Length; i += Vector256<T>.Count)
            {
                VectorExponential.Exp(Vector256.Create<T>(block.AsSpan(i))).CopyTo(forms[2], i);
            }

            VectorExponential.Exp(Vector512.Create<T>(block)).CopyTo(forms[3]);

            for (int i = 0; i < block.Length; i++)
            {
                double xd = double.CreateTruncating(block[i]);
                (double expected, Func<double, double> error) = Reference<T>(xd);
                for (int form = 0; form < forms.Length; form++)
                {
                    double actual = double.CreateTruncating(forms[form][i]);
                    worst.Add(form, xd, expected, actual, error(actual));
                }
            }
        }

        output.WriteLine($"{typeof(T).Name}: {x.Length} inputs; max error {worst.Summary}");
        Assert.True(worst.Max <= Tolerance, $"{typeof(T).Name}: over {Tolerance} ulps: {worst.Report}");
    }

    /// <summary>
    /// eˣ rounded to T (for float, through the double nearest the exact value, 2⁻²⁹ ulp away: no bound here is that
    /// fine), and the error of an actual result in ulps of it: ∞ for a wrong NaN, infinity or zero.
    /// </summary>
    private static (double Expected, Func<double, double> Error) Reference<T>(double x)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        bool single = typeof(T) == typeof(float);
        if (double.IsNaN(x))
        {
            return (double.NaN, actual => double.IsNaN(actual) ? 0 : double.PositiveInfinity);
        }

        // Beyond these, eˣ is +∞ or rounds to +0 in double (and so in float).
        if (x > 710 || x < -746)
        {
            double limit = x > 0 ? double.PositiveInfinity : 0;
            return (limit, actual => actual.Equals(limit) ? 0 : double.PositiveInfinity);
        }

        HighPrecision exact = HighPrecision.Exp(HighPrecision.FromDouble(x));
        double expected = exact.ToDouble();
        if (single)
        {
            expected = (float)expected;
        }

        if (double.IsInfinity(expected) || expected == 0)
        {
            double limit = expected;
            return (limit, actual => actual.Equals(limit) ? 0 : double.PositiveInfinity);
        }

        double ulp = single ? MathF.BitIncrement((float)expected) - expected : Math.BitIncrement(expected) - expected;
        if (single && float.IsInfinity(MathF.BitIncrement((float)expected)))
        {
            ulp = expected - MathF.BitDecrement((float)expected);
        }
        else if (!single && double.IsInfinity(Math.BitIncrement(expected)))
        {
            ulp = expected - Math.BitDecrement(expected);
        }

        // The difference scaled to the ulp's binade before it is rounded to a double: a subnormal one would be rounded
        // to whole subnormal ulps.
        int binade = Math.ILogB(ulp);
        return (expected, actual => double.IsFinite(actual)
            ? HighPrecision.ScaleB(HighPrecision.Abs(HighPrecision.FromDouble(actual) - exact), -binade).ToDouble() / Math.ScaleB(ulp, -binade)
            : double.PositiveInfinity);
    }

    /// <summary>
    /// 12 000 random inputs over the whole range (a little beyond both thresholds), 4 000 in [−1, 1] and 2 000 in
    /// [−10⁻⁶, 10⁻⁶], and the awkward ones; a multiple of the widest vector, padded with zeros.
    /// </summary>
    private static T[] Inputs<T>()
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        bool single = typeof(T) == typeof(float);
        var random = new Random(8);
        double low = single ? -106 : -750;
        double high = single ? 90 : 712;
        var values = new List<double>();
        for (int i = 0; i < 12000; i++)
        {
            values.Add(low + ((high - low) * random.NextDouble()));
        }

        for (int i = 0; i < 4000; i++)
        {
            values.Add((2 * random.NextDouble()) - 1);
        }

        for (int i = 0; i < 2000; i++)
        {
            values.Add(((2 * random.NextDouble()) - 1) * 1e-6);
        }

        double halfLn2 = Math.Log(2) / 2;
        double tiny = single ? float.Epsilon : double.Epsilon;
        double smallestNormal = single ? 1.1754943508222875e-38 : 2.2250738585072014e-308;
        double epsilon = single ? 1.0 / (1 << 23) : Math.BitIncrement(1.0) - 1;
        double[] awkward =
        [
            0, -0.0, tiny, -tiny, smallestNormal, -smallestNormal, epsilon, -epsilon, epsilon / 2, -epsilon / 2, epsilon / 3, -epsilon / 3,
            1, -1, 0.5, -0.5, 2, -2, 10, -10, halfLn2, -halfLn2, 3 * halfLn2, -3 * halfLn2, Math.Log(2), -Math.Log(2),
            single ? float.MaxValue : double.MaxValue, single ? float.MinValue : double.MinValue, 1e30, -1e30, 1e4, -1e4,
            double.PositiveInfinity, double.NegativeInfinity, double.NaN,
        ];
        values.AddRange(awkward);

        // Around the overflow threshold ln(MaxValue), the start of the subnormal range and the underflow to 0, and
        // over the subnormal range: the nearest values of T either side of each, and 40 ulps out.
        double[] thresholds = single
            ? [88.72283905206835, -87.33654475055310, -103.97207708399179, -103.27892990343185, -100, -95, -90]
            : [709.782712893384, -708.3964185322641, -745.1332191019412, -744.4400719213812, -740, -730, -720, -710];
        foreach (double threshold in thresholds)
        {
            T t = T.CreateTruncating(threshold);
            T up = t, down = t;
            for (int i = 0; i < 40; i++)
            {
                values.Add(double.CreateTruncating(up));
                values.Add(double.CreateTruncating(down));
                up = T.BitIncrement(up);
                down = T.BitDecrement(down);
            }
        }

        // Every k near both ends: x = k·ln 2 ± a little, so the scaling's two steps meet every split.
        for (int k = single ? -152 : -1078; k <= (single ? 130 : 1026); k++)
        {
            values.Add((k * Math.Log(2)) + (0.3 * Math.Sin(k)));
        }

        T[] result = values.Select(T.CreateTruncating).ToArray();
        int count = Vector512<T>.Count;
        return [.. result, .. new T[(count - (result.Length % count)) % count]];
    }

    private sealed class Worst
    {
        private static readonly string[] Forms = ["scalar", "128-bit", "256-bit", "512-bit"];
        private readonly double[] max = new double[4];
        private readonly string[] at = ["", "", "", ""];
        private readonly List<(double Error, string Message)> failures = [];

        public double Max => this.max.Max();

        public string Summary => string.Join(", ", Forms.Select((form, i) => string.Create(CultureInfo.InvariantCulture, $"{form} {this.max[i]:F3} ulp ({this.at[i]})")));

        public string Report => string.Join("; ", this.failures.OrderByDescending(f => f.Error).Take(8).Select(f => f.Message));

        public void Add(int form, double x, double expected, double actual, double error)
        {
            if (error > this.max[form])
            {
                this.max[form] = error;
                this.at[form] = string.Create(CultureInfo.InvariantCulture, $"e^{x:R} = {actual:R}, {expected:R} rounded");
            }

            if (!(error <= Tolerance))
            {
                this.failures.Add((error, string.Create(CultureInfo.InvariantCulture, $"{Forms[form]} e^{x:R}: expected {expected:R}, actual {actual:R} ({error:G3} ulps)")));
            }
        }
    }
}
