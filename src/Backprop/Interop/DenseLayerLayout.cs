using System;
using System.Collections.Generic;
using System.Numerics;
using Backprop.Internal;

namespace Backprop.Interop;

/// <summary>
/// Where each dense layer's W ([out, in], row-major) and b ([out]) lie in a network's <see cref="INetwork{T}.Parameters"/>,
/// read from its <see cref="INetwork{T}.Architecture"/>: what the interchange formats name and shape tensor by tensor.
/// </summary>
internal sealed class DenseLayerLayout
{
    private DenseLayerLayout(IReadOnlyList<Layer> layers, string architecture)
    {
        Layers = layers;
        Architecture = architecture;
    }

    /// <summary>One layer: its input and output sizes, activation, and the offsets of W and b.</summary>
    public readonly record struct Layer(int Inputs, int Outputs, string Activation, int WeightOffset, int BiasOffset);

    public IReadOnlyList<Layer> Layers { get; }

    /// <summary>The network's architecture, for messages.</summary>
    public string Architecture { get; }

    /// <summary>The layout of <paramref name="network"/>'s parameters.</summary>
    /// <exception cref="ArgumentException">
    /// The network's <see cref="INetwork{T}.Architecture"/> is not in the generated form, or implies another parameter count.
    /// </exception>
    public static DenseLayerLayout Of<T>(INetwork<T> network)
        where T : unmanaged, IFloatingPointIeee754<T>
        => TryOf(network) ?? throw new ArgumentException(
            $"The network's architecture ('{network.Architecture}') does not describe its {network.ParameterCount} parameters as dense layers, " +
            "so its tensors cannot be named; generated networks always do.",
            nameof(network));

    /// <summary>The layout of <paramref name="network"/>'s parameters; null when its architecture is not in the generated form or implies another parameter count.</summary>
    public static DenseLayerLayout? TryOf<T>(INetwork<T> network)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        string architecture = network.Architecture;
        ArchitectureDescription? description = ArchitectureDescription.TryParse(architecture);
        if (description is null || description.ParameterCount != network.ParameterCount)
        {
            return null;
        }

        var layers = new Layer[description.Layers.Count];
        int offset = 0;
        int inputs = description.InputCount;
        for (int i = 0; i < layers.Length; i++)
        {
            (int outputs, string activation) = description.Layers[i];
            layers[i] = new Layer(inputs, outputs, activation, offset, offset + (inputs * outputs));
            offset += (inputs + 1) * outputs;
            inputs = outputs;
        }

        return new DenseLayerLayout(layers, architecture);
    }
}
