using System;
using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Backprop.CompilerServices;

/// <summary>
/// The arithmetic of one dense layer, vectorised, for the layers a generated network does not unroll.
/// W is row-major by output neuron (W[j, i] at j·inputs + i), as in <see cref="INetwork{T}.Parameters"/>.
/// </summary>
/// <remarks>
/// Each kernel runs over whole rows with the widest vector that fits a row (512, 256 or 128 bits, chosen
/// when the JIT compiles the call, so a 4-input layer uses 128-bit vectors even on AVX-512 hardware) and
/// finishes the row's remainder one element at a time; without SIMD hardware the same code runs one
/// element wide. Lengths are checked once per call, then nothing is bounds-checked.
/// <para>
/// The kernels that only update (the first layer, whose δ goes nowhere) skip a long row whose δⱼ is exactly
/// zero, a ReLU unit that did not fire: its step W[j,:] −= α·0·x changes nothing for finite inputs.
/// </para>
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class DenseKernels
{
    /// <summary>
    /// Rows at least this long are skipped when their δ is exactly zero: saving a row's memory traffic is then
    /// worth a branch the predictor may miss (for ReLU, about half the rows, in no pattern).
    /// </summary>
    private const int SkipZeroRowsFrom = 256;

    /// <summary>z = W·x + b: zⱼ = bⱼ + Σᵢ W[j, i]·xᵢ, four rows at a time so each load of x serves four rows.</summary>
    /// <param name="weights">W, z.Length × input.Length, row-major.</param>
    /// <param name="biases">b, one per row.</param>
    /// <param name="input">x.</param>
    /// <param name="z">Receives z; its length is the number of rows.</param>
    public static void Forward<T>(ReadOnlySpan<T> weights, ReadOnlySpan<T> biases, ReadOnlySpan<T> input, Span<T> z)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int rows = z.Length;
        int columns = input.Length;
        CheckShape(weights.Length, biases.Length, rows, columns);
        ref T w = ref MemoryMarshal.GetReference(weights);
        ref T b = ref MemoryMarshal.GetReference(biases);
        ref T x = ref MemoryMarshal.GetReference(input);
        ref T output = ref MemoryMarshal.GetReference(z);
        if (Vector512.IsHardwareAccelerated && Vector512<T>.IsSupported && columns >= Vector512<T>.Count)
        {
            Forward<T, Vector512<T>, Lanes512<T>>(ref w, ref b, ref x, ref output, rows, columns);
        }
        else if (Vector256.IsHardwareAccelerated && Vector256<T>.IsSupported && columns >= Vector256<T>.Count)
        {
            Forward<T, Vector256<T>, Lanes256<T>>(ref w, ref b, ref x, ref output, rows, columns);
        }
        else if (Vector128.IsHardwareAccelerated && Vector128<T>.IsSupported && columns >= Vector128<T>.Count)
        {
            Forward<T, Vector128<T>, Lanes128<T>>(ref w, ref b, ref x, ref output, rows, columns);
        }
        else
        {
            Forward<T, T, ScalarLanes<T>>(ref w, ref b, ref x, ref output, rows, columns);
        }
    }

    /// <summary>
    /// One SGD step on a layer whose input is the network's input: W[j, i] −= α·δⱼ·xᵢ, bⱼ −= α·δⱼ.
    /// </summary>
    /// <param name="weights">W, delta.Length × input.Length, row-major; updated in place.</param>
    /// <param name="biases">b; updated in place.</param>
    /// <param name="delta">δ of this layer, ∂L/∂z.</param>
    /// <param name="input">The layer's input x (the previous layer's activations).</param>
    /// <param name="learningRate">The step size α.</param>
    public static void Step<T>(Span<T> weights, Span<T> biases, ReadOnlySpan<T> delta, ReadOnlySpan<T> input, T learningRate)
        where T : unmanaged, IFloatingPointIeee754<T>
        => PropagateAndStep(weights, biases, delta, input, [], learningRate);

    /// <summary>
    /// Propagates δ to the layer below and takes one SGD step, in one pass over W: first
    /// inputDelta = Wᵀδ (Σⱼ δⱼ·W[j, i], from the weights before the step), then W[j, i] −= α·δⱼ·xᵢ, bⱼ −= α·δⱼ.
    /// </summary>
    /// <param name="weights">W, delta.Length × input.Length, row-major; updated in place.</param>
    /// <param name="biases">b; updated in place.</param>
    /// <param name="delta">δ of this layer, ∂L/∂z.</param>
    /// <param name="input">The layer's input x (the previous layer's activations).</param>
    /// <param name="inputDelta">Receives Wᵀδ (overwritten), the sum the layer below multiplies by g′; empty to skip it.</param>
    /// <param name="learningRate">The step size α.</param>
    public static void PropagateAndStep<T>(
        Span<T> weights, Span<T> biases, ReadOnlySpan<T> delta, ReadOnlySpan<T> input, Span<T> inputDelta, T learningRate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int rows = delta.Length;
        int columns = input.Length;
        CheckShape(weights.Length, biases.Length, rows, columns);
        bool propagate = CheckInputDelta(inputDelta.Length, columns);
        ref T w = ref MemoryMarshal.GetReference(weights);
        ref T b = ref MemoryMarshal.GetReference(biases);
        ref T d = ref MemoryMarshal.GetReference(delta);
        ref T x = ref MemoryMarshal.GetReference(input);
        ref T back = ref MemoryMarshal.GetReference(inputDelta);
        if (Vector512.IsHardwareAccelerated && Vector512<T>.IsSupported && columns >= Vector512<T>.Count)
        {
            Update<T, Vector512<T>, Lanes512<T>>(ref w, ref b, ref d, ref x, ref back, propagate, -learningRate, rows, columns);
        }
        else if (Vector256.IsHardwareAccelerated && Vector256<T>.IsSupported && columns >= Vector256<T>.Count)
        {
            Update<T, Vector256<T>, Lanes256<T>>(ref w, ref b, ref d, ref x, ref back, propagate, -learningRate, rows, columns);
        }
        else if (Vector128.IsHardwareAccelerated && Vector128<T>.IsSupported && columns >= Vector128<T>.Count)
        {
            Update<T, Vector128<T>, Lanes128<T>>(ref w, ref b, ref d, ref x, ref back, propagate, -learningRate, rows, columns);
        }
        else
        {
            Update<T, T, ScalarLanes<T>>(ref w, ref b, ref d, ref x, ref back, propagate, -learningRate, rows, columns);
        }
    }

    /// <summary>
    /// Adds one sample's gradient of a layer whose input is the network's input: ∂L/∂W[j, i] += δⱼ·xᵢ, ∂L/∂bⱼ += δⱼ.
    /// </summary>
    /// <param name="weightGradient">∂L/∂W, delta.Length × input.Length, row-major; added into.</param>
    /// <param name="biasGradient">∂L/∂b; added into.</param>
    /// <param name="delta">δ of this layer, ∂L/∂z.</param>
    /// <param name="input">The layer's input x.</param>
    public static void Accumulate<T>(Span<T> weightGradient, Span<T> biasGradient, ReadOnlySpan<T> delta, ReadOnlySpan<T> input)
        where T : unmanaged, IFloatingPointIeee754<T>
        => PropagateAndAccumulate([], weightGradient, biasGradient, delta, input, []);

    /// <summary>
    /// Propagates δ to the layer below and adds one sample's gradient, in one pass over the rows:
    /// inputDelta = Wᵀδ (overwritten), ∂L/∂W[j, i] += δⱼ·xᵢ, ∂L/∂bⱼ += δⱼ.
    /// </summary>
    /// <param name="weights">W, delta.Length × input.Length, row-major; read only. Empty when inputDelta is.</param>
    /// <param name="weightGradient">∂L/∂W, the shape of W; added into.</param>
    /// <param name="biasGradient">∂L/∂b; added into.</param>
    /// <param name="delta">δ of this layer, ∂L/∂z.</param>
    /// <param name="input">The layer's input x.</param>
    /// <param name="inputDelta">Receives Wᵀδ (overwritten); empty to skip it.</param>
    public static void PropagateAndAccumulate<T>(
        ReadOnlySpan<T> weights, Span<T> weightGradient, Span<T> biasGradient, ReadOnlySpan<T> delta, ReadOnlySpan<T> input, Span<T> inputDelta)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int rows = delta.Length;
        int columns = input.Length;
        CheckShape(weightGradient.Length, biasGradient.Length, rows, columns);
        bool propagate = CheckInputDelta(inputDelta.Length, columns);
        if (propagate && weights.Length != weightGradient.Length)
        {
            ThrowShape();
        }

        ref T w = ref MemoryMarshal.GetReference(weights);
        ref T gw = ref MemoryMarshal.GetReference(weightGradient);
        ref T gb = ref MemoryMarshal.GetReference(biasGradient);
        ref T d = ref MemoryMarshal.GetReference(delta);
        ref T x = ref MemoryMarshal.GetReference(input);
        ref T back = ref MemoryMarshal.GetReference(inputDelta);
        if (Vector512.IsHardwareAccelerated && Vector512<T>.IsSupported && columns >= Vector512<T>.Count)
        {
            Accumulate<T, Vector512<T>, Lanes512<T>>(ref w, ref gw, ref gb, ref d, ref x, ref back, propagate, rows, columns);
        }
        else if (Vector256.IsHardwareAccelerated && Vector256<T>.IsSupported && columns >= Vector256<T>.Count)
        {
            Accumulate<T, Vector256<T>, Lanes256<T>>(ref w, ref gw, ref gb, ref d, ref x, ref back, propagate, rows, columns);
        }
        else if (Vector128.IsHardwareAccelerated && Vector128<T>.IsSupported && columns >= Vector128<T>.Count)
        {
            Accumulate<T, Vector128<T>, Lanes128<T>>(ref w, ref gw, ref gb, ref d, ref x, ref back, propagate, rows, columns);
        }
        else
        {
            Accumulate<T, T, ScalarLanes<T>>(ref w, ref gw, ref gb, ref d, ref x, ref back, propagate, rows, columns);
        }
    }

    private static void Forward<T, TVector, TLanes>(ref T w, ref T b, ref T x, ref T z, int rows, int columns)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : struct
        where TLanes : ILanes<TVector, T>
    {
        nuint n = (nuint)columns;
        nuint vectorEnd = n - (n % (nuint)TLanes.Count);
        int j = 0;
        for (; j <= rows - 4; j += 4)
        {
            ref T row0 = ref Unsafe.Add(ref w, (nuint)j * n);
            ref T row1 = ref Unsafe.Add(ref row0, n);
            ref T row2 = ref Unsafe.Add(ref row1, n);
            ref T row3 = ref Unsafe.Add(ref row2, n);
            TVector sum0 = TLanes.Zero, sum1 = TLanes.Zero, sum2 = TLanes.Zero, sum3 = TLanes.Zero;
            for (nuint i = 0; i < vectorEnd; i += (nuint)TLanes.Count)
            {
                TVector xi = TLanes.Load(ref x, i);
                sum0 = TLanes.MultiplyAdd(TLanes.Load(ref row0, i), xi, sum0);
                sum1 = TLanes.MultiplyAdd(TLanes.Load(ref row1, i), xi, sum1);
                sum2 = TLanes.MultiplyAdd(TLanes.Load(ref row2, i), xi, sum2);
                sum3 = TLanes.MultiplyAdd(TLanes.Load(ref row3, i), xi, sum3);
            }

            ref T zj = ref Unsafe.Add(ref z, j);
            TLanes.StoreSums(sum0, sum1, sum2, sum3, ref Unsafe.Add(ref b, j), ref zj);
            for (nuint i = vectorEnd; i < n; i++)
            {
                T xi = Unsafe.Add(ref x, i);
                zj += Unsafe.Add(ref row0, i) * xi;
                Unsafe.Add(ref zj, 1) += Unsafe.Add(ref row1, i) * xi;
                Unsafe.Add(ref zj, 2) += Unsafe.Add(ref row2, i) * xi;
                Unsafe.Add(ref zj, 3) += Unsafe.Add(ref row3, i) * xi;
            }
        }

        for (; j < rows; j++)
        {
            ref T row = ref Unsafe.Add(ref w, (nuint)j * n);
            TVector sum = TLanes.Zero;
            for (nuint i = 0; i < vectorEnd; i += (nuint)TLanes.Count)
            {
                sum = TLanes.MultiplyAdd(TLanes.Load(ref row, i), TLanes.Load(ref x, i), sum);
            }

            T zj = TLanes.Sum(sum);
            for (nuint i = vectorEnd; i < n; i++)
            {
                zj += Unsafe.Add(ref row, i) * Unsafe.Add(ref x, i);
            }

            Unsafe.Add(ref z, j) = Unsafe.Add(ref b, j) + zj;
        }
    }

    /// <summary>
    /// W[j, :] += stepⱼ·x and b += step, with stepⱼ = −α·δⱼ; when propagating, first inputDelta = Wᵀδ from the
    /// old weights. Propagation walks W by column blocks, so each block of Wᵀδ is summed over all rows in a
    /// register and stored once: going row by row would carry the sum through memory from one row to the next.
    /// Long rows without propagation go row by row instead, skipping the rows whose δ is zero.
    /// </summary>
    private static void Update<T, TVector, TLanes>(
        ref T w, ref T b, ref T delta, ref T x, ref T inputDelta, bool propagate, T minusLearningRate, int rows, int columns)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : struct
        where TLanes : ILanes<TVector, T>
    {
        nuint n = (nuint)columns;
        nuint vectorEnd = n - (n % (nuint)TLanes.Count);
        if (propagate || columns < SkipZeroRowsFrom)
        {
            for (nuint i = 0; i < vectorEnd; i += (nuint)TLanes.Count)
            {
                TVector xi = TLanes.Load(ref x, i);
                ref T weight = ref Unsafe.Add(ref w, i);
                if (propagate)
                {
                    // Two partial sums (even and odd rows) halve the chain of dependent multiply-adds.
                    TVector evenSum = TLanes.Zero, oddSum = TLanes.Zero;
                    int j = 0;
                    for (; j <= rows - 2; j += 2, weight = ref Unsafe.Add(ref weight, 2 * n))
                    {
                        T evenDelta = Unsafe.Add(ref delta, j), oddDelta = Unsafe.Add(ref delta, j + 1);
                        ref T oddWeight = ref Unsafe.Add(ref weight, n);
                        TVector even = TLanes.Load(ref weight, 0), odd = TLanes.Load(ref oddWeight, 0);
                        evenSum = TLanes.MultiplyAdd(even, TLanes.Broadcast(evenDelta), evenSum);
                        oddSum = TLanes.MultiplyAdd(odd, TLanes.Broadcast(oddDelta), oddSum);
                        TLanes.Store(TLanes.MultiplyAdd(xi, TLanes.Broadcast(minusLearningRate * evenDelta), even), ref weight, 0);
                        TLanes.Store(TLanes.MultiplyAdd(xi, TLanes.Broadcast(minusLearningRate * oddDelta), odd), ref oddWeight, 0);
                    }

                    if (j < rows)
                    {
                        T lastDelta = Unsafe.Add(ref delta, j);
                        TVector last = TLanes.Load(ref weight, 0);
                        evenSum = TLanes.MultiplyAdd(last, TLanes.Broadcast(lastDelta), evenSum);
                        TLanes.Store(TLanes.MultiplyAdd(xi, TLanes.Broadcast(minusLearningRate * lastDelta), last), ref weight, 0);
                    }

                    TLanes.Store(TLanes.Add(evenSum, oddSum), ref inputDelta, i);
                }
                else
                {
                    for (int j = 0; j < rows; j++, weight = ref Unsafe.Add(ref weight, n))
                    {
                        TVector step = TLanes.Broadcast(minusLearningRate * Unsafe.Add(ref delta, j));
                        TLanes.Store(TLanes.MultiplyAdd(xi, step, TLanes.Load(ref weight, 0)), ref weight, 0);
                    }
                }
            }

            for (nuint i = vectorEnd; i < n; i++)
            {
                T xi = Unsafe.Add(ref x, i);
                T sum = T.Zero;
                ref T weight = ref Unsafe.Add(ref w, i);
                for (int j = 0; j < rows; j++, weight = ref Unsafe.Add(ref weight, n))
                {
                    T deltaJ = Unsafe.Add(ref delta, j);
                    sum += weight * deltaJ;
                    weight += xi * (minusLearningRate * deltaJ);
                }

                if (propagate)
                {
                    Unsafe.Add(ref inputDelta, i) = sum;
                }
            }
        }
        else
        {
            AddScaledInputToRows<T, TVector, TLanes>(ref w, ref delta, ref x, minusLearningRate, skipZeroRows: true, rows, n, vectorEnd);
        }

        for (int j = 0; j < rows; j++)
        {
            Unsafe.Add(ref b, j) += minusLearningRate * Unsafe.Add(ref delta, j);
        }
    }

    /// <summary>∂L/∂W[j, :] += δⱼ·x and ∂L/∂b += δ; when propagating, inputDelta = Wᵀδ, by column blocks as in Update.</summary>
    private static void Accumulate<T, TVector, TLanes>(
        ref T w, ref T weightGradient, ref T biasGradient, ref T delta, ref T x, ref T inputDelta, bool propagate, int rows, int columns)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : struct
        where TLanes : ILanes<TVector, T>
    {
        nuint n = (nuint)columns;
        nuint vectorEnd = n - (n % (nuint)TLanes.Count);
        if (propagate)
        {
            for (nuint i = 0; i < vectorEnd; i += (nuint)TLanes.Count)
            {
                TVector xi = TLanes.Load(ref x, i);
                TVector evenSum = TLanes.Zero, oddSum = TLanes.Zero;
                ref T weight = ref Unsafe.Add(ref w, i);
                ref T gradient = ref Unsafe.Add(ref weightGradient, i);
                for (int j = 0; j < rows; j++, weight = ref Unsafe.Add(ref weight, n), gradient = ref Unsafe.Add(ref gradient, n))
                {
                    TVector deltaJ = TLanes.Broadcast(Unsafe.Add(ref delta, j));
                    if ((j & 1) == 0)
                    {
                        evenSum = TLanes.MultiplyAdd(TLanes.Load(ref weight, 0), deltaJ, evenSum);
                    }
                    else
                    {
                        oddSum = TLanes.MultiplyAdd(TLanes.Load(ref weight, 0), deltaJ, oddSum);
                    }

                    TLanes.Store(TLanes.MultiplyAdd(xi, deltaJ, TLanes.Load(ref gradient, 0)), ref gradient, 0);
                }

                TLanes.Store(TLanes.Add(evenSum, oddSum), ref inputDelta, i);
            }

            for (nuint i = vectorEnd; i < n; i++)
            {
                T xi = Unsafe.Add(ref x, i);
                T sum = T.Zero;
                ref T weight = ref Unsafe.Add(ref w, i);
                ref T gradient = ref Unsafe.Add(ref weightGradient, i);
                for (int j = 0; j < rows; j++, weight = ref Unsafe.Add(ref weight, n), gradient = ref Unsafe.Add(ref gradient, n))
                {
                    T deltaJ = Unsafe.Add(ref delta, j);
                    sum += weight * deltaJ;
                    gradient += xi * deltaJ;
                }

                Unsafe.Add(ref inputDelta, i) = sum;
            }
        }
        else
        {
            AddScaledInputToRows<T, TVector, TLanes>(ref weightGradient, ref delta, ref x, T.One, columns >= SkipZeroRowsFrom, rows, n, vectorEnd);
        }

        for (int j = 0; j < rows; j++)
        {
            Unsafe.Add(ref biasGradient, j) += Unsafe.Add(ref delta, j);
        }
    }

    /// <summary>
    /// Row by row, rowⱼ += (scale·δⱼ)·x: the SGD step (scale −α) or the gradient (scale 1) of a layer whose δ
    /// goes no further. With <paramref name="skipZeroRows"/>, a row whose δⱼ is exactly zero is not touched.
    /// </summary>
    private static void AddScaledInputToRows<T, TVector, TLanes>(
        ref T matrix, ref T delta, ref T x, T scale, bool skipZeroRows, int rows, nuint n, nuint vectorEnd)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : struct
        where TLanes : ILanes<TVector, T>
    {
        for (int j = 0; j < rows; j++)
        {
            T deltaJ = Unsafe.Add(ref delta, j);
            if (skipZeroRows && deltaJ == T.Zero)
            {
                continue;
            }

            T factor = scale * deltaJ;
            ref T row = ref Unsafe.Add(ref matrix, (nuint)j * n);
            TVector factorVector = TLanes.Broadcast(factor);
            nuint i = 0;
            for (; i < vectorEnd; i += (nuint)TLanes.Count)
            {
                TLanes.Store(TLanes.MultiplyAdd(TLanes.Load(ref x, i), factorVector, TLanes.Load(ref row, i)), ref row, i);
            }

            for (; i < n; i++)
            {
                Unsafe.Add(ref row, i) += Unsafe.Add(ref x, i) * factor;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CheckShape(int weightCount, int biasCount, int rows, int columns)
    {
        if (biasCount != rows || weightCount != (long)rows * columns)
        {
            ThrowShape();
        }
    }

    /// <summary>True when δ is propagated (the span has one element per column), false when it is empty.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool CheckInputDelta(int length, int columns)
    {
        if (length != 0 && length != columns)
        {
            ThrowShape();
        }

        return length != 0;
    }

    [DoesNotReturn]
    private static void ThrowShape()
        => throw new ArgumentException("The spans do not describe one dense layer: W must be rows × columns, b and δ one per row, x and the propagated δ one per column.");
}
