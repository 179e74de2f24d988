using System;

namespace Backprop;

/// <summary>
/// Declares a feed-forward network on a <see langword="partial"/> class. The layers are the
/// <see cref="InputAttribute"/> and the <see cref="DenseAttribute"/>s on the same declaration,
/// read in source order. At compile time Backprop.Generator emits the forward pass, the loss,
/// backpropagation and SGD training for exactly this architecture, and makes the class implement
/// <see cref="INetwork{T}"/>.
/// </summary>
/// <example>
/// <code>
/// [Network(Loss.CrossEntropy)]
/// [Input(4)]
/// [Dense(8, Activation.Tanh)]
/// [Dense(3, Activation.Softmax)]
/// public partial class IrisNet;
/// </code>
/// </example>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class NetworkAttribute : Attribute
{
    /// <summary>Declares a network trained with the given loss.</summary>
    /// <param name="loss">The loss the network minimises.</param>
    public NetworkAttribute(Loss loss) => Loss = loss;

    /// <summary>The loss the network minimises.</summary>
    public Loss Loss { get; }

    /// <summary>The floating-point type of the network; <see cref="Precision.Single"/> unless set.</summary>
    public Precision Precision { get; set; } = Precision.Single;
}
