using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Backprop.Generator.Diagnostics;
using Backprop.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Backprop.Generator.Parsing;

/// <summary>
/// Reads one <c>[Network]</c> declaration into a <see cref="NetworkSpec"/>, or into the diagnostics
/// that say why it is not a valid network. Never throws: an unexpected failure is BP0014.
/// </summary>
internal static partial class NetworkParser
{
    public const string NetworkAttributeName = "Backprop.NetworkAttribute";
    public const string InputAttributeName = "Backprop.InputAttribute";
    public const string DenseAttributeName = "Backprop.DenseAttribute";
    public const string NetworkInterfaceName = "Backprop.INetwork<T>";
    public const string ActivationEnumName = "Backprop.Activation";

    /// <summary>The largest array length .NET allows (Array.MaxLength): the bound on ParameterCount.</summary>
    public const long MaxParameterCount = 0x7FFFFFC7;

    /// <summary>The most neurons whose values (z, a and δ: the scratch layout's most per neuron) fit one working buffer of at most Array.MaxLength values.</summary>
    public const long MaxNeuronCount = MaxParameterCount / Planning.ScratchLayout.MaximumValuesPerNeuron;

    /// <summary>
    /// The generator's step: the spec of a valid declaration; for a declaration with an error, the stub that keeps
    /// the error from cascading (the analyzer reports the error itself); or the generator's own failure.
    /// </summary>
    public static ParseResult Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        var type = (INamedTypeSymbol)context.TargetSymbol;
        var declaration = (TypeDeclarationSyntax)context.TargetNode;
        try
        {
            NetworkReading reading = Read(type, declaration, context.Attributes, context.SemanticModel.Compilation, cancellationToken);
            if (reading.Spec is { } spec)
            {
                return new ParseResult(spec, null, null);
            }

            // [Network] on two partial declarations is the compiler's CS0579, and each declaration comes here:
            // the first one alone stubs the type, or two files of the same name would be added.
            return reading.Type is { } typeSpec && HoldsFirstNetworkAttribute(type, declaration, cancellationToken)
                ? new ParseResult(null, new NetworkStub(typeSpec, reading.Precision, reading.Error, reading.TakenMembers, reading.WeightsLocation is not null), null)
                : new ParseResult(null, null, null);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            DiagnosticInfo failure = DiagnosticInfo.Create(
                DiagnosticDescriptors.GeneratorFailure,
                LocationInfo.From(declaration.Identifier.GetLocation()),
                type.Name,
                $"{exception.GetType().Name}: {exception.Message.TrimEnd('.')}");
            return new ParseResult(null, null, failure);
        }
    }

    /// <summary>
    /// Reads one declaration that carries <c>[Network]</c> (<paramref name="networkAttributes"/> are the ones on it):
    /// what the generator needs, and every diagnostic at its place in the user's syntax tree, for the analyzer.
    /// </summary>
    public static NetworkReading Read(
        INamedTypeSymbol type,
        TypeDeclarationSyntax declaration,
        ImmutableArray<AttributeData> networkAttributes,
        Compilation compilation,
        CancellationToken cancellationToken)
        => new Reader(type, declaration, networkAttributes, compilation, cancellationToken, NoNetworks).Read();

    private static readonly ImmutableHashSet<INamedTypeSymbol> NoNetworks = ImmutableHashSet.Create<INamedTypeSymbol>(SymbolEqualityComparer.Default);

    /// <summary>Whether <paramref name="declaration"/> holds the type's first <c>[Network]</c>, in file and then source order.</summary>
    private static bool HoldsFirstNetworkAttribute(INamedTypeSymbol type, TypeDeclarationSyntax declaration, CancellationToken cancellationToken)
    {
        SyntaxReference? first = type.GetAttributes()
            .Where(IsNetworkAttribute)
            .Select(a => a.ApplicationSyntaxReference)
            .OfType<SyntaxReference>()
            .OrderBy(r => r.SyntaxTree.FilePath, StringComparer.Ordinal)
            .ThenBy(r => r.Span.Start)
            .FirstOrDefault();
        return first is null || (first.SyntaxTree == declaration.SyntaxTree && declaration.Span.Contains(first.Span));
    }

    private static bool IsNetworkAttribute(AttributeData attribute) => attribute.AttributeClass?.ToDisplayString() == NetworkAttributeName;

    /// <summary>The state of reading one declaration: the symbol, its syntax, and what was found so far.</summary>
    private sealed partial class Reader(
        INamedTypeSymbol type,
        TypeDeclarationSyntax declaration,
        ImmutableArray<AttributeData> networkAttributes,
        Compilation compilation,
        CancellationToken cancellationToken,
        ImmutableHashSet<INamedTypeSymbol> resolving)
    {
        // resolving: the networks whose sizes are being read through this one's generated constants, so that two
        // networks that name each other's constants end in an error rather than a loop.
        private readonly List<Diagnostic> _diagnostics = [];

        // What is known of the declaration even when it has an error: the stub that stands in for it needs them.
        private Precision _precision = Precision.Single;
        private readonly List<string> _takenMembers = [];

        // Set when an [Input] or [Dense] was found on another partial declaration (BP0009): the layer is
        // declared, only in the wrong place, so "no [Input]" or "no [Dense]" would repeat the error as noise.
        private bool _inputElsewhere;
        private bool _denseElsewhere;

        // The [Dense] whose activation is not a defined value (BP0010): read as Identity, a stand-in only.
        private readonly HashSet<AttributeData> _undefinedActivations = [];
        private TypeSpec? _typeSpec;
        private HashSet<string>? _generatedNames;

        // The loss and precision, once [Network]'s arguments are read and defined.
        private (Loss Loss, Precision Precision)? _header;

        // [Network(Weights = "…")] as written, and where: the analyzer reports what is wrong with the file there.
        private string? _weights;
        private Location? _weightsLocation;

        private string DisplayName => type.Name;

        public NetworkReading Read()
        {
            _typeSpec = ReadType();
            cancellationToken.ThrowIfCancellationRequested();
            NetworkSpec? spec = ReadSpec();

            // Also where the declaration has another error: a stub standing in for it must leave these names alone.
            CheckMemberNames(_precision, report: _header is not null);
            CheckExplicitImplementations(report: _header is not null);
            CheckShadowedArguments();
            if (_typeSpec is not null && !CheckBaseType())
            {
                _typeSpec = null; // its stub would hide the base class's members too
            }
            return new NetworkReading(
                _diagnostics.Count == 0 ? spec : null,
                _typeSpec,
                _precision,
                _diagnostics,
                _takenMembers.Distinct().OrderBy(n => n, StringComparer.Ordinal).ToEquatableArray(),
                _weightsLocation,
                spec);
        }

        private NetworkSpec? ReadSpec()
        {
            AttributeData network = networkAttributes[0];

            // Read before anything can stop the reading: a stub for a declaration with an error still has its T.
            _precision = network.NamedArguments.FirstOrDefault(a => a.Key == "Precision").Value is { Kind: TypedConstantKind.Enum, Value: int value }
                         && Enum.IsDefined(typeof(Precision), value)
                ? (Precision)value
                : Precision.Single;
            if (network.NamedArguments.FirstOrDefault(a => a.Key == "Weights").Value is { Kind: TypedConstantKind.Primitive, Value: string weights })
            {
                _weights = weights;
                _weightsLocation = LocationOfNamedArgument(network, "Weights");
            }

            if (HasBindingErrors(network) || CountNetworkAttributes() > 1)
            {
                // The compiler already reports the user's error (a bad argument, or CS0579 for [Network]
                // on two partial declarations, which would otherwise generate the class twice).
                return null;
            }

            (Loss Loss, Precision Precision)? header = _header = ReadNetworkAttribute(network);
            (int Size, AttributeData Attribute)? input = null;
            var layers = new List<(LayerSpec Layer, AttributeData Attribute)>();
            if (!ReadLayerAttributes(ref input, layers))
            {
                return null;
            }

            cancellationToken.ThrowIfCancellationRequested();
            if (input is null && !_inputElsewhere)
            {
                Report(DiagnosticDescriptors.MissingInput, network, DisplayName);
            }

            if (layers.Count == 0 && !_denseElsewhere)
            {
                Report(DiagnosticDescriptors.MissingDenseLayer, network, DisplayName);
            }

            if (header is { } h && layers.Count > 0)
            {
                CheckLayerActivations(h.Loss, network, layers);
            }

            if (input is { } i && layers.Count > 0)
            {
                CheckParameterCount(i.Size, layers);
            }

            if (_typeSpec is null || header is null || input is null)
            {
                return null;
            }

            return new NetworkSpec(
                _typeSpec,
                header.Value.Loss,
                header.Value.Precision,
                input.Value.Size,
                layers.Select(l => l.Layer).ToEquatableArray(),
                _weights);
        }

        private void Report(DiagnosticDescriptor descriptor, Location location, params string[] arguments)
            => _diagnostics.Add(Diagnostic.Create(descriptor, location, arguments));

        private void Report(DiagnosticDescriptor descriptor, AttributeData attribute, params string[] arguments)
            => Report(descriptor, LocationOf(attribute), arguments);

        private Location LocationOf(AttributeData attribute)
            => attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken).GetLocation() ?? declaration.Identifier.GetLocation();

        /// <summary>
        /// The location of the argument for the constructor parameter at <paramref name="position"/>, or of the
        /// attribute. A named argument (<c>size: 0</c>) may stand anywhere, so it is found by its name first.
        /// </summary>
        private Location LocationOfArgument(AttributeData attribute, int position)
        {
            if (attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) is not AttributeSyntax { ArgumentList: { } arguments })
            {
                return LocationOf(attribute);
            }

            string? parameter = attribute.AttributeConstructor is { } constructor && position < constructor.Parameters.Length
                ? constructor.Parameters[position].Name
                : null;
            AttributeArgumentSyntax? argument = arguments.Arguments.FirstOrDefault(a => a.NameColon is { } name && name.Name.Identifier.ValueText == parameter)
                ?? (position < arguments.Arguments.Count ? arguments.Arguments[position] : null);
            return argument?.GetLocation() ?? LocationOf(attribute);
        }

        /// <summary>The location of the named argument <paramref name="name"/>, or of the attribute.</summary>
        private Location LocationOfNamedArgument(AttributeData attribute, string name)
            => attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) is AttributeSyntax { ArgumentList: { } arguments }
               && arguments.Arguments.FirstOrDefault(a => a.NameEquals?.Name.Identifier.ValueText == name) is { } argument
                ? argument.GetLocation()
                : LocationOf(attribute);

        private int CountNetworkAttributes()
            => type.GetAttributes().Count(IsNetworkAttribute);

        private static bool HasBindingErrors(AttributeData attribute)
            => attribute.AttributeClass is null or IErrorTypeSymbol
               || attribute.AttributeConstructor is null
               || attribute.ConstructorArguments.Any(a => a.Kind == TypedConstantKind.Error)
               || attribute.NamedArguments.Any(a => a.Value.Kind == TypedConstantKind.Error);
    }
}
