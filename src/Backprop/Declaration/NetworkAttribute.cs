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

    /// <summary>
    /// A model file whose weights a new network starts with, compiled into the assembly: an ONNX model (<c>.onnx</c>),
    /// a safetensors file (<c>.safetensors</c>, <c>nn.Sequential</c> names <c>0.weight</c>, <c>0.bias</c>, …) or a
    /// model file of <c>NetworkSerializer</c> (<c>.bpn</c>). <see langword="null"/> (the default) for weights from
    /// <c>InitializeParameters(seed: 0)</c>.
    /// </summary>
    /// <remarks>
    /// <para>
    /// List the file as an <c>AdditionalFiles</c> item of the project
    /// (<c>&lt;AdditionalFiles Include="Models/iris.onnx" /&gt;</c>) and name it here by its path or its end
    /// (<c>"iris.onnx"</c> or <c>"Models/iris.onnx"</c>): the one listed file whose path ends with it is read. The
    /// package's build targets encode each listed <c>.onnx</c>, <c>.safetensors</c> and <c>.bpn</c> file as text for the
    /// generator, which cannot read binary files itself; a project that references the generator without the package
    /// imports <c>build/Backprop.Generator.targets</c>.
    /// </para>
    /// <para>
    /// At compile time the generator checks the file against the declaration (element type, input size, each layer's
    /// size and activation; for a <c>.bpn</c> file the whole <c>Architecture</c> text) and that every value is finite,
    /// and reports a BP0020–BP0026 error at this argument if not. The network then starts with the file's weights,
    /// with no file I/O at run time; <c>ResetToCompiledWeights()</c> returns to them.
    /// </para>
    /// </remarks>
    public string? Weights { get; set; }
}
