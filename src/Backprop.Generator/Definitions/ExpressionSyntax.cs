using Backprop.Generator.Model;

namespace Backprop.Generator.Definitions;

/// <summary>
/// How the definitions write C# for one network: literals of its element type and the names of runtime types, so
/// a definition's expressions read the same in every emitted form.
/// </summary>
internal sealed class ExpressionSyntax
{
    /// <summary>
    /// The alias the generated file declares for the runtime namespace it calls into (Backprop.CompilerServices),
    /// used with <c>::</c>, which looks up aliases only: no type or namespace of the user's can shadow it.
    /// </summary>
    public const string RuntimeAlias = "BackpropRuntime";

    /// <summary>The alias the generated file declares for System.Runtime.Intrinsics, used with <c>::</c> as <see cref="RuntimeAlias"/>.</summary>
    public const string VectorsAlias = "BackpropVectors";

    /// <summary>The prefix of a runtime type: <c>BackpropRuntime::</c>.</summary>
    public const string CompilerServices = RuntimeAlias + "::";

    public ExpressionSyntax(Precision precision)
    {
        Precision = precision;
        Type = precision == Precision.Double ? "double" : "float";
    }

    public Precision Precision { get; }

    /// <summary><c>float</c> or <c>double</c>.</summary>
    public string Type { get; }

    /// <summary>A literal of the element type: <c>0.5f</c> or <c>0.5</c>, <c>2f</c> or <c>2.0</c>.</summary>
    public string Literal(string value)
        => Precision == Precision.Single ? value + "f" : (value.Contains(".") ? value : value + ".0");

    /// <summary>A runtime type or static class by its simple name: <c>BackpropRuntime::HuberLoss</c>.</summary>
    public string Runtime(string name) => CompilerServices + name;

    /// <summary>An activation's operator closed over the element type: <c>BackpropRuntime::ReLUOperator&lt;float&gt;</c>.</summary>
    public string Operator(string name) => $"{CompilerServices}{name}<{Type}>";
}
