using System;
using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Backprop.CompilerServices;

/// <summary>
/// The argument checks of generated networks. The comparison is inlined at the call site; the
/// throw lives here, out of the hot path.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class NetworkGuard
{
    /// <summary>Throws unless <paramref name="actualLength"/> is <paramref name="expectedLength"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Length(int actualLength, int expectedLength, string parameterName)
    {
        if (actualLength != expectedLength)
        {
            ThrowLengthMismatch(actualLength, expectedLength, parameterName);
        }
    }

    /// <summary>
    /// Checks that <paramref name="inputsLength"/> and <paramref name="targetsLength"/> hold the same
    /// number of rows, at least one, and returns it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int BatchRows(int inputsLength, int inputCount, int targetsLength, int outputCount)
    {
        int rows = inputsLength / inputCount;
        if (rows == 0 || rows * inputCount != inputsLength)
        {
            ThrowBatchInputs(inputsLength, inputCount);
        }

        if (targetsLength != rows * outputCount)
        {
            ThrowBatchTargets(targetsLength, rows, outputCount);
        }

        return rows;
    }

    /// <summary>
    /// Checks that <paramref name="inputsLength"/> is whole rows of <paramref name="inputCount"/> and that
    /// <paramref name="otherLength"/> holds as many rows of <paramref name="otherCount"/>, and returns the
    /// number of rows, which may be zero.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Rows(int inputsLength, int inputCount, int otherLength, int otherCount, string otherName)
    {
        int rows = inputsLength / inputCount;
        if (rows * inputCount != inputsLength)
        {
            ThrowPartialRow(inputsLength, inputCount);
        }

        if (otherLength != rows * otherCount)
        {
            ThrowRowsMismatch(otherLength, rows, otherCount, otherName);
        }

        return rows;
    }

    /// <summary>
    /// Throws unless <paramref name="learningRate"/> is finite and ≥ 0: checked by every method that changes the
    /// parameters before it changes any, so a NaN, infinite or negative rate never reaches them.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void LearningRate<T>(T learningRate)
        where T : IFloatingPointIeee754<T>
    {
        if (!T.IsFinite(learningRate) || T.IsNegative(learningRate))
        {
            ThrowLearningRate(learningRate);
        }
    }

    /// <summary>
    /// Throws unless every value is finite, naming the first one that is not by its row and column (rows of
    /// <paramref name="rowLength"/>): checked by every method that changes the parameters, before it changes any, so
    /// one NaN or infinity in a row never turns every parameter into NaN. One vectorised pass (x − x is 0 for every
    /// finite x, NaN otherwise); the search for the culprit and the throw are out of line.
    /// </summary>
    public static void Finite<T>(ReadOnlySpan<T> values, int rowLength, string parameterName)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref T first = ref MemoryMarshal.GetReference(values);
        int length = values.Length;
        int i = 0;
        if (Vector.IsHardwareAccelerated && length >= Vector<T>.Count)
        {
            Vector<T> differences = Vector<T>.Zero;
            for (; i <= length - Vector<T>.Count; i += Vector<T>.Count)
            {
                Vector<T> value = Vector.LoadUnsafe(ref first, (nuint)i);
                differences += value - value;
            }

            if (differences != Vector<T>.Zero)
            {
                ThrowNotFinite(values, rowLength, parameterName);
            }
        }

        for (; i < length; i++)
        {
            if (!T.IsFinite(Unsafe.Add(ref first, i)))
            {
                ThrowNotFinite(values, rowLength, parameterName);
            }
        }
    }

    [DoesNotReturn]
    private static void ThrowLearningRate<T>(T learningRate)
        where T : IFloatingPointIeee754<T>
        => throw new ArgumentOutOfRangeException(
            "learningRate",
            learningRate,
            "The learning rate must be a finite number ≥ 0; no parameter was changed.");

    [DoesNotReturn]
    private static void ThrowNotFinite<T>(ReadOnlySpan<T> values, int rowLength, string parameterName)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int index = 0;
        while (T.IsFinite(values[index]))
        {
            index++;
        }

        string value = values[index].ToString(null, CultureInfo.InvariantCulture);
        throw new ArgumentException(
            $"'{parameterName}' holds {value} at row {index / rowLength}, column {index % rowLength} (index {index}): training needs finite values, and no parameter was changed.",
            parameterName);
    }

    [DoesNotReturn]
    private static void ThrowLengthMismatch(int actualLength, int expectedLength, string parameterName)
        => throw new ArgumentException(
            $"Expected a span of length {expectedLength}, but '{parameterName}' has length {actualLength}.",
            parameterName);

    [DoesNotReturn]
    private static void ThrowBatchInputs(int inputsLength, int inputCount)
        => throw new ArgumentException(
            $"Expected one or more rows of {inputCount} inputs (a non-zero multiple of {inputCount}), but 'inputs' has length {inputsLength}.",
            "inputs");

    [DoesNotReturn]
    private static void ThrowBatchTargets(int targetsLength, int rows, int outputCount)
        => throw new ArgumentException(
            $"Expected {rows} rows of {outputCount} targets (length {rows * outputCount}) to match the inputs, but 'targets' has length {targetsLength}.",
            "targets");

    [DoesNotReturn]
    private static void ThrowPartialRow(int inputsLength, int inputCount)
        => throw new ArgumentException(
            $"Expected whole rows of {inputCount} inputs (a multiple of {inputCount}), but 'inputs' has length {inputsLength}.",
            "inputs");

    [DoesNotReturn]
    private static void ThrowRowsMismatch(int otherLength, int rows, int otherCount, string otherName)
        => throw new ArgumentException(
            $"Expected {rows} rows of {otherCount} (length {rows * otherCount}) to match the inputs, but '{otherName}' has length {otherLength}.",
            otherName);
}
