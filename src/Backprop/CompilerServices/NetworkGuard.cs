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
    /// one NaN or infinity in a row never turns every parameter into NaN. Inlined for spans shorter than a vector; the
    /// longer ones, the search for the culprit and the throw are out of line.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Finite<T>(ReadOnlySpan<T> values, int rowLength, string parameterName)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        bool finite;
        if (Vector.IsHardwareAccelerated && values.Length >= Vector<T>.Count)
        {
            finite = AreFinite(values);
        }
        else
        {
            finite = true;
            foreach (T value in values)
            {
                finite &= T.IsFinite(value);
            }
        }

        if (!finite)
        {
            ThrowNotFinite(values, rowLength, parameterName);
        }
    }

    /// <summary>
    /// Whether every value of a span at least a vector long is finite: x − x is 0 for every finite x and NaN otherwise,
    /// summed in four independent vectors (one would wait on each addition), the last vector of the span loaded
    /// whole, overlapping the one before, so there is no scalar tail.
    /// </summary>
    private static bool AreFinite<T>(ReadOnlySpan<T> values)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref T first = ref MemoryMarshal.GetReference(values);
        int count = Vector<T>.Count;
        int length = values.Length;
        Vector<T> last = Vector.LoadUnsafe(ref first, (nuint)(length - count));
        Vector<T> sum0 = last - last, sum1 = Vector<T>.Zero, sum2 = Vector<T>.Zero, sum3 = Vector<T>.Zero;
        int i = 0;
        for (; i <= length - (4 * count); i += 4 * count)
        {
            Vector<T> v0 = Vector.LoadUnsafe(ref first, (nuint)i);
            Vector<T> v1 = Vector.LoadUnsafe(ref first, (nuint)(i + count));
            Vector<T> v2 = Vector.LoadUnsafe(ref first, (nuint)(i + (2 * count)));
            Vector<T> v3 = Vector.LoadUnsafe(ref first, (nuint)(i + (3 * count)));
            sum0 += v0 - v0;
            sum1 += v1 - v1;
            sum2 += v2 - v2;
            sum3 += v3 - v3;
        }

        for (; i <= length - count; i += count)
        {
            Vector<T> v = Vector.LoadUnsafe(ref first, (nuint)i);
            sum0 += v - v;
        }

        return (sum0 + sum1 + sum2 + sum3) == Vector<T>.Zero;
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
