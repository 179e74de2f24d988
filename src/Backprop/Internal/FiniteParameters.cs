using System;
using System.Numerics;

namespace Backprop.Internal;

/// <summary>
/// A model whose parameters hold a NaN or an infinity computes nothing useful: every writer refuses to save one and
/// every reader to load one, naming the parameter by its place in the documented layout.
/// </summary>
internal static class FiniteParameters
{
    /// <summary>Throws unless every parameter of <paramref name="network"/> is finite; called before a file is touched.</summary>
    /// <exception cref="ArgumentException">A parameter is NaN or infinite.</exception>
    public static void RequireForSave<T>(INetwork<T> network)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ReadOnlySpan<T> parameters = network.Parameters;
        if (FirstNonFinite(parameters) is int index)
        {
            throw new ArgumentException(
                $"The network's parameter {Describe(network.Architecture, index)} is {parameters[index].ToString(null, System.Globalization.CultureInfo.InvariantCulture)}: a model with a value that is not a finite number " +
                "computes nothing useful, so it is not saved (an existing file is left as it was). Training that diverged leaves such values; TrainingResult.Divergence says where.",
                "network");
        }
    }

    /// <summary>The index of the first value that is NaN or infinite; null when all are finite.</summary>
    public static int? FirstNonFinite<T>(ReadOnlySpan<T> values)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < values.Length; i++)
        {
            if (!T.IsFinite(values[i]))
            {
                return i;
            }
        }

        return null;
    }

    /// <summary>Parameter <paramref name="index"/> as the layout names it (<c>W2[1, 3] (layer 2: …)</c>), or <c>Parameters[i]</c>.</summary>
    public static string Describe(string architecture, int index)
        => ArchitectureDescription.TryParse(architecture)?.DescribeParameter(index) ?? $"Parameters[{index}]";
}
