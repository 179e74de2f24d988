using System;
using System.Collections.Generic;
using System.Globalization;

namespace Backprop.Interop.Formats;

/// <summary>
/// A dense network as a model file holds it: the element type, the input size, and per layer its sizes, activation,
/// W ([out, in], row-major: this library's layout and <c>nn.Linear</c>'s) and b. What the ONNX reader finds in a graph,
/// checked by the runtime against a network and by the generator against a declaration.
/// </summary>
internal sealed class DenseStack
{
    public DenseStack(bool isDouble, int inputCount, IReadOnlyList<DenseStackLayer> layers)
    {
        IsDouble = isDouble;
        InputCount = inputCount;
        Layers = layers;
    }

    /// <summary>True for double tensors, false for float.</summary>
    public bool IsDouble { get; }

    public int InputCount { get; }

    public IReadOnlyList<DenseStackLayer> Layers { get; }

    /// <summary>The element type as the library names its precisions.</summary>
    public string ElementTypeName => IsDouble ? "double" : "float";

    /// <summary>"Input(4) → Dense(8, Tanh) → Dense(3, Softmax)", the form of a generated network's architecture.</summary>
    public string Describe()
    {
        var parts = new List<string> { $"Input({InputCount.ToString(CultureInfo.InvariantCulture)})" };
        foreach (DenseStackLayer layer in Layers)
        {
            parts.Add(layer.Describe());
        }

        return string.Join(" → ", parts);
    }

    /// <summary>
    /// The first weight or bias that is NaN or infinite, as "W1[2, 0] (layer 1, neuron 2, input 0) is NaN" (layers from 1,
    /// as the generated code numbers them); null when every value is finite.
    /// A network with such a value computes nothing useful, and it usually means a diverged training run or a damaged file.
    /// </summary>
    public string? FirstNonFinite()
    {
        for (int k = 0; k < Layers.Count; k++)
        {
            DenseStackLayer layer = Layers[k];
            for (int i = 0; i < layer.Weights.Length; i++)
            {
                if (IsNonFinite(layer.Weights[i]))
                {
                    return $"W{k + 1}[{i / layer.Inputs}, {i % layer.Inputs}] (layer {k + 1}, neuron {i / layer.Inputs}, input {i % layer.Inputs}) is {Format(layer.Weights[i])}";
                }
            }

            for (int j = 0; j < layer.Biases.Length; j++)
            {
                if (IsNonFinite(layer.Biases[j]))
                {
                    return $"b{k + 1}[{j}] (layer {k + 1}, neuron {j}) is {Format(layer.Biases[j])}";
                }
            }
        }

        return null;
    }

    private static bool IsNonFinite(double value) => double.IsNaN(value) || double.IsInfinity(value);

    private static string Format(double value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// The first way this stack differs from a network of <paramref name="inputCount"/> inputs and
    /// <paramref name="layers"/> (size and activation name per layer), as a sentence; null when it has the same shape.
    /// </summary>
    public string? FirstDifference(int inputCount, IReadOnlyList<(int Size, string Activation)> layers)
    {
        if (InputCount != inputCount)
        {
            return $"it takes {InputCount} input(s), and the network {inputCount}";
        }

        if (Layers.Count != layers.Count)
        {
            return $"it has {Layers.Count} layer(s), and the network {layers.Count}";
        }

        for (int k = 0; k < layers.Count; k++)
        {
            DenseStackLayer found = Layers[k];
            (int size, string activation) = layers[k];
            if (found.Outputs != size || !string.Equals(found.Activation, activation, StringComparison.Ordinal))
            {
                return $"its layer {k + 1} is {found.Describe()}, and the network's is Dense({size}, {activation})";
            }
        }

        return null;
    }
}

/// <summary>One dense layer of a <see cref="DenseStack"/>.</summary>
internal sealed class DenseStackLayer
{
    public DenseStackLayer(int inputs, int outputs, string activation, double[] weights, double[] biases)
    {
        if (weights.Length != inputs * outputs || biases.Length != outputs)
        {
            throw new ArgumentException("The weights are not [outputs, inputs] or the biases not [outputs].");
        }

        Inputs = inputs;
        Outputs = outputs;
        Activation = activation;
        Weights = weights;
        Biases = biases;
    }

    public int Inputs { get; }

    public int Outputs { get; }

    /// <summary>The name of the library's activation (<c>Tanh</c>, <c>GELU</c>, …), as the architecture writes it.</summary>
    public string Activation { get; }

    /// <summary>W, [outputs, inputs] row-major.</summary>
    public double[] Weights { get; }

    /// <summary>b, [outputs].</summary>
    public double[] Biases { get; }

    public string Describe() => $"Dense({Outputs.ToString(CultureInfo.InvariantCulture)}, {Activation})";
}
