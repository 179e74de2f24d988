using Microsoft.CodeAnalysis;

namespace Backprop.Generator.Diagnostics;

/// <summary>
/// Every diagnostic of Backprop.Generator, in one place (listed in AnalyzerReleases.Unshipped.md), each with a
/// description and a link to its page in docs/diagnostics. <see cref="NetworkDeclarationAnalyzer"/> reports all
/// of them but <see cref="GeneratorFailure"/>, which only the generator can.
/// </summary>
internal static class DiagnosticDescriptors
{
    private const string Category = "Backprop.Generator";

    public static readonly DiagnosticDescriptor NetworkTypeNotPartial = Error(
        "BP0001",
        "Network type must be partial",
        "The network type '{0}' must be declared partial so that Backprop.Generator can add its members",
        "A network's members (its forward pass, loss, backpropagation and training) are generated into a second declaration of the same class, which C# allows only for a partial type. Add the partial modifier.");

    public static readonly DiagnosticDescriptor MissingInput = Error(
        "BP0002",
        "Network has no [Input]",
        "The network '{0}' has no [Input(size)] attribute; declare the number of inputs on the same declaration as [Network]",
        "The generator must know how many inputs the network reads. Add [Input(size)] to the declaration that carries [Network].");

    public static readonly DiagnosticDescriptor MissingDenseLayer = Error(
        "BP0003",
        "Network has no [Dense] layer",
        "The network '{0}' has no [Dense(size, activation)] attribute; declare at least the output layer",
        "A network needs at least one [Dense(size, activation)] layer: the last one is the output layer. Add the layers, in order, to the declaration that carries [Network].");

    public static readonly DiagnosticDescriptor InvalidSize = Error(
        "BP0004",
        "Size must be at least 1",
        "The size of {1} of network '{0}' is {2}; it must be at least 1",
        "Every layer, and the input, must have at least one value. The diagnostic points at the size argument that is zero or negative.");

    public static readonly DiagnosticDescriptor TooManyParameters = Error(
        "BP0005",
        "Network has too many parameters",
        "The network '{0}' would have {1} parameters, more than the {2} that fit in one array",
        "All weights and biases live in one array, so a network can have at most Array.MaxLength (2,147,483,591) parameters. The diagnostic points at the first layer that passes the limit; make it or the layers before it smaller.");

    public static readonly DiagnosticDescriptor SoftmaxOnHiddenLayer = Error(
        "BP0006",
        "Softmax is only valid on the output layer",
        "Layer {1} of network '{0}' is a hidden layer with Activation.Softmax; softmax is only supported on the output layer",
        "Softmax couples all the outputs of its layer (each output depends on every input), so its δ needs the whole Jacobian. The generator supports it on the output layer only; use an element-wise activation such as Tanh or ReLU on hidden layers.");

    public static readonly DiagnosticDescriptor CrossEntropyWithoutSoftmax = Error(
        "BP0007",
        "CrossEntropy requires a Softmax output layer",
        "The network '{0}' uses Loss.CrossEntropy, which requires a Softmax output layer, but its output layer uses Activation.{1}",
        "Cross-entropy expects a probability distribution over the outputs, which only Softmax produces, and the generator fuses the two into δ = y·Σt − t. Make the output layer Softmax, or for a single output use Sigmoid with Loss.BinaryCrossEntropy.");

    public static readonly DiagnosticDescriptor BinaryCrossEntropyWithoutSigmoid = Error(
        "BP0008",
        "BinaryCrossEntropy requires a Sigmoid output layer",
        "The network '{0}' uses Loss.BinaryCrossEntropy, which requires a Sigmoid output layer, but its output layer uses Activation.{1}",
        "Binary cross-entropy expects each output to be a probability, which Sigmoid produces, and the generator fuses the two into δ = y − t. Make the output layer Sigmoid.");

    public static readonly DiagnosticDescriptor LayerOnOtherPartialDeclaration = Error(
        "BP0009",
        "Layer attributes must be on the [Network] declaration",
        "[{1}] of network '{0}' is on another partial declaration than the one with [Network]; put every layer attribute on the declaration that carries [Network], because layer order across partial declarations is undefined",
        "The order of attributes across partial declarations is not defined by C#, so the layers could come out in any order. Put [Input] and every [Dense] on the declaration that carries [Network].");

