using System;
using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

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
