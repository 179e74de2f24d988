using System.Globalization;
using System.Text;

namespace Backprop.Tests.Numerics;

/// <summary>
/// Comparisons by robust relative error |a − b| / max(|a|, |b|, floor): relative for ordinary values,
/// absolute (scaled by the floor) for values near zero, where a relative error means nothing.
/// </summary>
public static class NumericAssert
{
    public static double RelativeError(double expected, double actual, double floor)
        => Math.Abs(expected - actual) / Math.Max(Math.Max(Math.Abs(expected), Math.Abs(actual)), floor);

    public static void Close(double expected, double actual, double tolerance, double floor, string what)
    {
        double error = RelativeError(expected, actual, floor);
        if (!(error <= tolerance))
        {
            Assert.Fail(string.Create(
                CultureInfo.InvariantCulture,
                $"{what}: expected {expected:R}, actual {actual:R}, relative error {error:E2} > {tolerance:E0} (floor {floor:E0})."));
        }
    }

    /// <summary>
    /// Asserts every element is within <paramref name="tolerance"/>; on failure lists the worst elements,
    /// named by <paramref name="describe"/>.
    /// </summary>
    public static void AllClose(
        ReadOnlySpan<double> expected,
        ReadOnlySpan<double> actual,
        double tolerance,
        double floor,
        string what,
        Func<int, string>? describe = null)
    {
        Assert.Equal(expected.Length, actual.Length);
        var failures = new List<(int Index, double Error)>();
        for (int i = 0; i < expected.Length; i++)
        {
            double error = RelativeError(expected[i], actual[i], floor);
            if (!(error <= tolerance))
            {
                failures.Add((i, error));
            }
        }

        if (failures.Count == 0)
        {
            return;
        }

        var message = new StringBuilder();
        message.Append(CultureInfo.InvariantCulture, $"{what}: {failures.Count} of {expected.Length} values differ by more than {tolerance:E0} (relative, floor {floor:E0}). Worst:");
        foreach ((int index, double error) in failures.OrderByDescending(f => f.Error).Take(10))
        {
            string name = describe?.Invoke(index) ?? $"[{index}]";
            message.AppendLine();
            message.Append(CultureInfo.InvariantCulture, $"  {name}: expected {expected[index]:R}, actual {actual[index]:R}, relative error {error:E2}");
        }

        Assert.Fail(message.ToString());
    }
}
