namespace Backprop.Generator.Model;

/// <summary>
/// A valid network declaration, as read from the attributes: no symbols, syntax or locations, so
/// an edit that leaves the declaration alone compares equal and regenerates nothing.
/// </summary>
internal sealed record NetworkSpec(
    TypeSpec Type,
    Loss Loss,
    Precision Precision,
    int InputSize,
    EquatableArray<LayerSpec> Layers)
{
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
