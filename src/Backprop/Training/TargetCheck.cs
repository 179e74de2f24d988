using System;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Numerics;

namespace Backprop.Training;

/// <summary>
/// The targets a loss can learn from, checked by the trainer before anything changes: cross-entropy's are a
/// distribution over the classes (one-hot rows: never negative, never all zero), binary cross-entropy's are
/// probabilities in [0, 1]. The other losses take any finite target.
/// </summary>
internal static class TargetCheck
{
    public static void Check<T>(Loss? loss, ReadOnlySpan<T> targets, int outputCount, string parameterName)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        switch (loss)
        {
            case Loss.CrossEntropy:
                for (int row = 0; row * outputCount < targets.Length; row++)
                {
                    ReadOnlySpan<T> target = targets.Slice(row * outputCount, outputCount);
                    T sum = T.Zero;
                    for (int k = 0; k < target.Length; k++)
                    {
                        if (target[k] < T.Zero)
                        {
                            Throw(parameterName, row, k, target[k], "cross-entropy targets are a distribution over the classes (a one-hot row: 1 for the class, 0 elsewhere), never negative");
                        }

                        sum += target[k];
                    }

                    if (sum == T.Zero)
                    {
                        throw new ArgumentException(
                            $"'{parameterName}' row {row} is all zeros: a cross-entropy target names its class (a one-hot row: 1 for the class, 0 elsewhere). " +
                            "Class indices must be turned into one-hot rows first. No parameter was changed.",
                            parameterName);
                    }
                }

                break;
            case Loss.BinaryCrossEntropy:
                for (int i = 0; i < targets.Length; i++)
                {
                    if (targets[i] < T.Zero || targets[i] > T.One)
                    {
                        Throw(parameterName, i / outputCount, i % outputCount, targets[i], "binary cross-entropy targets are probabilities in [0, 1] (usually 0 or 1)");
                    }
                }

                break;
        }
    }

    [DoesNotReturn]
    private static void Throw<T>(string parameterName, int row, int column, T value, string rule)
        where T : IFloatingPointIeee754<T>
        => throw new ArgumentException(
            $"'{parameterName}' holds {value.ToString(null, CultureInfo.InvariantCulture)} at row {row}, column {column}: {rule}. No parameter was changed.",
            parameterName);
}
