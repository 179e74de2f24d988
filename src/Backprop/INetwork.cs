using System;
using System.Numerics;

namespace Backprop;

/// <summary>
/// A feed-forward network whose code Backprop.Generator emitted at compile time for one fixed
/// architecture. Every class with a <see cref="NetworkAttribute"/> implements it.
/// </summary>
/// <typeparam name="T"><see cref="float"/>, or <see cref="double"/> with <see cref="Precision.Double"/>.</typeparam>
/// <remarks>
/// Loss, gradient and update conventions are exact: the gradient is ∂L/∂θ of the declared
/// <see cref="Loss"/> for one sample, with no constant absorbed, and SGD is θ ← θ − α·∂L/∂θ.
/// Wrong span lengths throw <see cref="ArgumentException"/> naming the parameter and the expected length.
/// </remarks>
public interface INetwork<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The number of inputs.</summary>
    int InputCount { get; }

    /// <summary>The number of outputs (neurons of the last layer).</summary>
    int OutputCount { get; }

    /// <summary>The number of weights and biases.</summary>
    int ParameterCount { get; }

    /// <summary>
    /// The declaration the network was generated from, e.g.
    /// <c>Input(4) → Dense(8, Tanh) → Dense(3, Softmax); Loss.CrossEntropy; Precision.Single; 67 parameters</c>:
    /// sizes, activations, loss and precision, so a program can print what it runs and a saved model
    /// can be matched to the architecture it was trained for.
    /// </summary>
    string Architecture { get; }

    /// <summary>
    /// All weights and biases in one span of <see cref="ParameterCount"/> elements: for each layer
    /// in order, its weights W row-major by output neuron (W[j, i] at j·inputs + i), then its biases b.
    /// </summary>
    Span<T> Parameters { get; }

    /// <summary>
    /// Sets every weight deterministically from <paramref name="seed"/> (Glorot-uniform for sigmoid,
    /// tanh, identity and softmax layers; He-uniform for ReLU and LeakyReLU layers) and every bias to 0.
    /// </summary>
    void InitializeParameters(int seed);

    /// <summary>Computes the network's output for one input. Thread-safe and allocation-free.</summary>
    void Forward(ReadOnlySpan<T> input, Span<T> output);

    /// <summary>Computes the loss L(y, t) of one sample.</summary>
    T ComputeLoss(ReadOnlySpan<T> input, ReadOnlySpan<T> target);

    /// <summary>
    /// Adds ∂L/∂θ for one sample into <paramref name="gradient"/> (so the gradients of a batch can be
    /// summed) and returns the loss.
    /// </summary>
    T Backward(ReadOnlySpan<T> input, ReadOnlySpan<T> target, Span<T> gradient);

    /// <summary>
    /// One step of stochastic gradient descent on one sample: θ ← θ − α·∂L/∂θ, fused with the forward
    /// and backward passes. Returns the loss before the update.
    /// </summary>
    /// <exception cref="ArgumentException">A span has the wrong length, or holds a NaN or an infinity: the
    /// generated networks check every value before they change any parameter, and name the first bad one.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="learningRate"/> is negative, infinite or NaN.</exception>
    T TrainStep(ReadOnlySpan<T> input, ReadOnlySpan<T> target, T learningRate);

    /// <summary>
    /// One step of gradient descent on a batch: rows of <see cref="InputCount"/> inputs and
    /// <see cref="OutputCount"/> targets, concatenated. Applies θ ← θ − α·(mean gradient over the rows)
    /// once and returns the mean loss before the update.
    /// </summary>
    /// <exception cref="ArgumentException">The spans are not whole, matching, non-empty rows, or hold a NaN or an
    /// infinity (the generated networks name its row and column, and change no parameter).</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="learningRate"/> is negative, infinite or NaN.</exception>
    T TrainBatch(ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets, T learningRate);

    /// <summary>
    /// Computes the outputs of many rows at once: <paramref name="inputs"/> holds m rows of
    /// <see cref="InputCount"/> inputs, concatenated, and <paramref name="outputs"/> receives m rows of
    /// <see cref="OutputCount"/> outputs. Any number of rows, zero included. Thread-safe and allocation-free.
    /// </summary>
    /// <remarks>
    /// A generated network computes a tile of rows × neurons per load of the weights, so the outputs equal
    /// <see cref="Forward"/>'s on each row to the rounding of a different summation order; a row's outputs do not
    /// depend on the other rows of the call, so splitting the rows into several calls (or threads) gives the same
    /// bits. This default, for hand-written networks, calls <see cref="Forward"/> once per row.
    /// </remarks>
    /// <exception cref="ArgumentException"><paramref name="inputs"/> is not whole rows, or
    /// <paramref name="outputs"/> does not hold as many rows.</exception>
    void ForwardBatch(ReadOnlySpan<T> inputs, Span<T> outputs)
    {
        int inputCount = InputCount;
        int outputCount = OutputCount;
        int rows = CompilerServices.NetworkGuard.Rows(inputs.Length, inputCount, outputs.Length, outputCount, nameof(outputs));
        for (int row = 0; row < rows; row++)
        {
            Forward(inputs.Slice(row * inputCount, inputCount), outputs.Slice(row * outputCount, outputCount));
        }
    }

    /// <summary>
    /// Adds Σᵣ ∂Lᵣ/∂θ over the rows into <paramref name="gradient"/> and returns Σᵣ Lᵣ: the sums, not the
    /// means, so that a batch split into parts gives the batch's sums when the parts' are added. Any number
    /// of rows, zero included.
    /// </summary>
    /// <remarks>
    /// A generated network computes the batch's gradient as matrix products (δᵀ·A per layer), equal to the
    /// sum of <see cref="Backward"/>'s per-row gradients to the rounding of a different summation order.
    /// It reads the parameters and writes only <paramref name="gradient"/>, so several threads may call it at once
    /// with gradients of their own (the trainer's <c>MaxDegreeOfParallelism</c> does). This default, for hand-written
    /// networks, calls <see cref="Backward"/> once per row.
    /// </remarks>
    /// <exception cref="ArgumentException">The spans are not whole, matching rows, or
    /// <paramref name="gradient"/> is not <see cref="ParameterCount"/> long.</exception>
    T BackwardBatch(ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets, Span<T> gradient)
    {
        int inputCount = InputCount;
        int outputCount = OutputCount;
        int rows = CompilerServices.NetworkGuard.Rows(inputs.Length, inputCount, targets.Length, outputCount, nameof(targets));
        CompilerServices.NetworkGuard.Length(gradient.Length, ParameterCount, nameof(gradient));
        T lossSum = T.Zero;
        for (int row = 0; row < rows; row++)
        {
            lossSum += Backward(inputs.Slice(row * inputCount, inputCount), targets.Slice(row * outputCount, outputCount), gradient);
        }

        return lossSum;
    }
}
