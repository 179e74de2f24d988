using System.Globalization;
using System.Numerics;
using System.Runtime.Intrinsics;
using Backprop.CompilerServices;
using HighPrecision = Backprop.Tests.Numerics.ActivationOperatorTests.HighPrecision;

namespace Backprop.Tests.Numerics;

/// <summary>
/// <see cref="VectorLogarithm"/>, the polynomial ln x the lanes use on .NET 8, called directly: one value, and 128-,
/// 256- and 512-bit vectors, float and double, against ln x at 320 bits (<see cref="ActivationOperatorTests.HighPrecision"/>)
/// over random inputs of every binade (subnormals included), inputs near 1 (where ln x is tiny), around √2/2 and √2,
/// and the special values. Errors as in <see cref="VectorExponentialTests"/>: against the exact value, in ulps of the
/// correctly rounded result.
/// </summary>
public class VectorLogarithmTests(ITestOutputHelper output)
{
    private const double Tolerance = 1;

    [Fact]
    public void Float_is_within_one_ulp_in_every_form() => this.Check<float>();

    [Fact]
    public void Double_is_within_one_ulp_in_every_form() => this.Check<double>();

    [Fact]
    public void Special_values_are_exact()
    {
        Assert.Equal(0f, VectorLogarithm.Log(1f));
        Assert.Equal(0.0, VectorLogarithm.Log(1.0));
        Assert.Equal(float.NegativeInfinity, VectorLogarithm.Log(0f));
        Assert.Equal(float.NegativeInfinity, VectorLogarithm.Log(-0f));
        Assert.Equal(double.NegativeInfinity, VectorLogarithm.Log(0.0));
        Assert.Equal(double.NegativeInfinity, VectorLogarithm.Log(-0.0));
        Assert.Equal(float.PositiveInfinity, VectorLogarithm.Log(float.PositiveInfinity));
        Assert.Equal(double.PositiveInfinity, VectorLogarithm.Log(double.PositiveInfinity));
        foreach (float x in new[] { -1f, -float.Epsilon, float.NegativeInfinity, float.NaN })
        {
            Assert.True(float.IsNaN(VectorLogarithm.Log(x)), $"ln {x}");
            Assert.True(float.IsNaN(VectorLogarithm.Log(Vector256.Create(x)).GetElement(3)), $"ln {x}");
        }

        foreach (double x in new[] { -1.0, -double.Epsilon, double.NegativeInfinity, double.NaN })
        {
            Assert.True(double.IsNaN(VectorLogarithm.Log(x)), $"ln {x}");
            Assert.True(double.IsNaN(VectorLogarithm.Log(Vector256.Create(x)).GetElement(3)), $"ln {x}");
        }
    }

    private void Check<T>()
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T[] x = Inputs<T>();
        double max = 0;
        string at = "";
        var failures = new List<(double Error, string Message)>();
        string[] names = ["scalar", "128-bit", "256-bit", "512-bit"];
        for (int start = 0; start < x.Length; start += Vector512<T>.Count)
        {
            T[] block = x.AsSpan(start, Vector512<T>.Count).ToArray();
            T[][] forms = [new T[block.Length], new T[block.Length], new T[block.Length], new T[block.Length]];
            for (int i = 0; i < block.Length; i++)
            {
                forms[0][i] = VectorLogarithm.Log(block[i]);
            }

            for (int i = 0; i < block.Length; i += Vector128<T>.Count)
            {
                VectorLogarithm.Log(Vector128.Create<T>(block.AsSpan(i))).CopyTo(forms[1], i);
            }

            for (int i = 0; i < block.Length; i += Vector256<T>.Count)
            {
                VectorLogarithm.Log(Vector256.Create<T>(block.AsSpan(i))).CopyTo(forms[2], i);
            }

            VectorLogarithm.Log(Vector512.Create<T>(block)).CopyTo(forms[3]);
            for (int i = 0; i < block.Length; i++)
            {
                double xd = double.CreateTruncating(block[i]);
                HighPrecision exact = HighPrecision.Log(HighPrecision.FromDouble(xd));
                double expected = exact.ToDouble();
                if (typeof(T) == typeof(float))
                {
                    expected = (float)expected;
                }

                for (int form = 0; form < forms.Length; form++)
                {
                    double actual = double.CreateTruncating(forms[form][i]);
                    double error = UlpError<T>(exact, expected, actual);
                    if (error > max)
                    {
                        max = error;
                        at = string.Create(CultureInfo.InvariantCulture, $"{names[form]} ln {xd:R} = {actual:R}, {expected:R} rounded");
                    }

                    if (!(error <= Tolerance))
                    {
                        failures.Add((error, string.Create(CultureInfo.InvariantCulture, $"{names[form]} ln {xd:R}: expected {expected:R}, actual {actual:R} ({error:G3} ulps)")));
                    }
                }
            }
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{typeof(T).Name}: {x.Length} inputs; max error {max:F3} ulp ({at})"));
        Assert.True(failures.Count == 0, $"{typeof(T).Name}: over {Tolerance} ulps: {string.Join("; ", failures.OrderByDescending(f => f.Error).Take(8).Select(f => f.Message))}");
    }

