using System;
using System.Buffers;
using System.Numerics;
using Backprop.CompilerServices;
using Backprop.Internal;

namespace Backprop.Training;

/// <summary>
/// Measures a network on a data set: mean loss and classification accuracy. Allocation-free. For precision, recall and
/// F1 see <see cref="ConfusionMatrix"/>; for a regression's errors and R², <see cref="RegressionMetrics"/>.
/// </summary>
public static class Evaluation
{
    /// <summary>The mean of <see cref="INetwork{T}.ComputeLoss"/> over the rows.</summary>
    /// <param name="network">The network to measure.</param>
    /// <param name="inputs">Rows of <see cref="INetwork{T}.InputCount"/> inputs, concatenated.</param>
    /// <param name="targets">Rows of <see cref="INetwork{T}.OutputCount"/> targets, concatenated, as many as the inputs.</param>
    /// <returns>The mean loss, accumulated in double.</returns>
    /// <exception cref="ArgumentException">The spans are not whole, matching, non-empty rows.</exception>
    public static double MeanLoss<T>(INetwork<T> network, ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        int inputCount = network.InputCount;
        int outputCount = network.OutputCount;
        int rows = NetworkGuard.BatchRows(inputs.Length, inputCount, targets.Length, outputCount);
        double sum = 0;
        for (int row = 0; row < rows; row++)
        {
            sum += double.CreateTruncating(network.ComputeLoss(inputs.Slice(row * inputCount, inputCount), targets.Slice(row * outputCount, outputCount)));
        }

        return sum / rows;
    }

    /// <summary>
    /// The fraction of rows the network classifies correctly. With several outputs (softmax, one-hot targets) a row
    /// is correct when the largest output is at the position of the largest target; with one output (sigmoid,
    /// targets 0 or 1) when the output and the target fall on the same side of 0.5.
    /// </summary>
    /// <param name="network">The network to measure.</param>
    /// <param name="inputs">Rows of <see cref="INetwork{T}.InputCount"/> inputs, concatenated.</param>
    /// <param name="targets">Rows of <see cref="INetwork{T}.OutputCount"/> targets, concatenated, as many as the inputs.</param>
    /// <returns>A value in [0, 1].</returns>
    /// <exception cref="ArgumentException">
    /// The spans are not whole, matching, non-empty rows; or the network is not a classifier (its output layer is neither
    /// Softmax nor a single Sigmoid output), for which accuracy means nothing: use <see cref="MeanLoss"/>.
    /// </exception>
    public static double Accuracy<T>(INetwork<T> network, ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        RequireClassifier(network);
        int rows = NetworkGuard.BatchRows(inputs.Length, network.InputCount, targets.Length, network.OutputCount);
        int outputCount = network.OutputCount;
        T[]? rented = null;
        Span<T> output = outputCount <= 256
            ? stackalloc T[outputCount]
            : (rented = ArrayPool<T>.Shared.Rent(outputCount)).AsSpan(0, outputCount);
        try
        {
            return (double)CountCorrect(network, inputs, targets, output, rows) / rows;
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<T>.Shared.Return(rented);
            }
        }
    }

    /// <summary>
    /// Accuracy counts classifications, which a generated network makes with a Softmax output layer (the class of the
    /// largest output) or one Sigmoid output (the 0.5 threshold). A network whose architecture is not in the generated
    /// form (one written by hand) is taken at its word.
    /// </summary>
    private static void RequireClassifier<T>(INetwork<T> network)
        where T : unmanaged, IFloatingPointIeee754<T>
        => Classification.Require(
            network,
            "Accuracy counts classifications",
            "For a regression, measure MeanLoss (or the error of the predictions) instead.",
            nameof(network));

    /// <summary>The number of rows classified correctly; <paramref name="output"/> is scratch of OutputCount.</summary>
    internal static int CountCorrect<T>(INetwork<T> network, ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets, Span<T> output, int rows)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int inputCount = network.InputCount;
        int outputCount = network.OutputCount;
        int correct = 0;
        for (int row = 0; row < rows; row++)
        {
            network.Forward(inputs.Slice(row * inputCount, inputCount), output);
            if (IsCorrect(output, targets.Slice(row * outputCount, outputCount)))
            {
                correct++;
            }
        }

        return correct;
    }

    /// <summary>Whether the output's class is the target's (see <see cref="Classification"/>).</summary>
    internal static bool IsCorrect<T>(ReadOnlySpan<T> output, ReadOnlySpan<T> target)
        where T : unmanaged, IFloatingPointIeee754<T>
        => Classification.Decide(output) == Classification.Actual(target);
}
