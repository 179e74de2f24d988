using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace Backprop.Generator.Model;

/// <summary>
/// A valid network declaration, as read from the attributes: no symbols, syntax or locations, so
/// an edit that leaves the declaration alone compares equal and regenerates nothing.
/// </summary>
/// <param name="Weights">
/// <c>[Network(Weights = "…")]</c> as written: the model file the network starts with, or null. Only its name: the
/// file's contents join in a later step of the pipeline, so that editing the file re-reads that network's weights alone.
/// </param>
internal sealed record NetworkSpec(
    TypeSpec Type,
    Loss Loss,
    Precision Precision,
    int InputSize,
    EquatableArray<LayerSpec> Layers,
    string? Weights = null)
{
    /// <summary>
    /// The generated Architecture constant: "Input(4) → Dense(8, Tanh) → Dense(3, Softmax); Loss.CrossEntropy;
    /// Precision.Single; 67 parameters". A .bpn weights file must hold exactly this text.
    /// </summary>
    public string Architecture => DescribeArchitecture(InputSize, Layers.Select(l => (l.Size, l.Activation)), Loss, Precision, ParameterCount);

    /// <summary>The text of a generated Architecture constant (the emitter writes it through here too).</summary>
    public static string DescribeArchitecture(int inputCount, IEnumerable<(int Size, Activation Activation)> layers, Loss loss, Precision precision, long parameterCount)
        => $"Input({inputCount.ToString(CultureInfo.InvariantCulture)}) → " +
           string.Join(" → ", layers.Select(l => $"Dense({l.Size.ToString(CultureInfo.InvariantCulture)}, {l.Activation})")) +
           $"; Loss.{loss}; Precision.{precision}; {parameterCount.ToString("N0", CultureInfo.InvariantCulture)} parameters";

    /// <summary>The neurons of the output layer: the generated OutputCount.</summary>
    public int OutputCount => Layers[Layers.Count - 1].Size;

    /// <summary>Every weight and bias: the generated ParameterCount (in 64 bits, as the parser bounds it).</summary>
    public long ParameterCount
    {
        get
        {
            long count = 0;
            long fanIn = InputSize;
            foreach (LayerSpec layer in Layers)
            {
                count += (fanIn * layer.Size) + layer.Size;
                fanIn = layer.Size;
            }

            return count;
        }
    }
}

/// <summary>One <c>[Dense(size, activation)]</c> layer.</summary>
internal readonly record struct LayerSpec(int Size, Activation Activation);

/// <summary>Where the network class is declared, so the emitter can reopen it as a partial type.</summary>
/// <param name="Namespace">The containing namespace, or <see langword="null"/> for the global namespace.</param>
/// <param name="Name">The class name.</param>
/// <param name="ContainingTypes">The enclosing types, outermost first.</param>
/// <param name="Keyword">
/// <c>class</c>; <c>record</c> for the stub of a record, which is not a supported network type (BP0013) but can be reopened.
/// </param>
/// <param name="TypeParameters">Empty; <c>&lt;T&gt;</c> for the stub of a generic class (BP0013 too).</param>
internal sealed record TypeSpec(
    string? Namespace,
    string Name,
    EquatableArray<ContainingTypeSpec> ContainingTypes,
    string Keyword = "class",
    string TypeParameters = "")
{
    /// <summary>The name as C# writes it: <c>Namespace.Outer.Name</c>.</summary>
    public string FullName
    {
        get
        {
            string prefix = Namespace is null ? "" : Namespace + ".";
            foreach (ContainingTypeSpec containing in ContainingTypes)
            {
                prefix += containing.Name + ".";
            }

            return prefix + Name;
        }
    }
}

/// <summary>An enclosing type: its keyword (<c>class</c>, <c>struct</c>, <c>record</c>, …) and name.</summary>
internal readonly record struct ContainingTypeSpec(string Keyword, string Name);
