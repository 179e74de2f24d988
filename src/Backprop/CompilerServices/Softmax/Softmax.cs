using System;
using System.ComponentModel;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Backprop.CompilerServices;

/// <summary>
/// The softmax of an output layer's logits, the one activation that is not element-wise: every output depends on
/// every logit. The largest logit is subtracted first, so no exponent overflows.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class Softmax
{
    /// <summary>Below this many outputs, <see cref="Compute{T}"/> uses plain loops (measured).</summary>
    private const int SmallSoftmax = 4;

    /// <summary>
    /// output = softmax(z) with the largest logit subtracted first, so no exponent overflows.
    /// Returns logsumexp(z) = max z + ln Σⱼ e^(zⱼ − max z), which cross-entropy needs.
    /// </summary>
    public static T Compute<T>(ReadOnlySpan<T> z, Span<T> output)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (z.IsEmpty || z.Length != output.Length)
        {
            throw new ArgumentException("Softmax needs at least one logit and an output of the same length.", nameof(output));
        }

        // Logits that fit one vector: one vectorised exponential (measured: 4 outputs 6 ns against 21).
        if (VectorSoftmax.TryCompute(z, output, out T logSumExp))
        {
            return logSumExp;
        }

        if (z.Length >= SmallSoftmax)
        {
            T max = TensorPrimitives.Max(z);
            TensorPrimitives.Subtract(z, max, output);
            ExponentialsInPlace(output);
            T sum = TensorPrimitives.Sum<T>(output);
            TensorPrimitives.Divide(output, sum, output);
            return max + T.Log(sum);
        }

        // Without SIMD hardware, or for one to three outputs: plain loops cost less than five library calls (measured:
        // 3 outputs 18 ns against 23; from 4 outputs on, the vectorised calls win: 4 outputs 20 ns against 25, 8 outputs
        // 24 against 48).
        T largest = z[0];
        for (int k = 1; k < z.Length; k++)
        {
            largest = T.Max(largest, z[k]);
        }

        T total = T.Zero;
        for (int k = 0; k < z.Length; k++)
        {
            T exponent = T.Exp(z[k] - largest);
            output[k] = exponent;
            total += exponent;
        }

        for (int k = 0; k < output.Length; k++)
        {
            output[k] /= total;
        }

        return largest + T.Log(total);
    }

    /// <summary>
    /// The softmax of each row of a block: <paramref name="output"/>[r, :] = softmax(<paramref name="z"/>[r, :]) for
    /// rows of <paramref name="width"/> logits, the largest logit of each row subtracted first; <paramref name="z"/> and
    /// <paramref name="output"/> may be the same span. Rows of more than two 256-bit vectors are computed one by one
    /// over vectors where AVX is (<see cref="VectorRowSoftmax"/>); narrower rows, and every row elsewhere, take one
    /// vectorised exponential pass over the whole block between scalar loops over each row.
    /// </summary>
    public static void ComputeRows<T>(ReadOnlySpan<T> z, Span<T> output, int width)
        where T : unmanaged, IFloatingPointIeee754<T>
        => ComputeRows(z, output, width, Span<T>.Empty);

    /// <summary>
    /// <see cref="ComputeRows{T}(ReadOnlySpan{T}, Span{T}, int)"/>, and each row's logsumexp(z) = max z + ln Σⱼ
    /// e^(zⱼ − max z), which cross-entropy needs, into <paramref name="logSumExps"/> (one per row; empty for none).
    /// The outputs are the same bits with or without it.
    /// </summary>
    public static void ComputeRows<T>(ReadOnlySpan<T> z, Span<T> output, int width, Span<T> logSumExps)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (width <= 0 || z.Length != output.Length || z.Length % width != 0)
        {
            throw new ArgumentException("Softmax rows need a positive width that divides the block, and an output of the same length.", nameof(width));
        }

        if (!logSumExps.IsEmpty && logSumExps.Length != z.Length / width)
        {
            throw new ArgumentException("The log-sum-exps need one place per row, or none.", nameof(logSumExps));
        }

        if (VectorRowSoftmax.TryCompute(z, output, width, logSumExps))
        {
            return;
        }

        if (Vector256.IsHardwareAccelerated && Vector256<T>.IsSupported && width >= Vector256<T>.Count)
        {
            ComputeRows<T, Vector256<T>, Lanes256<T>>(z, output, width, logSumExps);
        }
        else if (Vector128.IsHardwareAccelerated && Vector128<T>.IsSupported && width >= Vector128<T>.Count)
        {
            ComputeRows<T, Vector128<T>, Lanes128<T>>(z, output, width, logSumExps);
        }
        else
        {
            ComputeShortRows(z, output, width, logSumExps);
        }
    }

    /// <summary>
    /// The general pass for rows shorter than a vector (or without SIMD): the same steps as the vector form, over each
    /// row's values one by one.
    /// </summary>
    private static void ComputeShortRows<T>(ReadOnlySpan<T> z, Span<T> output, int width, Span<T> logSumExps)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int start = 0, row = 0; start < z.Length; start += width, row++)
        {
            ReadOnlySpan<T> logits = z.Slice(start, width);
            T largest = logits[0];
            for (int k = 1; k < width; k++)
            {
                largest = T.Max(largest, logits[k]);
            }

            Span<T> shifted = output.Slice(start, width);
            for (int k = 0; k < width; k++)
            {
                shifted[k] = logits[k] - largest;
            }

            if (!logSumExps.IsEmpty)
            {
                logSumExps[row] = largest; // the row's shift, until its sum is known
            }
        }

        ExponentialsInPlace(output);
        for (int start = 0, row = 0; start < output.Length; start += width, row++)
        {
            Span<T> exponentials = output.Slice(start, width);
            T total = T.Zero;
            for (int k = 0; k < width; k++)
            {
                total += exponentials[k];
            }

            for (int k = 0; k < width; k++)
            {
                exponentials[k] /= total;
            }

            if (!logSumExps.IsEmpty)
            {
                logSumExps[row] += T.Log(total);
            }
        }
    }

    /// <summary>
    /// The general pass of <see cref="ComputeRows{T}(ReadOnlySpan{T}, Span{T}, int, Span{T})"/>, for rows of at least
    /// one vector: each row's largest logit subtracted, one exponential pass over the whole block, then each row divided
    /// by its sum. The per-row passes run over the row's whole vectors, then its last values one by one (measured,
    /// float, AVX2, 64 rows: rows of 10 25–27 ns a row against 34 with scalar loops, rows of 16 32 against 57).
    /// </summary>
    private static void ComputeRows<T, TVector, TLanes>(ReadOnlySpan<T> z, Span<T> output, int width, Span<T> logSumExps)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : struct
        where TLanes : IVectorLanes<TVector, T>
    {
        nuint w = (nuint)width;
        nuint count = (nuint)TLanes.Count;
        nuint whole = w - (w % count);
        int rows = z.Length / width;
        ref T logits = ref MemoryMarshal.GetReference(z);
        ref T outputs = ref MemoryMarshal.GetReference(output);
        for (int r = 0; r < rows; r++)
        {
            ref T zr = ref Unsafe.Add(ref logits, (nuint)r * w);
            ref T yr = ref Unsafe.Add(ref outputs, (nuint)r * w);
            TVector largests = TLanes.Load(ref zr, 0);
            for (nuint k = count; k < whole; k += count)
            {
                largests = TLanes.Max(largests, TLanes.Load(ref zr, k));
            }

            T largest = TLanes.Largest(largests);
            for (nuint k = whole; k < w; k++)
            {
                largest = T.Max(largest, Unsafe.Add(ref zr, k));
            }

            TVector shift = TLanes.Broadcast(largest);
            for (nuint k = 0; k < whole; k += count)
            {
                TLanes.Store(TLanes.Subtract(TLanes.Load(ref zr, k), shift), ref yr, k);
            }

            for (nuint k = whole; k < w; k++)
            {
                Unsafe.Add(ref yr, k) = Unsafe.Add(ref zr, k) - largest;
            }

            if (!logSumExps.IsEmpty)
            {
                logSumExps[r] = largest; // the row's shift, until its sum is known
            }
        }

        ExponentialsInPlace(output);
        for (int r = 0; r < rows; r++)
        {
            ref T yr = ref Unsafe.Add(ref outputs, (nuint)r * w);
            TVector sums = TLanes.Load(ref yr, 0);
            for (nuint k = count; k < whole; k += count)
            {
                sums = TLanes.Add(sums, TLanes.Load(ref yr, k));
            }

            T total = TLanes.Sum(sums);
            for (nuint k = whole; k < w; k++)
            {
                total += Unsafe.Add(ref yr, k);
            }

            TVector divisor = TLanes.Broadcast(total);
            for (nuint k = 0; k < whole; k += count)
            {
                TLanes.Store(TLanes.Divide(TLanes.Load(ref yr, k), divisor), ref yr, k);
            }

            for (nuint k = whole; k < w; k++)
            {
                Unsafe.Add(ref yr, k) /= total;
            }

            if (!logSumExps.IsEmpty)
            {
                logSumExps[r] += T.Log(total);
            }
        }
    }

    /// <summary>
    /// eˣ of every value, each through the same vector function whatever its place in the span or the span's
    /// alignment: whole vectors from the start, then the last vector of the span (loaded before anything is written,
    /// its lanes already done given the same values again), a span shorter than a vector through a padded copy. So a
    /// row's outputs are the same bits wherever it lies, in place or not. (TensorPrimitives.Exp finishes a span whose
    /// length or alignment does not fit its vectors with the scalar function, which differs in the last bit in double.)
    /// </summary>
    private static void ExponentialsInPlace<T>(Span<T> values)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (Vector256.IsHardwareAccelerated && Vector256<T>.IsSupported)
        {
            ExponentialsInPlace<T, Vector256<T>, Lanes256<T>>(values);
        }
        else if (Vector128.IsHardwareAccelerated && Vector128<T>.IsSupported)
        {
            ExponentialsInPlace<T, Vector128<T>, Lanes128<T>>(values);
        }
        else
        {
            for (int i = 0; i < values.Length; i++)
            {
                values[i] = T.Exp(values[i]);
            }
        }
    }

    private static void ExponentialsInPlace<T, TVector, TLanes>(Span<T> values)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : struct
        where TLanes : IVectorLanes<TVector, T>
    {
        int count = TLanes.Count;
        int length = values.Length;
        if (length < count)
        {
            Span<T> padded = stackalloc T[count];
            padded.Clear();
            values.CopyTo(padded);
            ref T first = ref MemoryMarshal.GetReference(padded);
            TLanes.Store(TLanes.Exp(TLanes.Load(ref first, 0)), ref first, 0);
            padded[..length].CopyTo(values);
            return;
        }

        ref T value = ref MemoryMarshal.GetReference(values);
        nuint lastStart = (nuint)(length - count);
        TVector last = TLanes.Load(ref value, lastStart);
        nuint i = 0;
        for (; i < lastStart; i += (nuint)count)
        {
            TLanes.Store(TLanes.Exp(TLanes.Load(ref value, i)), ref value, i);
        }

        TLanes.Store(TLanes.Exp(last), ref value, lastStart);
    }
}
