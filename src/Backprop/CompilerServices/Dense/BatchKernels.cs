using System;
using System.ComponentModel;
using System.Numerics;
using System.Numerics.Tensors;

namespace Backprop.CompilerServices;

/// <summary>
/// The arithmetic of one dense layer over a block of rows (a batch), as matrix products, so that each weight
/// loaded serves many rows. W is row-major by output neuron (W[j, i] at j·inputs + i), as in
/// <see cref="INetwork{T}.Parameters"/>; a block of rows is row-major too (row r's values at r·width).
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class BatchKernels
{
    /// <summary>Z = X·Wᵀ + b: Z[r, j] = b[j] + Σᵢ X[r, i]·W[j, i] for each of the rows.</summary>
    /// <param name="weights">W, neurons × inputs, row-major.</param>
    /// <param name="biases">b, one per neuron.</param>
    /// <param name="inputs">X, rows × inputs.</param>
    /// <param name="outputs">Receives Z, rows × neurons.</param>
    /// <param name="rows">The number of rows.</param>
    public static void Forward<T>(ReadOnlySpan<T> weights, ReadOnlySpan<T> biases, ReadOnlySpan<T> inputs, Span<T> outputs, int rows)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int neurons = biases.Length;
        int inputCount = CheckShape(weights.Length, neurons, inputs.Length, outputs.Length, rows);
        for (int r = 0; r < rows; r++)
        {
            DenseKernels.Forward(weights, biases, inputs.Slice(r * inputCount, inputCount), outputs.Slice(r * neurons, neurons));
        }
    }

    /// <summary>P = Δ·W: P[r, i] = Σⱼ Δ[r, j]·W[j, i], the sums that give the layer below its δ.</summary>
    /// <param name="weights">W, neurons × inputs, row-major.</param>
    /// <param name="deltas">Δ, rows × neurons.</param>
    /// <param name="propagated">Receives P, rows × inputs (overwritten).</param>
    /// <param name="rows">The number of rows.</param>
    public static void Propagate<T>(ReadOnlySpan<T> weights, ReadOnlySpan<T> deltas, Span<T> propagated, int rows)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int neurons = rows == 0 ? 0 : deltas.Length / rows;
        int inputCount = rows == 0 ? 0 : propagated.Length / rows;
        if (rows < 0 || deltas.Length != rows * neurons || propagated.Length != rows * inputCount || weights.Length != neurons * inputCount)
        {
            throw new ArgumentException("The spans do not describe a layer of neurons × inputs over the rows.", nameof(weights));
        }

        propagated.Clear();
        for (int r = 0; r < rows; r++)
        {
            Span<T> p = propagated.Slice(r * inputCount, inputCount);
            for (int j = 0; j < neurons; j++)
            {
                TensorPrimitives.MultiplyAdd(weights.Slice(j * inputCount, inputCount), deltas[r * neurons + j], p, p);
            }
        }
    }

    /// <summary>dW += Δᵀ·X and db += Σᵣ Δ[r, :]: the gradient of the layer's weights and biases, summed over the rows.</summary>
    /// <param name="weightGradient">dW, neurons × inputs, row-major, added into.</param>
    /// <param name="biasGradient">db, one per neuron, added into.</param>
    /// <param name="deltas">Δ, rows × neurons.</param>
    /// <param name="inputs">X, the layer's inputs, rows × inputs.</param>
    /// <param name="rows">The number of rows.</param>
    public static void Accumulate<T>(Span<T> weightGradient, Span<T> biasGradient, ReadOnlySpan<T> deltas, ReadOnlySpan<T> inputs, int rows)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int neurons = biasGradient.Length;
        int inputCount = CheckShape(weightGradient.Length, neurons, inputs.Length, deltas.Length, rows);
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<T> x = inputs.Slice(r * inputCount, inputCount);
            for (int j = 0; j < neurons; j++)
            {
                T delta = deltas[r * neurons + j];
                Span<T> dw = weightGradient.Slice(j * inputCount, inputCount);
                TensorPrimitives.MultiplyAdd(x, delta, dw, dw);
                biasGradient[j] += delta;
            }
        }
    }

    /// <summary>Checks a layer's spans over <paramref name="rows"/> rows and returns the number of inputs per row.</summary>
    private static int CheckShape(int weightsLength, int neurons, int inputsLength, int neuronValuesLength, int rows)
    {
        int inputCount = neurons == 0 ? 0 : weightsLength / neurons;
        if (neurons == 0 || rows < 0 || inputCount * neurons != weightsLength
            || inputsLength != rows * inputCount || neuronValuesLength != rows * neurons)
        {
            throw new ArgumentException("The spans do not describe a layer of neurons × inputs over the rows.", nameof(weightsLength));
        }

        return inputCount;
    }
}
