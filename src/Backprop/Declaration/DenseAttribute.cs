using System;

namespace Backprop;

/// <summary>
/// Declares a fully connected layer of a <see cref="NetworkAttribute">network</see>:
/// a = g(W·a⁽ˡ⁻¹⁾ + b). Layers are read in source order; the last one is the output layer.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class DenseAttribute : Attribute
{
    /// <summary>Declares a layer of <paramref name="size"/> neurons with the given activation.</summary>
    /// <param name="size">The number of neurons; at least 1.</param>
    /// <param name="activation">The activation function g.</param>
    public DenseAttribute(int size, Activation activation)
    {
        Size = size;
        Activation = activation;
    }

    /// <summary>The number of neurons.</summary>
    public int Size { get; }

    /// <summary>The activation function g.</summary>
    public Activation Activation { get; }
}
