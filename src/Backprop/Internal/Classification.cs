using System;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace Backprop.Internal;

/// <summary>
/// What makes a network a classifier and how it decides, in one place for <c>Evaluation.Accuracy</c>, the
/// predictions (<see cref="PredictionExtensions"/>), the confusion matrix and the trainer's per-epoch metrics.
/// </summary>
/// <remarks>
/// A generated network classifies when its output layer is Softmax (the class is the position of the largest output,
/// the first one on a tie, as NumPy's <c>argmax</c>) or a single Sigmoid output (class 1 when the output is ≥ 0.5,
/// else class 0). A target row names its class by the same rule: the position of its largest value (one-hot), or
/// 1 when its one value is ≥ 0.5. A network whose <see cref="INetwork{T}.Architecture"/> is not in the generated form
/// (one written by hand) is taken at its word, and decided by its number of outputs: one → the threshold, more → arg-max.
/// </remarks>
internal static class Classification
{
    /// <summary>
    /// Throws <see cref="ArgumentException"/> (for <paramref name="parameterName"/>) unless the network is a classifier.
    /// </summary>
    /// <param name="network">The network.</param>
    /// <param name="what">What needs a classifier, as the start of a sentence: "Accuracy counts classifications".</param>
    /// <param name="instead">What to use on a regression instead, as a sentence.</param>
    /// <param name="parameterName">The parameter the exception names.</param>
    public static void Require<T>(INetwork<T> network, string what, string instead, string parameterName)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        string architecture = network.Architecture;
        if (!s_verdicts.TryGetValue(architecture, out Verdict? verdict))
        {
            verdict = s_verdicts.GetValue(architecture, Judge);
        }

        if (verdict.OutputLayer is { } outputLayer)
        {
            throw new ArgumentException(
                $"{what}, which need a Softmax output layer or a single Sigmoid output; this network's output layer is {outputLayer} ({architecture}). " +
                instead,
                parameterName);
        }
    }

    /// <summary>
    /// What each architecture text says, read once: parsing it allocates, and a prediction of one row must not. Keyed by
    /// the string's identity (a generated network's is a constant), and weakly, so a text built per call is not kept.
    /// </summary>
    private static readonly ConditionalWeakTable<string, Verdict> s_verdicts = new();

    private static Verdict Judge(string architecture)
    {
        if (ArchitectureDescription.TryParse(architecture) is { } description)
        {
            (int size, string activation) = description.Layers[description.Layers.Count - 1];
            if (activation != "Softmax" && !(activation == "Sigmoid" && size == 1))
            {
                return new Verdict(string.Create(CultureInfo.InvariantCulture, $"Dense({size}, {activation})"));
            }
        }

        return new Verdict(null);
    }

    /// <summary>Whether an architecture classifies: <see cref="OutputLayer"/> names the output layer when it does not.</summary>
    private sealed record Verdict(string? OutputLayer);

    /// <summary>The number of classes a classifier with <paramref name="outputCount"/> outputs tells apart: 2 for one output.</summary>
    public static int ClassCount(int outputCount) => outputCount == 1 ? 2 : outputCount;

    /// <summary>The class of one row of outputs: the 0.5 threshold for one output, the first largest for several.</summary>
    public static int Decide<T>(ReadOnlySpan<T> output)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (output.Length == 1)
        {
            return output[0] >= T.CreateTruncating(0.5) ? 1 : 0;
        }

        int best = 0;
        for (int i = 1; i < output.Length; i++)
        {
            if (output[i] > output[best])
            {
                best = i;
            }
        }

        return best;
    }

    /// <summary>The class a target row names, by the rule of <see cref="Decide"/>; unchecked (see <see cref="CheckTarget"/>).</summary>
    public static int Actual<T>(ReadOnlySpan<T> target)
        where T : unmanaged, IFloatingPointIeee754<T>
        => Decide(target);

    /// <summary>
    /// Throws unless row <paramref name="row"/> of <paramref name="parameterName"/> names one class unambiguously: a
    /// single target in [0, 1] (0 or 1, usually); several in [0, 1] with one largest value (a one-hot row, or a
    /// smoothed one). Class indices passed where one-hot rows belong fail here (a value above 1, or an all-zero row).
    /// </summary>
    public static void CheckTarget<T>(ReadOnlySpan<T> target, int row, string parameterName)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (target.Length == 1)
        {
            if (!(target[0] >= T.Zero && target[0] <= T.One))
            {
                Throw(parameterName, row, 0, target[0], "a single Sigmoid output's targets are 0 or 1 (class 1 from 0.5 up)");
            }

            return;
        }

        int best = 0;
        int ties = 0;
        for (int k = 0; k < target.Length; k++)
        {
            if (!(target[k] >= T.Zero && target[k] <= T.One))
            {
                Throw(parameterName, row, k, target[k], "a Softmax network's targets are one-hot rows (1 for the class, 0 elsewhere), every value in [0, 1]; class indices must be turned into one-hot rows first");
            }

            if (target[k] > target[best])
            {
                best = k;
                ties = 0;
            }
            else if (k != best && target[k] == target[best])
            {
                ties++;
            }
        }

        if (ties > 0)
        {
            throw new ArgumentException(
                $"'{parameterName}' row {row} has no single largest value, so it names no class: a Softmax network's targets are one-hot rows (1 for the class, 0 elsewhere). " +
                "Class indices must be turned into one-hot rows first.",
                parameterName);
        }
    }

    /// <summary>Throws unless every value is finite, naming the first that is not by its row and column.</summary>
    public static void CheckFinite<T>(ReadOnlySpan<T> values, int rowLength, string parameterName)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < values.Length; i++)
        {
            if (!T.IsFinite(values[i]))
            {
                Throw(parameterName, i / rowLength, i % rowLength, values[i], "predictions and metrics need finite values");
            }
        }
    }

    [DoesNotReturn]
    private static void Throw<T>(string parameterName, int row, int column, T value, string rule)
        where T : IFloatingPointIeee754<T>
        => throw new ArgumentException(
            $"'{parameterName}' holds {value.ToString(null, CultureInfo.InvariantCulture)} at row {row}, column {column}: {rule}.",
            parameterName);
}
