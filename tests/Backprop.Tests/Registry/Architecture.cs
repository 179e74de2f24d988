namespace Backprop.Tests.Registry;

/// <summary>One dense layer as the test describes it: its neuron count and activation.</summary>
public sealed record Layer(int Size, Activation Activation)
{
    public override string ToString() => $"{Size} {Activation}";
}

/// <summary>
/// Where a layer's parameters live in <see cref="INetwork{T}.Parameters"/>, by the documented layout:
/// per layer, W row-major by output neuron (W[j, i] at <see cref="WeightOffset"/> + j·<see cref="FanIn"/> + i), then b.
/// </summary>
public sealed record LayerLayout(int Number, int FanIn, int Size, Activation Activation, int WeightOffset, int BiasOffset)
{
    public int WeightCount => FanIn * Size;

    public int WeightIndex(int row, int column) => WeightOffset + (row * FanIn) + column;

    public int BiasIndex(int row) => BiasOffset + row;
}

/// <summary>
/// A network's architecture written in the test, independently of the generated code: the number of
/// inputs, the dense layers in order, and the loss. Everything the reference implementation needs.
/// </summary>
public sealed class Architecture
{
    public Architecture(Loss loss, int inputSize, IReadOnlyList<Layer> layers)
    {
        Loss = loss;
        InputSize = inputSize;
        Layers = layers;

        var layouts = new List<LayerLayout>(layers.Count);
        int offset = 0;
        int fanIn = inputSize;
        for (int l = 0; l < layers.Count; l++)
        {
            int weightCount = fanIn * layers[l].Size;
            layouts.Add(new LayerLayout(l + 1, fanIn, layers[l].Size, layers[l].Activation, offset, offset + weightCount));
            offset += weightCount + layers[l].Size;
            fanIn = layers[l].Size;
        }

        Layouts = layouts;
        ParameterCount = offset;
    }

    public Loss Loss { get; }

    public int InputSize { get; }

    public IReadOnlyList<Layer> Layers { get; }

    /// <summary>The parameter layout of every layer, in order.</summary>
    public IReadOnlyList<LayerLayout> Layouts { get; }

    public int ParameterCount { get; }

    public int OutputSize => Layers[^1].Size;

    public Activation OutputActivation => Layers[^1].Activation;

    public int HiddenLayerCount => Layers.Count - 1;

    public IEnumerable<Layer> HiddenLayers => Layers.Take(HiddenLayerCount);

    /// <summary>Names the parameter at <paramref name="index"/>, for failure messages: "W2[1, 3]" or "b2[1]".</summary>
    public string DescribeParameter(int index)
    {
        foreach (LayerLayout layer in Layouts)
        {
            if (index < layer.BiasOffset)
            {
                int local = index - layer.WeightOffset;
                return $"W{layer.Number}[{local / layer.FanIn}, {local % layer.FanIn}] (index {index})";
            }

            if (index < layer.BiasOffset + layer.Size)
            {
                return $"b{layer.Number}[{index - layer.BiasOffset}] (index {index})";
            }
        }

        throw new ArgumentOutOfRangeException(nameof(index), index, $"The network has {ParameterCount} parameters.");
    }

    public override string ToString()
        => $"{InputSize} → {string.Join(" → ", Layers)}, {Loss}";
}
