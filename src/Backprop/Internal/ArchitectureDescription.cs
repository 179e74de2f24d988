using System;
using System.Collections.Generic;
using System.Globalization;

namespace Backprop.Internal;

/// <summary>
/// What <see cref="INetwork{T}.Architecture"/> says, read back: the layer sizes and activations and the
/// loss. Generated networks write it as
/// <c>Input(4) → Dense(8, Tanh) → Dense(3, Softmax); Loss.CrossEntropy; Precision.Single; 67 parameters</c>.
/// A hand-written <see cref="INetwork{T}"/> may write anything, so every use has a fallback.
/// </summary>
internal sealed class ArchitectureDescription
{
    private ArchitectureDescription(int inputCount, (int Size, string Activation)[] layers, Loss? loss)
    {
        InputCount = inputCount;
        Layers = layers;
        Loss = loss;
    }

    public int InputCount { get; }

    public IReadOnlyList<(int Size, string Activation)> Layers { get; }

    /// <summary>The loss, when the architecture names one this library knows.</summary>
    public Loss? Loss { get; }

    /// <summary>The number of weights and biases the layers imply.</summary>
    public long ParameterCount
    {
        get
        {
            long count = 0;
            int fanIn = InputCount;
            foreach ((int size, _) in Layers)
            {
                count += ((long)fanIn + 1) * size;
                fanIn = size;
            }

            return count;
        }
    }

    /// <summary>Reads <paramref name="architecture"/>; null when it is not in the generated form.</summary>
    public static ArchitectureDescription? TryParse(string? architecture)
    {
        if (string.IsNullOrEmpty(architecture))
        {
            return null;
        }

        string[] sections = architecture.Split(';');
        string[] layerTexts = sections[0].Split('→');
        if (layerTexts.Length < 2 || !TryParseCall(layerTexts[0], "Input", out string inputArgument)
            || !int.TryParse(inputArgument, NumberStyles.None, CultureInfo.InvariantCulture, out int inputCount))
        {
            return null;
        }

        var layers = new (int, string)[layerTexts.Length - 1];
        for (int i = 1; i < layerTexts.Length; i++)
        {
            if (!TryParseCall(layerTexts[i], "Dense", out string arguments))
            {
                return null;
            }

            int comma = arguments.IndexOf(',');
            if (comma < 0 || !int.TryParse(arguments.AsSpan(0, comma).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int size))
            {
                return null;
            }

            layers[i - 1] = (size, arguments.Substring(comma + 1).Trim());
        }

        Loss? loss = null;
        for (int i = 1; i < sections.Length; i++)
        {
            loss ??= ParseLoss(sections[i].Trim());
        }

        return new ArchitectureDescription(inputCount, layers, loss);
    }

    /// <summary>
    /// Describes parameter <paramref name="index"/> in the documented layout, e.g. <c>W2[1, 3]</c> (layer 2,
    /// weight from input 3 to neuron 1) or <c>b1[0]</c>; null when the index is outside the layers.
    /// </summary>
    public string? DescribeParameter(int index)
    {
        int offset = 0;
        int fanIn = InputCount;
        for (int layer = 0; layer < Layers.Count; layer++)
        {
            int size = Layers[layer].Size;
            int weights = fanIn * size;
            string layerName = string.Create(CultureInfo.InvariantCulture, $"layer {layer + 1}: Dense({size}, {Layers[layer].Activation})");
            if (index < offset + weights)
            {
                int local = index - offset;
                string from = layer == 0 ? $"x[{local % fanIn}]" : $"a{layer}[{local % fanIn}]";
                return string.Create(CultureInfo.InvariantCulture, $"W{layer + 1}[{local / fanIn}, {local % fanIn}] ({layerName}, the weight of neuron {local / fanIn} for {from})");
            }

            offset += weights;
            if (index < offset + size)
            {
                int local = index - offset;
                return string.Create(CultureInfo.InvariantCulture, $"b{layer + 1}[{local}] ({layerName}, the bias of neuron {local})");
            }

            offset += size;
            fanIn = size;
        }

        return null;
    }

    private static bool TryParseCall(string text, string name, out string arguments)
    {
        string trimmed = text.Trim();
        if (trimmed.StartsWith(name + "(", StringComparison.Ordinal) && trimmed.EndsWith(')'))
        {
            arguments = trimmed.Substring(name.Length + 1, trimmed.Length - name.Length - 2);
            return true;
        }

        arguments = "";
        return false;
    }

    /// <summary>"Loss.CrossEntropy" → <see cref="Backprop.Loss.CrossEntropy"/>; null for any other text (a number included).</summary>
    private static Loss? ParseLoss(string text)
    {
        // Enum.GetValues<T> and the names of enum values are kept by trimming and Native AOT.
        foreach (Loss loss in Enum.GetValues<Loss>())
        {
            if (text == "Loss." + loss.ToString())
            {
                return loss;
            }
        }

        return null;
    }
}
