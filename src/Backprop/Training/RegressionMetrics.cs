using System;
using System.Buffers;
using System.Numerics;
using Backprop.Internal;
using Backprop.Parallelism;

namespace Backprop.Training;

/// <summary>
/// How close a regression's predictions come to the targets: mean absolute error, mean squared error, root mean
/// squared error and R², computed in double with scikit-learn's definitions. A value type: computing it allocates nothing.
/// </summary>
/// <remarks>
/// <para>
/// With n rows and K outputs, each metric is computed for each output over the n rows, and the K values averaged with
/// equal weights (scikit-learn's <c>multioutput='uniform_average'</c>, its default). For MAE and MSE that is the mean
/// over all n·K values. RMSE is the mean of each output's √MSE, as scikit-learn's <c>root_mean_squared_error</c>:
/// for one output it is √MSE, for several it is not, because a square root of a mean is not a mean of square roots.
/// </para>
/// <para>
/// R² (the coefficient of determination) of output k is 1 − Σ(t − y)² / Σ(t − t̄)²: 1 for perfect predictions, 0 for
/// always predicting the mean of the targets, negative for worse. When an output's targets are all equal (Σ(t − t̄)² = 0)
/// its R² is 1 if its predictions are exact and 0 otherwise (scikit-learn's <c>force_finite=True</c>); with a single
/// row it is NaN, as in scikit-learn, which warns that it is not defined.
/// </para>
/// </remarks>
/// <example>
/// <code>
/// RegressionMetrics metrics = RegressionMetrics.Compute(network, testInputs, testTargets);
/// Console.WriteLine($"MAE {metrics.MeanAbsoluteError:F3}, RMSE {metrics.RootMeanSquaredError:F3}, R² {metrics.RSquared:F3}");
/// </code>
/// </example>
public readonly record struct RegressionMetrics
{
    private RegressionMetrics(double meanAbsoluteError, double meanSquaredError, double rootMeanSquaredError, double rSquared)
    {
        MeanAbsoluteError = meanAbsoluteError;
        MeanSquaredError = meanSquaredError;
        RootMeanSquaredError = rootMeanSquaredError;
        RSquared = rSquared;
    }

    /// <summary>The mean of |y − t| over every row and output.</summary>
    public double MeanAbsoluteError { get; }

    /// <summary>The mean of (y − t)² over every row and output.</summary>
    public double MeanSquaredError { get; }

    /// <summary>The mean over the outputs of each output's √(mean of (y − t)²); √<see cref="MeanSquaredError"/> for one output.</summary>
    public double RootMeanSquaredError { get; }

    /// <summary>The mean over the outputs of each output's coefficient of determination, 1 − Σ(t − y)² / Σ(t − t̄)² (see the remarks for constant targets and a single row).</summary>
    public double RSquared { get; }

    /// <summary>
    /// Predicts every row with the network (on <see cref="INetwork{T}.ForwardBatch"/>, as
    /// <see cref="PredictionExtensions.Predict{T}"/>) and measures the predictions against the targets. Allocation-free,
    /// after a thread's first call for a size.
    /// </summary>
    /// <typeparam name="T"><see cref="float"/> or <see cref="double"/>, the network's precision.</typeparam>
    /// <param name="network">The network: any, though the metrics are meant for regressions.</param>
    /// <param name="inputs">Rows of <see cref="INetwork{T}.InputCount"/> inputs, concatenated.</param>
    /// <param name="targets">Rows of <see cref="INetwork{T}.OutputCount"/> targets, concatenated, as many as the inputs.</param>
    /// <param name="maxDegreeOfParallelism">The most threads the predictions are computed on, the calling one included: 1 (the default), or −1 for one per processor. The metrics are the same bits for any number.</param>
    /// <exception cref="ArgumentNullException"><paramref name="network"/> is null.</exception>
    /// <exception cref="ArgumentException">The spans are not whole, matching, non-empty rows, or a value is NaN or infinite (named by row and column).</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxDegreeOfParallelism"/> is 0 or less than −1.</exception>
    public static RegressionMetrics Compute<T>(INetwork<T> network, ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets, int maxDegreeOfParallelism = 1)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        ParallelWork.CheckDegree(maxDegreeOfParallelism, nameof(maxDegreeOfParallelism));
        int outputCount = network.OutputCount;
        int rows = CompilerServices.NetworkGuard.BatchRows(inputs.Length, network.InputCount, targets.Length, outputCount);
        Classification.CheckFinite(inputs, network.InputCount, nameof(inputs));
        Classification.CheckFinite(targets, outputCount, nameof(targets));
        double[]? rented = null;
        Span<double> scratch = outputCount <= 128
            ? stackalloc double[RegressionSums.ScratchLength(outputCount)]
            : (rented = ArrayPool<double>.Shared.Rent(RegressionSums.ScratchLength(outputCount))).AsSpan(0, RegressionSums.ScratchLength(outputCount));
        var chunks = new OutputChunks<T>(network, inputs, rows, maxDegreeOfParallelism);
        try
        {
            RegressionSums.SetTargetMeans(scratch, targets, outputCount);
            var sums = new RegressionSums(scratch, outputCount);
            while (chunks.MoveNext())
            {
                ReadOnlySpan<T> outputs = chunks.Outputs;
                for (int row = 0; row < chunks.RowCount; row++)
                {
                    sums.Add(outputs.Slice(row * outputCount, outputCount), targets.Slice((chunks.FirstRow + row) * outputCount, outputCount));
                }
            }

            return sums.Result();
        }
        finally
        {
            chunks.Dispose();
            if (rented is not null)
            {
                ArrayPool<double>.Shared.Return(rented);
            }
        }
    }

    /// <summary>Measures predictions made already against their targets. Allocation-free.</summary>
    /// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="predictions">Rows of <paramref name="outputCount"/> predicted values, concatenated.</param>
    /// <param name="targets">As many rows of <paramref name="outputCount"/> targets.</param>
    /// <param name="outputCount">The number of values in a row (the network's <see cref="INetwork{T}.OutputCount"/>): what the metrics are averaged over (see the remarks).</param>
    /// <exception cref="ArgumentException">The spans are not whole, matching, non-empty rows, or a value is NaN or infinite (named by row and column).</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="outputCount"/> is less than 1.</exception>
    public static RegressionMetrics FromPredictions<T>(ReadOnlySpan<T> predictions, ReadOnlySpan<T> targets, int outputCount)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(outputCount, 1);
        int rows = predictions.Length / outputCount;
        if (rows == 0 || rows * outputCount != predictions.Length)
        {
            throw new ArgumentException($"Expected one or more rows of {outputCount} predictions (a non-zero multiple of {outputCount}), but 'predictions' has length {predictions.Length}.", nameof(predictions));
        }

        if (targets.Length != predictions.Length)
        {
            throw new ArgumentException($"Expected {rows} rows of {outputCount} targets (length {predictions.Length}) to match the predictions, but 'targets' has length {targets.Length}.", nameof(targets));
        }

        Classification.CheckFinite(predictions, outputCount, nameof(predictions));
        Classification.CheckFinite(targets, outputCount, nameof(targets));
        double[]? rented = null;
        Span<double> scratch = outputCount <= 128
            ? stackalloc double[RegressionSums.ScratchLength(outputCount)]
            : (rented = ArrayPool<double>.Shared.Rent(RegressionSums.ScratchLength(outputCount))).AsSpan(0, RegressionSums.ScratchLength(outputCount));
        try
        {
            RegressionSums.SetTargetMeans(scratch, targets, outputCount);
            var sums = new RegressionSums(scratch, outputCount);
            for (int row = 0; row < rows; row++)
            {
                sums.Add(predictions.Slice(row * outputCount, outputCount), targets.Slice(row * outputCount, outputCount));
            }

            return sums.Result();
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<double>.Shared.Return(rented);
            }
        }
    }

    internal static RegressionMetrics Create(double meanAbsoluteError, double meanSquaredError, double rootMeanSquaredError, double rSquared)
        => new(meanAbsoluteError, meanSquaredError, rootMeanSquaredError, rSquared);
}
