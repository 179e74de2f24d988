using Backprop.Tests.Registry;

namespace Backprop.Tests.Numerics;

/// <summary>Which parameters a finite-difference check visits.</summary>
public static class ParameterSelection
{
    /// <summary>Networks up to this many parameters have every parameter checked.</summary>
    public const int CheckAllUpTo = 5_000;

    /// <summary>In larger networks, this many weights of every row (output neuron) of every layer, plus its bias.</summary>
    public const int WeightsPerRow = 12;

    /// <summary>
    /// Every parameter of a small network. Of a large one, a deterministic sample that covers every layer,
    /// every row and every bias: in row j, <see cref="WeightsPerRow"/> columns spread evenly over the row,
    /// shifted with j so that together the rows reach every region of the inputs, first and last columns included.
    /// </summary>
    public static IReadOnlyList<int> For(Architecture architecture)
    {
        if (architecture.ParameterCount <= CheckAllUpTo)
        {
            return Enumerable.Range(0, architecture.ParameterCount).ToArray();
        }

        var indices = new SortedSet<int>();
        foreach (LayerLayout layer in architecture.Layouts)
        {
            int perRow = Math.Min(WeightsPerRow, layer.FanIn);
            for (int j = 0; j < layer.Size; j++)
            {
                for (int m = 0; m < perRow; m++)
                {
                    int column = ((m * layer.FanIn / perRow) + j) % layer.FanIn;
                    indices.Add(layer.WeightIndex(j, column));
                }

                indices.Add(layer.WeightIndex(j, layer.FanIn - 1 - (j % layer.FanIn)));
                indices.Add(layer.BiasIndex(j));
            }
        }

        return indices.ToArray();
    }
}