    /// <summary>|actual − exact| in ulps of the correctly rounded <paramref name="expected"/>; 0 or ∞ where that is 0.</summary>
    private static double UlpError<T>(HighPrecision exact, double expected, double actual)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (expected == 0)
        {
            return actual == 0 ? 0 : double.PositiveInfinity;
        }

        if (!double.IsFinite(actual))
        {
            return double.PositiveInfinity;
        }

        double magnitude = Math.Abs(expected);
        double ulp = typeof(T) == typeof(float) ? MathF.BitIncrement((float)magnitude) - magnitude : Math.BitIncrement(magnitude) - magnitude;
        int binade = Math.ILogB(ulp);
        return HighPrecision.ScaleB(HighPrecision.Abs(HighPrecision.FromDouble(actual) - exact), -binade).ToDouble() / Math.ScaleB(ulp, -binade);
    }

    /// <summary>
    /// 12 000 random inputs of random binade (subnormal to the largest), 4 000 in [1/2, 2], 2 000 within 10⁻⁴ of 1, the
    /// ends of each binade, √2/2 and √2 and their neighbours; padded with ones to a multiple of the widest vector.
    /// </summary>
    private static T[] Inputs<T>()
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        bool single = typeof(T) == typeof(float);
        var random = new Random(9);
        int lowest = single ? -149 : -1074;
        int highest = single ? 127 : 1023;
        var values = new List<T>();
        for (int i = 0; i < 12000; i++)
        {
            values.Add(T.CreateTruncating(Math.ScaleB(1 + random.NextDouble(), random.Next(lowest, highest + 1))));
        }

        for (int i = 0; i < 4000; i++)
        {
            values.Add(T.CreateTruncating(0.5 + (1.5 * random.NextDouble())));
        }

        for (int i = 0; i < 2000; i++)
        {
            values.Add(T.CreateTruncating(1 + (((2 * random.NextDouble()) - 1) * 1e-4)));
        }

        foreach (double special in new[] { Math.Sqrt(0.5), Math.Sqrt(2), 1.0, 2.0, 0.5 })
        {
            T t = T.CreateTruncating(special);
            T up = t, down = t;
            for (int i = 0; i < 20; i++)
            {
                values.Add(up);
                values.Add(down);
                up = T.BitIncrement(up);
                down = T.BitDecrement(down);
            }
        }

        for (int k = lowest; k <= highest; k += 7)
        {
            values.Add(T.CreateTruncating(Math.ScaleB(1.0, k)));
            if (k > lowest)
            {
                // Below the smallest subnormal is 0, which the reference cannot take (and Special_values_are_exact checks).
                values.Add(T.BitDecrement(T.CreateTruncating(Math.ScaleB(1.0, k))));
            }
        }

        values.AddRange([T.BitIncrement(T.Zero), T.CreateTruncating(single ? float.MaxValue : double.MaxValue), T.CreateTruncating(single ? 1.1754943508222875e-38 : 2.2250738585072014e-308)]);
        int count = Vector512<T>.Count;
        while (values.Count % count != 0)
        {
            values.Add(T.One);
        }

        return [.. values];
    }
}
