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

    /// <summary>The largest array length .NET allows (Array.MaxLength): the bound on ParameterCount.</summary>
    public const long MaxParameterCount = 0x7FFFFFC7;

    /// <summary>The most neurons whose values (z, a and δ: the scratch layout's most per neuron) fit one working buffer of at most Array.MaxLength values.</summary>
    public const long MaxNeuronCount = MaxParameterCount / Planning.ScratchLayout.MaximumValuesPerNeuron;

    public static ParseResult Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        var type = (INamedTypeSymbol)context.TargetSymbol;
        var declaration = (TypeDeclarationSyntax)context.TargetNode;
        try
        {
            return new Reader(type, declaration, context.Attributes, context.SemanticModel.Compilation, cancellationToken).Read();
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            DiagnosticInfo failure = DiagnosticInfo.Create(
                DiagnosticDescriptors.GeneratorFailure,
                LocationInfo.From(declaration.Identifier.GetLocation()),
                type.Name,
                $"{exception.GetType().Name}: {exception.Message}");
            return new ParseResult(null, new[] { failure }.ToEquatableArray());
        }
    }

    /// <summary>The state of reading one declaration: the symbol, its syntax, and what was found so far.</summary>
    private sealed partial class Reader(
        INamedTypeSymbol type,
        TypeDeclarationSyntax declaration,
        ImmutableArray<AttributeData> networkAttributes,
        Compilation compilation,
        CancellationToken cancellationToken)
    {
        private readonly List<DiagnosticInfo> _diagnostics = [];

        // Set when an [Input] or [Dense] was found on another partial declaration (BP0009): the layer is
        // declared, only in the wrong place, so "no [Input]" or "no [Dense]" would repeat the error as noise.
        private bool _inputElsewhere;
        private bool _denseElsewhere;

        private string DisplayName => type.Name;

        public ParseResult Read()
        {
            TypeSpec? typeSpec = ReadType();
            cancellationToken.ThrowIfCancellationRequested();

            AttributeData network = networkAttributes[0];
            if (HasBindingErrors(network) || CountNetworkAttributes() > 1)
            {
                // The compiler already reports the user's error (a bad argument, or CS0579 for [Network]
                // on two partial declarations, which would otherwise generate the class twice).
                return Result(null);
            }

            (Loss loss, Precision precision)? header = ReadNetworkAttribute(network);
            (int Size, AttributeData Attribute)? input = null;
            var layers = new List<(LayerSpec Layer, AttributeData Attribute)>();
            if (!ReadLayerAttributes(ref input, layers))
            {
                return Result(null);
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
                CheckLayerActivations(h.loss, network, layers);
            }

            if (input is { } i && layers.Count > 0)
            {
                CheckParameterCount(i.Size, layers);
            }

            if (header is { } known)
            {
                CheckMemberNames(known.precision);
            }

            if (_diagnostics.Count > 0 || typeSpec is null || header is null || input is null)
            {
                return Result(null);
            }

            var spec = new NetworkSpec(
                typeSpec,
                header.Value.loss,
                header.Value.precision,
                input.Value.Size,
                layers.Select(l => l.Layer).ToEquatableArray());
            return Result(spec);
        }

        private ParseResult Result(NetworkSpec? spec) => new(spec, _diagnostics.ToEquatableArray());

        private void Report(DiagnosticDescriptor descriptor, Location location, params string[] arguments)
            => _diagnostics.Add(DiagnosticInfo.Create(descriptor, LocationInfo.From(location), arguments));

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

        private static bool IsNetworkAttribute(AttributeData attribute) => attribute.AttributeClass?.ToDisplayString() == NetworkAttributeName;

        private static bool HasBindingErrors(AttributeData attribute)
            => attribute.AttributeClass is null or IErrorTypeSymbol
               || attribute.AttributeConstructor is null
               || attribute.ConstructorArguments.Any(a => a.Kind == TypedConstantKind.Error)
               || attribute.NamedArguments.Any(a => a.Value.Kind == TypedConstantKind.Error);
    }
}