    public static readonly DiagnosticDescriptor UndefinedEnumValue = Error(
        "BP0010",
        "Value is not a defined enum member",
        "{1} is not a defined {2} value (network '{0}')",
        "An enum argument was cast from a number that is not one of the enum's members, so the generator cannot tell what it means. Use a named member such as Activation.ReLU or Loss.CrossEntropy.");

    public static readonly DiagnosticDescriptor MemberNameConflict = Error(
        "BP0011",
        "Name is taken by a generated member",
        "The network '{0}' declares '{1}', but Backprop.Generator emits a member with that name; rename or remove it",
        "The generator adds members with fixed names (Forward, TrainStep, Parameters, InputCount and others) to the network class; a member of the user's with the same name (and, for a method, the same parameters) would not compile. Rename or remove it.");

    public static readonly DiagnosticDescriptor UnsupportedContainingType = Error(
        "BP0012",
        "Network is nested in an unsupported type",
        "The network '{0}' is nested in '{1}', which is {2}; a network may only be nested in non-generic partial types",
        "The network class is reopened inside every type that contains it, so each containing type must be a non-generic partial type. Make the containing types partial, or move the network out of them.");

    public static readonly DiagnosticDescriptor UnsupportedNetworkType = Error(
        "BP0013",
        "Unsupported network type",
        "The network '{0}' is {1}; a network must be a class (not a record), not generic, not static and not file-local",
        "A network is generated as a partial class that implements INetwork<T> with instance members, so it must be a non-generic, non-static class that other files can extend (not file-local).");

    public static readonly DiagnosticDescriptor GeneratorFailure = Error(
        "BP0014",
        "Backprop.Generator failed",
        "Backprop.Generator failed to generate '{0}': {1}; this is a bug in the generator, please report it",
        "The generator met an unexpected condition. This is a bug in Backprop.Generator; please report it with the declaration that causes it.");

    public static readonly DiagnosticDescriptor GeneratedFileNameClash = Error(
        "BP0015",
        "Generated file names clash",
        "The generated file '{1}' of network '{0}' would clash with that of '{2}' (generated file names ignore case); rename one of the two types",
        "Generated file names are compared without regard to case, so two networks whose full names differ only in case would produce the same file. Rename one of them.");

    public static readonly DiagnosticDescriptor TooManyNeurons = Error(
        "BP0016",
        "Network has too many neurons",
        "The layers of network '{0}' have {1} neurons in all; generated methods keep up to three values per neuron in one working buffer, so at most {2} fit",
        "Every generated method keeps up to three values per neuron (z, a and δ) in one working buffer, which can hold at most Array.MaxLength values. Use fewer or smaller layers.");

    public static readonly DiagnosticDescriptor LayerWithoutNetwork = Warning(
        "BP0017",
        "Layer attribute without [Network]",
        "[{1}] on '{0}' has no effect: the type has no [Network] attribute, so no network is generated from its layers",
        "[Input] and [Dense] describe the layers of a network, which the generator only reads on a type that carries [Network(loss)]. Add [Network] to the declaration, or remove the layer attributes.");

    public static readonly DiagnosticDescriptor ArgumentShadowedByGeneratedMember = Error(
        "BP0018",
        "Attribute argument named like a generated member",
        "The attribute argument '{1}' of network '{0}' has the name of a member Backprop.Generator emits, which is what it would name inside the network; qualify it (for example with its namespace) or rename it",
        "Attribute arguments bind with the network's own members in scope, and Backprop.Generator adds members such as Parameters, InputCount and Forward. A type or constant of the user's with one of those names, used unqualified in [Network], [Input] or [Dense], would name the generated member once it exists. Qualify the name or rename the type.");

    public static readonly DiagnosticDescriptor BaseTypeHasGeneratedMember = Error(
        "BP0019",
        "Network derives from a class with a generated member's name",
        "The network '{0}' derives from '{1}', whose member '{2}' has the name of a member Backprop.Generator emits; a network can only derive from a class without such members",
        "A generated network declares its own Forward, TrainStep, Parameters, InputCount and the other members of INetwork<T>. A base class with members of those names (another network, for one) would have them hidden, with warnings in code the user cannot edit. Derive from a class without such members, or hold the other network in a field.");

