using System;
using System.Buffers;
using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Backprop.CompilerServices;

/// <summary>
/// The arithmetic of one dense layer over a block of rows (a batch), as matrix products, so that each weight
/// loaded serves many rows. W is row-major by output neuron (W[j, i] at j·inputs + i), as in
/// <see cref="INetwork{T}.Parameters"/>; a block of rows is row-major too (row r's values at r·width).
/// </summary>
/// <remarks>
/// Each product is computed in register tiles, in the manner of ONNX Runtime's MLAS and BLIS micro-kernels, with
/// the widest accelerated vector that fits the dimension the vectors run along (chosen when the JIT compiles the
/// call; one element wide without SIMD, the same algorithm):
/// <list type="bullet">
/// <item><see cref="Forward{T}"/> with long rows: dot products, three rows × four neurons of vector accumulators
/// along the inputs, reduced once per tile; no packing.</item>
/// <item><see cref="Forward{T}"/> with short rows (<see cref="ForwardPacksWeights"/>):
/// Wᵀ and b packed once per call (inputs × neurons, each row padded with zeros to whole vectors, on the stack up to
/// 16 KB, else from <see cref="ArrayPool{T}"/>), then the product tile below with the bias added on the store.</item>
/// <item><see cref="Propagate{T}"/> (Δ·W, B = W as it is) and <see cref="Accumulate{T}"/> (Δᵀ·X, B = X as it is,
/// each element of dW read and written once per call): the product tile, six rows × two vectors of columns,
/// twelve accumulators; each step loads two vectors of B and broadcasts one element of A per row.</item>
/// </list>
/// Every result is summed in a fixed order, so the same call gives the same bits; no state is kept between calls,
/// so any number of threads may call at once.
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static partial class BatchKernels
{
    /// <summary>
    /// Below this many inputs, <see cref="Forward{T}"/> packs Wᵀ and takes the product tiles, which need no
    /// reductions; see <see cref="ForwardPacksWeights"/>.
    /// </summary>
    public const int DotProductMinimumInputs = 128;

    /// <summary>
    /// Whether <see cref="Forward{T}"/> of a layer of <paramref name="inputs"/> inputs packs Wᵀ (inputs × neurons, once
    /// per call) and takes the six-row product tiles, rather than the dot-product tiles of three rows × four neurons
    /// that read W as it is: for fewer than <see cref="DotProductMinimumInputs"/> inputs. Packing costs a pass over W
    /// and saves every tile's horizontal reductions. It depends on the layer alone, never on the number of rows, so a
    /// row's outputs are the same bits however the rows are split into calls (blocks, threads). Measured (float, AVX2,
    /// with the packing transposed in squares): 64 × 32 over 32 rows 1.9 µs packed against 2.1–3.0 by dot products,
    /// over 64 rows 3.3–4.0 against 4.3; 128 × 10 over 32 rows 2.2 against 1.4–1.8, and 128 × 64 even; 784 × 128
    /// over 32 rows 130 µs against 72.
    /// </summary>
    /// <param name="inputs">The layer's inputs per row.</param>
    /// <returns>True for the packed product tiles, false for the dot-product tiles.</returns>
    public static bool ForwardPacksWeights(int inputs) => inputs < DotProductMinimumInputs;

    /// <summary>Z = X·Wᵀ + b: Z[r, j] = b[j] + Σᵢ X[r, i]·W[j, i] for each of the rows.</summary>
    /// <param name="weights">W, neurons × inputs, row-major.</param>
    /// <param name="biases">b, one per neuron.</param>
    /// <param name="inputs">X, rows × inputs.</param>
    /// <param name="outputs">Receives Z, rows × neurons.</param>
    /// <param name="rows">The number of rows.</param>
    [SkipLocalsInit] // the packed Wᵀ on the stack is written whole before it is read
    public static void Forward<T>(ReadOnlySpan<T> weights, ReadOnlySpan<T> biases, ReadOnlySpan<T> inputs, Span<T> outputs, int rows)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int neurons = biases.Length;
        int inputCount = CheckShape(weights.Length, neurons, inputs.Length, outputs.Length, rows);
        if (rows == 0)
        {
            return;
        }

        ref T w = ref MemoryMarshal.GetReference(weights);
        ref T b = ref MemoryMarshal.GetReference(biases);
        ref T x = ref MemoryMarshal.GetReference(inputs);
        ref T z = ref MemoryMarshal.GetReference(outputs);
        if (!ForwardPacksWeights(inputCount))
        {
            if (Vector512.IsHardwareAccelerated && Vector512<T>.IsSupported && inputCount >= Vector512<T>.Count)
            {
                ForwardDot<T, Vector512<T>, Lanes512<T>>(ref w, ref b, ref x, ref z, rows, neurons, inputCount);
            }
            else if (Vector256.IsHardwareAccelerated && Vector256<T>.IsSupported && inputCount >= Vector256<T>.Count)
            {
                ForwardDot<T, Vector256<T>, Lanes256<T>>(ref w, ref b, ref x, ref z, rows, neurons, inputCount);
            }
            else if (Vector128.IsHardwareAccelerated && Vector128<T>.IsSupported && inputCount >= Vector128<T>.Count)
            {
                ForwardDot<T, Vector128<T>, Lanes128<T>>(ref w, ref b, ref x, ref z, rows, neurons, inputCount);
            }
            else
            {
                ForwardDot<T, T, ScalarLanes<T>>(ref w, ref b, ref x, ref z, rows, neurons, inputCount);
            }

            return;
        }

        // Wᵀ (inputs × neurons) and b under it, each row padded with zeros to whole vectors: each input's weights to a
        // panel of neurons are one or two vectors, and a layer narrower than a vector still takes one.
        int width = PackedWidth<T>(neurons);
        int padded = (neurons + width - 1) / width * width;
        int packedLength = (inputCount + 1) * padded;
        T[]? rented = null;
        Span<T> packed = packedLength * Unsafe.SizeOf<T>() <= MaximumStackBytes
            ? stackalloc T[packedLength]
            : (rented = ArrayPool<T>.Shared.Rent(packedLength)).AsSpan(0, packedLength);
        try
        {
            ref T wt = ref MemoryMarshal.GetReference(packed);
            Pack(ref w, ref b, ref wt, neurons, inputCount, padded);
            ref T paddedBias = ref Unsafe.Add(ref wt, (nuint)inputCount * (nuint)padded);
            if (Vector512.IsHardwareAccelerated && Vector512<T>.IsSupported && width == Vector512<T>.Count)
            {
                Multiply<T, Vector512<T>, Lanes512<T>>(ref x, (nuint)inputCount, 1, ref wt, (nuint)padded, ref z, (nuint)neurons, ref paddedBias, rows, padded, neurons, inputCount, Finish.Bias);
            }
            else if (Vector256.IsHardwareAccelerated && Vector256<T>.IsSupported && width == Vector256<T>.Count)
            {
                Multiply<T, Vector256<T>, Lanes256<T>>(ref x, (nuint)inputCount, 1, ref wt, (nuint)padded, ref z, (nuint)neurons, ref paddedBias, rows, padded, neurons, inputCount, Finish.Bias);
            }
            else if (Vector128.IsHardwareAccelerated && Vector128<T>.IsSupported && width == Vector128<T>.Count)
            {
                Multiply<T, Vector128<T>, Lanes128<T>>(ref x, (nuint)inputCount, 1, ref wt, (nuint)padded, ref z, (nuint)neurons, ref paddedBias, rows, padded, neurons, inputCount, Finish.Bias);
            }
            else
            {
                Multiply<T, T, ScalarLanes<T>>(ref x, (nuint)inputCount, 1, ref wt, (nuint)padded, ref z, (nuint)neurons, ref paddedBias, rows, padded, neurons, inputCount, Finish.Bias);
            }
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
    /// The vector width (in elements) of <see cref="Forward{T}"/>'s packed path for a layer of
    /// <paramref name="neurons"/>: the widest accelerated vector the neurons fill, or the narrowest accelerated one
    /// (padded) when they fill none, or 1 without SIMD.
    /// </summary>
    private static int PackedWidth<T>(int neurons)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (Vector512.IsHardwareAccelerated && Vector512<T>.IsSupported && neurons >= Vector512<T>.Count)
        {
            return Vector512<T>.Count;
        }

        if (Vector256.IsHardwareAccelerated && Vector256<T>.IsSupported && neurons >= Vector256<T>.Count)
        {
            return Vector256<T>.Count;
        }

        if (Vector128.IsHardwareAccelerated && Vector128<T>.IsSupported)
        {
            return Vector128<T>.Count;
        }

        if (Vector256.IsHardwareAccelerated && Vector256<T>.IsSupported)
        {
            return Vector256<T>.Count;
        }

        return Vector512.IsHardwareAccelerated && Vector512<T>.IsSupported ? Vector512<T>.Count : 1;
    }

    /// <summary>Scratch up to this size is on the stack, larger from <see cref="ArrayPool{T}.Shared"/>.</summary>
    private const int MaximumStackBytes = 16 * 1024;

    /// <summary>P = Δ·W: P[r, i] = Σⱼ Δ[r, j]·W[j, i], the sums that give the layer below its δ.</summary>
    /// <param name="weights">W, neurons × inputs, row-major.</param>
    /// <param name="deltas">Δ, rows × neurons.</param>
    /// <param name="propagated">Receives P, rows × inputs (overwritten).</param>
    /// <param name="rows">The number of rows.</param>
    public static void Propagate<T>(ReadOnlySpan<T> weights, ReadOnlySpan<T> deltas, Span<T> propagated, int rows)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (rows == 0 && deltas.IsEmpty && propagated.IsEmpty)
        {
            return; // no rows: W's shape cannot be read from the empty spans, and nothing is written
        }

        int neurons = rows <= 0 ? 0 : deltas.Length / rows;
        int inputCount = rows <= 0 ? 0 : propagated.Length / rows;
        if (rows <= 0 || deltas.Length != rows * neurons || propagated.Length != rows * inputCount || weights.Length != (long)neurons * inputCount)
        {
            ThrowShape();
        }

        if (inputCount == 0)
        {
            return;
        }

        if (neurons == 0)
        {
            propagated.Clear();
            return;
        }

        // P (rows × inputs) = A·B with A = Δ (rows × neurons) and B = W (neurons × inputs), vectors along W's rows.
        ref T w = ref MemoryMarshal.GetReference(weights);
        ref T d = ref MemoryMarshal.GetReference(deltas);
        ref T p = ref MemoryMarshal.GetReference(propagated);
        Multiply(ref d, (nuint)neurons, 1, ref w, (nuint)inputCount, ref p, (nuint)inputCount, ref p, rows, inputCount, neurons, Finish.Set);
    }

    /// <summary>dW += Δᵀ·X and db += Σᵣ Δ[r, :]: the gradient of the layer's weights and biases, summed over the rows.</summary>
    /// <param name="weightGradient">dW, neurons × inputs, row-major, added into.</param>
    /// <param name="biasGradient">db, one per neuron, added into.</param>
    /// <param name="deltas">Δ, rows × neurons.</param>
    /// <param name="inputs">X, the layer's inputs, rows × inputs.</param>
    /// <param name="rows">The number of rows.</param>
    /// <remarks>Each element of dW and db is read and written once per call: the rows' sum is taken in a register, then added.</remarks>
    public static void Accumulate<T>(Span<T> weightGradient, Span<T> biasGradient, ReadOnlySpan<T> deltas, ReadOnlySpan<T> inputs, int rows)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int neurons = biasGradient.Length;
        int inputCount = CheckShape(weightGradient.Length, neurons, inputs.Length, deltas.Length, rows);
        if (rows == 0)
        {
            return;
        }

        // dW (neurons × inputs) += A·B with A = Δᵀ (A[j, r] = Δ[r, j]: a row step of 1, a depth step of a row of Δ)
        // and B = X (rows × inputs), vectors along X's rows.
        ref T gw = ref MemoryMarshal.GetReference(weightGradient);
        ref T gb = ref MemoryMarshal.GetReference(biasGradient);
        ref T d = ref MemoryMarshal.GetReference(deltas);
        ref T x = ref MemoryMarshal.GetReference(inputs);
        Multiply(ref d, 1, (nuint)neurons, ref x, (nuint)inputCount, ref gw, (nuint)inputCount, ref gw, neurons, inputCount, rows, Finish.Add);
        if (Vector512.IsHardwareAccelerated && Vector512<T>.IsSupported && neurons >= Vector512<T>.Count)
        {
            SumColumns<T, Vector512<T>, Lanes512<T>>(ref d, ref gb, rows, neurons);
        }
        else if (Vector256.IsHardwareAccelerated && Vector256<T>.IsSupported && neurons >= Vector256<T>.Count)
        {
            SumColumns<T, Vector256<T>, Lanes256<T>>(ref d, ref gb, rows, neurons);
        }
        else if (Vector128.IsHardwareAccelerated && Vector128<T>.IsSupported && neurons >= Vector128<T>.Count)
        {
            SumColumns<T, Vector128<T>, Lanes128<T>>(ref d, ref gb, rows, neurons);
        }
        else
        {
            SumColumns<T, T, ScalarLanes<T>>(ref d, ref gb, rows, neurons);
        }
    }

    /// <summary>C (m × n), finished as asked, = A·B with the widest accelerated vector that n fills.</summary>
    private static void Multiply<T>(
        ref T a, nuint aRowStep, nuint aDepthStep, ref T b, nuint ldb, ref T c, nuint ldc, ref T bias, int m, int n, int depth, Finish finish)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        // B is not padded here: all n columns are stored.
        if (Vector512.IsHardwareAccelerated && Vector512<T>.IsSupported && n >= Vector512<T>.Count)
        {
            Multiply<T, Vector512<T>, Lanes512<T>>(ref a, aRowStep, aDepthStep, ref b, ldb, ref c, ldc, ref bias, m, n, n, depth, finish);
        }
        else if (Vector256.IsHardwareAccelerated && Vector256<T>.IsSupported && n >= Vector256<T>.Count)
        {
            Multiply<T, Vector256<T>, Lanes256<T>>(ref a, aRowStep, aDepthStep, ref b, ldb, ref c, ldc, ref bias, m, n, n, depth, finish);
        }
        else if (Vector128.IsHardwareAccelerated && Vector128<T>.IsSupported && n >= Vector128<T>.Count)
        {
            Multiply<T, Vector128<T>, Lanes128<T>>(ref a, aRowStep, aDepthStep, ref b, ldb, ref c, ldc, ref bias, m, n, n, depth, finish);
        }
        else
        {
            Multiply<T, T, ScalarLanes<T>>(ref a, aRowStep, aDepthStep, ref b, ldb, ref c, ldc, ref bias, m, n, n, depth, finish);
        }
    }

    /// <summary>db[j] += Σᵣ Δ[r, j]: each vector of columns summed over the rows in a register, then added once.</summary>
    private static void SumColumns<T, TVector, TLanes>(ref T d, ref T db, int rows, int neurons)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : struct
        where TLanes : ILanes<TVector, T>
    {
        nuint n = (nuint)neurons;
        nuint width = (nuint)TLanes.Count;
        nuint j = 0;
        for (; j + width <= n; j += width)
        {
            TVector sum = TLanes.Zero;
            for (nuint r = 0; r < (nuint)rows; r++)
            {
                sum = TLanes.Add(sum, TLanes.Load(ref d, (r * n) + j));
            }

            TLanes.Store(TLanes.Add(TLanes.Load(ref db, j), sum), ref db, j);
        }

        for (; j < n; j++)
        {
            T sum = T.Zero;
            for (nuint r = 0; r < (nuint)rows; r++)
            {
                sum += Unsafe.Add(ref d, (r * n) + j);
            }

            Unsafe.Add(ref db, j) += sum;
        }
    }

    /// <summary>Checks a layer's spans over <paramref name="rows"/> rows and returns the number of inputs per row.</summary>
    private static int CheckShape(int weightsLength, int neurons, int inputsLength, int neuronValuesLength, int rows)
    {
        int inputCount = neurons == 0 ? 0 : weightsLength / neurons;
        if (neurons == 0 || rows < 0 || inputCount * neurons != weightsLength
            || (long)inputsLength != (long)rows * inputCount || (long)neuronValuesLength != (long)rows * neurons)
        {
            ThrowShape();
        }

        return inputCount;
    }

    [DoesNotReturn]
    private static void ThrowShape()
        => throw new ArgumentException("The spans do not describe a layer of neurons × inputs over the rows.");
}
