using System.Collections.Concurrent;
using System.Globalization;
using Backprop.Tests.Numerics;

namespace Backprop.PropertyTests;

/// <summary>
/// Asserts as <see cref="NumericAssert"/> does and remembers, per kind of check, the worst error seen as a
/// fraction of its tolerance, so the run can report how much room each tolerance leaves.
/// </summary>
internal sealed class Margins
{
    private readonly ConcurrentDictionary<string, (double Ratio, string Where)> worst = new(StringComparer.Ordinal);

    private readonly ConcurrentDictionary<Precision, int> completed = new();

    /// <summary>The case the checks are about, named in the report next to its worst errors.</summary>
    private static readonly AsyncLocal<string?> CurrentCase = new();

    /// <summary>Names <paramref name="label"/> as the case of the checks that follow on this thread, until disposed.</summary>
    public static IDisposable About(string label)
    {
        string? previous = CurrentCase.Value;
        CurrentCase.Value = label;
        return new Restore(() => CurrentCase.Value = previous);
    }

    public void Close(string check, double expected, double actual, double tolerance, double floor, string what)
    {
        Record(check, NumericAssert.RelativeError(expected, actual, floor) / tolerance, what);
        NumericAssert.Close(expected, actual, tolerance, floor, what);
    }

    public void AllClose(
        string check,
        ReadOnlySpan<double> expected,
        ReadOnlySpan<double> actual,
        double tolerance,
        double floor,
        string what,
        Func<int, string>? describe = null)
    {
        double ratio = 0;
        int worstIndex = 0;
        for (int i = 0; i < Math.Min(expected.Length, actual.Length); i++)
        {
            double error = NumericAssert.RelativeError(expected[i], actual[i], floor) / tolerance;
            if (!(error <= ratio))
            {
                (ratio, worstIndex) = (Worse(ratio, error), i);
            }
        }

        if (expected.Length > 0 && actual.Length > 0)
        {
            Record(check, ratio, string.Create(CultureInfo.InvariantCulture, $"{what}, {describe?.Invoke(worstIndex) ?? $"[{worstIndex}]"}: expected {expected[worstIndex]:G6}, actual {actual[worstIndex]:G6}"));
        }

        NumericAssert.AllClose(expected, actual, tolerance, floor, what, describe);
    }

    /// <summary>How many cases of each precision went through every check.</summary>
    public IReadOnlyDictionary<Precision, int> Completed => completed;

    /// <summary>Counts a case that went through every check.</summary>
    public void Complete(Precision precision) => completed.AddOrUpdate(precision, 1, (_, n) => n + 1);

    /// <summary>One line per kind of check: the worst error as a fraction of the tolerance.</summary>
    public string Report()
        => string.Join("\n", worst.OrderBy(w => w.Key, StringComparer.Ordinal)
            .Select(w => string.Create(CultureInfo.InvariantCulture, $"  {w.Key}: worst error {w.Value.Ratio:P2} of the tolerance ({w.Value.Where})")));

    private void Record(string check, double ratio, string what)
    {
        string where = $"{CurrentCase.Value}: {what}";
        worst.AddOrUpdate(check, (Worse(0, ratio), where), (_, old) => ratio > old.Ratio || double.IsNaN(ratio) ? (Worse(old.Ratio, ratio), where) : old);
    }

    private sealed class Restore(Action restore) : IDisposable
    {
        public void Dispose() => restore();
    }

    private static double Worse(double a, double b) => double.IsNaN(a) || double.IsNaN(b) ? double.PositiveInfinity : Math.Max(a, b);
}
