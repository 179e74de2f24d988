using System;
using System.Numerics;

namespace Backprop.Training;

/// <summary>
/// The sums behind <see cref="RegressionMetrics"/>, over scratch of three doubles per output that the caller owns:
/// the targets' means (set first, by <see cref="SetTargetMeans{T}(Span{double}, ReadOnlySpan{T}, int)"/>), then
/// per output Σ(y − t)² and Σ(t − t̄)², and Σ|y − t| over everything. Two passes over the targets (the mean first)
/// rather than Σt² − n·t̄², which cancels catastrophically when the targets are far from 0.
/// </summary>
internal ref struct RegressionSums
{
    private readonly ReadOnlySpan<double> _means;
    private readonly Span<double> _squaredErrors;
    private readonly Span<double> _squaredDeviations;
    private double _absoluteErrors;
    private int _rows;

    /// <summary>Starts the sums at 0 over <paramref name="scratch"/>, whose means are set already.</summary>
    public RegressionSums(Span<double> scratch, int outputCount)
    {
        _means = scratch.Slice(0, outputCount);
        _squaredErrors = scratch.Slice(outputCount, outputCount);
        _squaredDeviations = scratch.Slice(2 * outputCount, outputCount);
        _squaredErrors.Clear();
        _squaredDeviations.Clear();
        _absoluteErrors = 0;
        _rows = 0;
    }

    public static int ScratchLength(int outputCount) => 3 * outputCount;

    /// <summary>Sets the means of every row's targets.</summary>
    public static void SetTargetMeans<T>(Span<double> scratch, ReadOnlySpan<T> targets, int outputCount)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Span<double> means = scratch.Slice(0, outputCount);
        means.Clear();
        int rows = targets.Length / outputCount;
        for (int row = 0; row < rows; row++)
        {
            AddTo(means, targets.Slice(row * outputCount, outputCount));
        }

        Divide(means, rows);
    }

    /// <summary>Sets the means of the targets of the rows in <paramref name="rowOrder"/>.</summary>
    public static void SetTargetMeans<T>(Span<double> scratch, ReadOnlySpan<T> targets, int outputCount, ReadOnlySpan<int> rowOrder)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Span<double> means = scratch.Slice(0, outputCount);
        means.Clear();
        foreach (int row in rowOrder)
        {
            AddTo(means, targets.Slice(row * outputCount, outputCount));
        }

        Divide(means, rowOrder.Length);
    }

    /// <summary>Adds one row's predictions and targets.</summary>
    public void Add<T>(ReadOnlySpan<T> output, ReadOnlySpan<T> target)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int k = 0; k < output.Length; k++)
        {
            double t = double.CreateTruncating(target[k]);
            double error = double.CreateTruncating(output[k]) - t;
            double deviation = t - _means[k];
            _absoluteErrors += Math.Abs(error);
            _squaredErrors[k] += error * error;
            _squaredDeviations[k] += deviation * deviation;
        }

        _rows++;
    }

    /// <summary>The metrics of the rows added, averaged uniformly over the outputs (see <see cref="RegressionMetrics"/>).</summary>
    public readonly RegressionMetrics Result()
    {
        int outputCount = _means.Length;
        double squaredErrors = 0;
        double rootMeanSquaredErrors = 0;
        double rSquared = 0;
        for (int k = 0; k < outputCount; k++)
        {
            squaredErrors += _squaredErrors[k];
            rootMeanSquaredErrors += Math.Sqrt(_squaredErrors[k] / _rows);
            rSquared += _rows < 2 ? double.NaN
                : _squaredDeviations[k] == 0 ? (_squaredErrors[k] == 0 ? 1 : 0)
                : 1 - (_squaredErrors[k] / _squaredDeviations[k]);
        }

        double values = (double)_rows * outputCount;
        return RegressionMetrics.Create(
            _absoluteErrors / values,
            squaredErrors / values,
            rootMeanSquaredErrors / outputCount,
            rSquared / outputCount);
    }

    private static void AddTo<T>(Span<double> sums, ReadOnlySpan<T> values)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int k = 0; k < sums.Length; k++)
        {
            sums[k] += double.CreateTruncating(values[k]);
        }
    }

    private static void Divide(Span<double> values, int divisor)
    {
        for (int k = 0; k < values.Length; k++)
        {
            values[k] /= divisor;
        }
    }
}
