using System;
using System.Buffers;
using System.Numerics;
using Backprop.CompilerServices;
using Backprop.Internal;
using Backprop.Parallelism;

namespace Backprop;

/// <summary>
/// Predictions of any <see cref="INetwork{T}"/>: the outputs of many rows, and for a classifier the class of a row
/// (<see cref="PredictClass{T}(INetwork{T}, ReadOnlySpan{T})"/>) and its class probabilities.
/// </summary>
/// <remarks>
/// <para>
/// A classifier is a network whose output layer is Softmax (the class is the position of the largest output, the first
/// one on a tie) or one Sigmoid output (class 1 when the output is ≥ 0.5, else class 0), the rule
/// <c>Evaluation.Accuracy</c> uses too. The class methods refuse any other generated network with an
/// <see cref="ArgumentException"/> saying why; a hand-written network (whose <see cref="INetwork{T}.Architecture"/> is
/// not in the generated form) is taken at its word and decided by its number of outputs.
/// </para>
/// <para>
/// Every method runs on <see cref="INetwork{T}.ForwardBatch"/>, so a row's class and probabilities are the same
/// whether it is predicted alone or among others, on one thread or several. They may differ from
/// <see cref="INetwork{T}.Forward"/>'s outputs in the last bits (a different summation order), which can change the
/// class of a row whose two largest outputs are that close.
/// </para>
/// <para>
/// Allocation-free, after a thread's first call for a size: the class methods compute the outputs of up to 4,096 rows
/// at a time into a buffer from <see cref="ArrayPool{T}.Shared"/>.
/// </para>
/// </remarks>
public static class PredictionExtensions
{
    /// <summary>
    /// The outputs of many rows: <see cref="INetwork{T}.ForwardBatch"/> under the name a model's users look for, on
    /// up to <paramref name="maxDegreeOfParallelism"/> threads as
    /// <see cref="NetworkExtensions.ForwardBatch{T}(INetwork{T}, ReadOnlySpan{T}, Span{T}, int)"/> does, with the same
    /// bits for any number of threads. For a regression these are the predicted values; for a classifier, the
    /// outputs (Softmax probabilities, or the Sigmoid probability of class 1).
    /// </summary>
    /// <typeparam name="T"><see cref="float"/> or <see cref="double"/>, the network's precision.</typeparam>
    /// <param name="network">The network.</param>
    /// <param name="inputs">m rows of <see cref="INetwork{T}.InputCount"/> inputs, concatenated; m may be 0.</param>
    /// <param name="outputs">Receives m rows of <see cref="INetwork{T}.OutputCount"/> outputs.</param>
    /// <param name="maxDegreeOfParallelism">The most threads to use, the calling one included: 1 (the default) for the calling thread alone, −1 for one per processor.</param>
    /// <exception cref="ArgumentNullException"><paramref name="network"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="inputs"/> is not whole rows, or <paramref name="outputs"/> does not hold as many rows.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxDegreeOfParallelism"/> is 0 or less than −1.</exception>
    public static void Predict<T>(this INetwork<T> network, ReadOnlySpan<T> inputs, Span<T> outputs, int maxDegreeOfParallelism = 1)
        where T : unmanaged, IFloatingPointIeee754<T>
        => network.ForwardBatch(inputs, outputs, maxDegreeOfParallelism);

