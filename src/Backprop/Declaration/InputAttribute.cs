using System;

namespace Backprop;

/// <summary>Declares the number of inputs of a <see cref="NetworkAttribute">network</see>.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class InputAttribute : Attribute
{
    /// <summary>Declares <paramref name="size"/> inputs.</summary>
    /// <param name="size">The number of inputs; at least 1.</param>
    public InputAttribute(int size) => Size = size;

    /// <summary>The number of inputs.</summary>
    public int Size { get; }
}
