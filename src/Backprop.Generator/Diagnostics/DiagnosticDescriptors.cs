using Microsoft.CodeAnalysis;

namespace Backprop.Generator.Diagnostics;

/// <summary>Every diagnostic the generator reports, in one place (listed in AnalyzerReleases.Unshipped.md).</summary>
internal static class DiagnosticDescriptors
{
    private const string Category = "Backprop.Generator";

    public static readonly DiagnosticDescriptor NetworkTypeNotPartial = Error(
        "BP0001",
        "Network type must be partial",
        "The network type '{0}' must be declared partial so that Backprop.Generator can add its members");

    public static readonly DiagnosticDescriptor MissingInput = Error(
        "BP0002",
        "Network has no [Input]",
        "The network '{0}' has no [Input(size)] attribute; declare the number of inputs on the same declaration as [Network]");

    public static readonly DiagnosticDescriptor MissingDenseLayer = Error(
        "BP0003",
        "Network has no [Dense] layer",
        "The network '{0}' has no [Dense(size, activation)] attribute; declare at least the output layer");

    public static readonly DiagnosticDescriptor InvalidSize = Error(
        "BP0004",
        "Size must be at least 1",
        "The size of {1} of network '{0}' is {2}; it must be at least 1");

    public static readonly DiagnosticDescriptor TooManyParameters = Error(
        "BP0005",
        "Network has too many parameters",
        "The network '{0}' would have {1} parameters, more than the {2} that fit in one array");

    public static readonly DiagnosticDescriptor SoftmaxOnHiddenLayer = Error(
        "BP0006",
        "Softmax is only valid on the output layer",
        "Layer {1} of network '{0}' is a hidden layer with Activation.Softmax; softmax is only supported on the output layer");

    public static readonly DiagnosticDescriptor CrossEntropyWithoutSoftmax = Error(
        "BP0007",
        "CrossEntropy requires a Softmax output layer",
        "The network '{0}' uses Loss.CrossEntropy, which requires a Softmax output layer, but its output layer uses Activation.{1}");

    public static readonly DiagnosticDescriptor BinaryCrossEntropyWithoutSigmoid = Error(
        "BP0008",
        "BinaryCrossEntropy requires a Sigmoid output layer",
        "The network '{0}' uses Loss.BinaryCrossEntropy, which requires a Sigmoid output layer, but its output layer uses Activation.{1}");

    public static readonly DiagnosticDescriptor LayerOnOtherPartialDeclaration = Error(
        "BP0009",
        "Layer attributes must be on the [Network] declaration",
        "[{1}] of network '{0}' is on another partial declaration than [Network]; put every layer attribute on the declaration that carries [Network], because layer order across partial declarations is undefined");

    public static readonly DiagnosticDescriptor UndefinedEnumValue = Error(
        "BP0010",
        "Value is not a defined enum member",
        "{1} is not a defined {2} value (network '{0}')");

    public static readonly DiagnosticDescriptor MemberNameConflict = Error(
        "BP0011",
        "Name is taken by a generated member",
        "The network '{0}' declares '{1}', but Backprop.Generator emits a member with that name; rename or remove it");

    public static readonly DiagnosticDescriptor UnsupportedContainingType = Error(
        "BP0012",
        "Network is nested in an unsupported type",
        "The network '{0}' is nested in '{1}', which is {2}; a network may only be nested in non-generic partial types");

    public static readonly DiagnosticDescriptor UnsupportedNetworkType = Error(
        "BP0013",
        "Unsupported network type",
        "The network '{0}' is {1}; a network must be a non-generic, non-static, non-file-local class");

    public static readonly DiagnosticDescriptor GeneratorFailure = Error(
        "BP0014",
        "Backprop.Generator failed",
        "Backprop.Generator failed to generate '{0}': {1}; this is a bug in the generator, please report it");

    public static readonly DiagnosticDescriptor GeneratedFileNameClash = Error(
        "BP0015",
        "Generated file names clash",
        "The generated file '{1}' of network '{0}' would clash with that of '{2}' (generated file names ignore case); rename one of the two types");

    public static readonly DiagnosticDescriptor TooManyNeurons = Error(
        "BP0016",
        "Network has too many neurons",
        "The layers of network '{0}' have {1} neurons in all; generated methods keep up to three values per neuron in one working buffer, so at most {2} fit");

    private static DiagnosticDescriptor Error(string id, string title, string messageFormat)
        => new(id, title, messageFormat, Category, DiagnosticSeverity.Error, isEnabledByDefault: true);
}