    public static readonly DiagnosticDescriptor WeightsFileNotFound = Error(
        "BP0020",
        "Weights file not found",
        "The weights file '{1}' of network '{0}' is not among the project's weights files ({2}); list it as <AdditionalFiles Include=\"path/to/{3}\" />, which the package's build targets encode for the generator (.onnx, .safetensors and .bpn files)",
        "Weights = \"…\" names a model file that must be an AdditionalFiles item of the project. The generator cannot read binary files itself: the package's build targets (build/Backprop.Generator.targets, imported automatically by the package) encode every .onnx, .safetensors and .bpn AdditionalFiles item as text for it. The name given is matched against the end of each listed file's path.");

    public static readonly DiagnosticDescriptor WeightsFileAmbiguous = Error(
        "BP0021",
        "Weights file name matches more than one file",
        "The weights file '{1}' of network '{0}' matches more than one listed file: {2}; give more of its path",
        "Weights = \"…\" is matched against the end of each listed weights file's path, and more than one ends with it. Write enough of the path to name one file, for example \"Models/v2/iris.onnx\".");

    public static readonly DiagnosticDescriptor WeightsFileUnsupportedExtension = Error(
        "BP0022",
        "Not a weights file format",
        "The weights file '{1}' of network '{0}' is not a format Backprop.Generator reads; use an ONNX model (.onnx), a safetensors file (.safetensors) or a model file of NetworkSerializer (.bpn)",
        "The format of a weights file is told by its extension: .onnx (torch.onnx.export, tf2onnx, Onnx.Save), .safetensors (safetensors.torch.save_file, SafeTensors.Save) or .bpn (NetworkSerializer.Save).");

    public static readonly DiagnosticDescriptor WeightsFileUnreadable = Error(
        "BP0023",
        "Weights file cannot be read",
        "The weights of network '{0}' cannot be compiled in: {1}",
        "The weights file was found but is not a model this library can read: it is damaged or cut short, holds something a dense network does not have (an operator, a data type, a graph shape), or is not a file of its extension's format at all. The message is the reader's, the same Onnx.Load, SafeTensors.Load or NetworkSerializer.Load would give.");

    public static readonly DiagnosticDescriptor WeightsPrecisionMismatch = Error(
        "BP0024",
        "Weights file has another precision",
        "The weights file '{1}' holds {2} values, and the network '{0}' computes in {3}; set Precision = Precision.{4} or use a file of {3} values",
        "Weights are compiled in as they are stored, never widened or narrowed: a float network takes a file of float (F32) values, a double network one of double (F64) values.");

    public static readonly DiagnosticDescriptor WeightsArchitectureMismatch = Error(
        "BP0025",
        "Weights file does not fit the network",
        "The weights file '{1}' does not fit the network '{0}': {2}",
        "The weights file holds a network of other sizes or activations than the declaration (for a .bpn file, another Architecture text). Make the [Input] and [Dense] attributes those of the model that was saved, or use that model's file.");

    public static readonly DiagnosticDescriptor WeightsNotFinite = Error(
        "BP0026",
        "Weights file holds a non-finite value",
        "The weights file '{1}' of network '{0}' holds {2} as {3}; a model with NaN or infinite weights is broken",
        "A NaN or infinite weight makes every output it reaches NaN or infinite: the model diverged in training or the file is damaged. Retrain or re-export the model.");

    /// <summary>Where each diagnostic's page is published: the repository's docs/diagnostics folder, one page per id.</summary>
    public const string HelpLinkBase = "https://github.com/backprop-generator/backprop-generator/blob/main/docs/diagnostics/";

    private static DiagnosticDescriptor Error(string id, string title, string messageFormat, string description)
        => Create(id, title, messageFormat, description, DiagnosticSeverity.Error);

    private static DiagnosticDescriptor Warning(string id, string title, string messageFormat, string description)
        => Create(id, title, messageFormat, description, DiagnosticSeverity.Warning);

    private static DiagnosticDescriptor Create(string id, string title, string messageFormat, string description, DiagnosticSeverity severity)
        => new(id, title, messageFormat, Category, severity, isEnabledByDefault: true, description, HelpLinkBase + id + ".md");
}