    /// <summary>
    /// The number of classes a classifier tells apart: its <see cref="INetwork{T}.OutputCount"/> for a Softmax output
    /// layer, 2 for one Sigmoid output. Sizes the spans of <see cref="PredictProbabilities{T}"/>.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="network"/> is null.</exception>
    /// <exception cref="ArgumentException">The network is not a classifier.</exception>
    public static int ClassCount<T>(this INetwork<T> network)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        RequireClassifier(network, "ClassCount counts the classes of classifications");
        return Classification.ClassCount(network.OutputCount);
    }

    /// <summary>
    /// The class of one row: the position of the largest output of a Softmax network (the first one on a tie), or
    /// for one Sigmoid output 1 when the output is ≥ 0.5 and 0 otherwise.
    /// </summary>
    /// <typeparam name="T"><see cref="float"/> or <see cref="double"/>, the network's precision.</typeparam>
    /// <param name="network">A classifier.</param>
    /// <param name="input">One row of <see cref="INetwork{T}.InputCount"/> inputs.</param>
    /// <returns>A class index in [0, <see cref="ClassCount{T}"/>).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="network"/> is null.</exception>
    /// <exception cref="ArgumentException">
    /// The network is not a classifier (its output layer is neither Softmax nor a single Sigmoid output); the input is
    /// not <see cref="INetwork{T}.InputCount"/> long, or holds a NaN or an infinity (which would decide a class silently).
    /// </exception>
    public static int PredictClass<T>(this INetwork<T> network, ReadOnlySpan<T> input)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        RequireClassifier(network, "PredictClass makes classifications");
        NetworkGuard.Length(input.Length, network.InputCount, nameof(input));
        Classification.CheckFinite(input, network.InputCount, nameof(input));
        int outputCount = network.OutputCount;
        T[]? rented = null;
        Span<T> output = outputCount <= 256
            ? stackalloc T[outputCount]
            : (rented = ArrayPool<T>.Shared.Rent(outputCount)).AsSpan(0, outputCount);
        try
        {
            network.ForwardBatch(input, output);
            return Classification.Decide<T>(output);
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
    /// The class of each of many rows, by the rule of <see cref="PredictClass{T}(INetwork{T}, ReadOnlySpan{T})"/>,
    /// on up to <paramref name="maxDegreeOfParallelism"/> threads with the same result for any number.
    /// </summary>
    /// <typeparam name="T"><see cref="float"/> or <see cref="double"/>, the network's precision.</typeparam>
    /// <param name="network">A classifier.</param>
    /// <param name="inputs">m rows of <see cref="INetwork{T}.InputCount"/> inputs, concatenated; m may be 0.</param>
    /// <param name="classes">Receives the m class indices.</param>
    /// <param name="maxDegreeOfParallelism">The most threads to use, the calling one included: 1 (the default) for the calling thread alone, −1 for one per processor.</param>
    /// <exception cref="ArgumentNullException"><paramref name="network"/> is null.</exception>
    /// <exception cref="ArgumentException">
    /// The network is not a classifier; <paramref name="inputs"/> is not whole rows or holds a NaN or an infinity
    /// (named by row and column); or <paramref name="classes"/> is not one per row.
    /// </exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxDegreeOfParallelism"/> is 0 or less than −1.</exception>
    public static void PredictClass<T>(this INetwork<T> network, ReadOnlySpan<T> inputs, Span<int> classes, int maxDegreeOfParallelism = 1)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        RequireClassifier(network, "PredictClass makes classifications");
        ParallelWork.CheckDegree(maxDegreeOfParallelism, nameof(maxDegreeOfParallelism));
        int rows = NetworkGuard.Rows(inputs.Length, network.InputCount, classes.Length, 1, nameof(classes));
        Classification.CheckFinite(inputs, network.InputCount, nameof(inputs));
        int outputCount = network.OutputCount;
        var chunks = new OutputChunks<T>(network, inputs, rows, maxDegreeOfParallelism);
        try
        {
            while (chunks.MoveNext())
            {
                ReadOnlySpan<T> outputs = chunks.Outputs;
                Span<int> chunkClasses = classes.Slice(chunks.FirstRow, chunks.RowCount);
                for (int row = 0; row < chunkClasses.Length; row++)
                {
                    chunkClasses[row] = Classification.Decide(outputs.Slice(row * outputCount, outputCount));
                }
            }
        }
        finally
        {
            chunks.Dispose();
        }
    }

    /// <summary>
    /// The probability of each class for each of many rows: a Softmax network's outputs as they are; for one Sigmoid
    /// output p, the pair 1 − p, p (class 0, class 1), as scikit-learn's <c>predict_proba</c> gives them. Each row sums
    /// to 1 (to rounding). On up to <paramref name="maxDegreeOfParallelism"/> threads with the same bits for any number.
    /// </summary>
    /// <typeparam name="T"><see cref="float"/> or <see cref="double"/>, the network's precision.</typeparam>
    /// <param name="network">A classifier.</param>
    /// <param name="inputs">m rows of <see cref="INetwork{T}.InputCount"/> inputs, concatenated; m may be 0 (one row for one prediction).</param>
    /// <param name="probabilities">Receives m rows of <see cref="ClassCount{T}"/> probabilities.</param>
    /// <param name="maxDegreeOfParallelism">The most threads to use, the calling one included: 1 (the default) for the calling thread alone, −1 for one per processor.</param>
    /// <exception cref="ArgumentNullException"><paramref name="network"/> is null.</exception>
    /// <exception cref="ArgumentException">
    /// The network is not a classifier; <paramref name="inputs"/> is not whole rows or holds a NaN or an infinity
    /// (named by row and column); or <paramref name="probabilities"/> does not hold as many rows.
    /// </exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxDegreeOfParallelism"/> is 0 or less than −1.</exception>
    public static void PredictProbabilities<T>(this INetwork<T> network, ReadOnlySpan<T> inputs, Span<T> probabilities, int maxDegreeOfParallelism = 1)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        RequireClassifier(network, "PredictProbabilities gives the probabilities of classifications");
        ParallelWork.CheckDegree(maxDegreeOfParallelism, nameof(maxDegreeOfParallelism));
        int outputCount = network.OutputCount;
        int classCount = Classification.ClassCount(outputCount);
        int rows = NetworkGuard.Rows(inputs.Length, network.InputCount, probabilities.Length, classCount, nameof(probabilities));
        Classification.CheckFinite(inputs, network.InputCount, nameof(inputs));
        if (outputCount != 1)
        {
            network.ForwardBatch(inputs, probabilities, maxDegreeOfParallelism);
            return;
        }

        var chunks = new OutputChunks<T>(network, inputs, rows, maxDegreeOfParallelism);
        try
        {
            while (chunks.MoveNext())
            {
                ReadOnlySpan<T> outputs = chunks.Outputs;
                Span<T> pairs = probabilities.Slice(chunks.FirstRow * 2, chunks.RowCount * 2);
                for (int row = 0; row < outputs.Length; row++)
                {
                    pairs[2 * row] = T.One - outputs[row];
                    pairs[(2 * row) + 1] = outputs[row];
                }
            }
        }
        finally
        {
            chunks.Dispose();
        }
    }

    private static void RequireClassifier<T>(INetwork<T> network, string what)
        where T : unmanaged, IFloatingPointIeee754<T>
        => Classification.Require(
            network,
            what,
            "For a regression, Predict gives the predicted values, and RegressionMetrics (in Backprop.Training) measures them.",
            nameof(network));
}
