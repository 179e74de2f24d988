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
    T TrainStep(ReadOnlySpan<T> input, ReadOnlySpan<T> target, T learningRate);

    /// <summary>
    /// One step of gradient descent on a batch: rows of <see cref="InputCount"/> inputs and
    /// <see cref="OutputCount"/> targets, concatenated. Applies θ ← θ − α·(mean gradient over the rows)
    /// once and returns the mean loss before the update.
    /// </summary>
    T TrainBatch(ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets, T learningRate);
}
