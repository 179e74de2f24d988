using System.Collections.Immutable;
using System.Linq;
using Backprop.Generator.Parsing;
using Backprop.Generator.Weights;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Backprop.Generator.Diagnostics;

/// <summary>
/// Reports what is wrong with a network declaration, at its place in the user's syntax tree: the squiggle under
/// the attribute or argument, <c>#line</c> mappings, <c>#pragma</c>, <c>[SuppressMessage]</c>, <c>.editorconfig</c>
/// severities and code fixes all apply. It reads each declaration with the generator's own
/// <see cref="NetworkParser"/>, so the two never disagree on what is valid; the generator reports nothing itself.
/// </summary>
[DiagnosticAnalyzer(Microsoft.CodeAnalysis.LanguageNames.CSharp)]
public sealed class NetworkDeclarationAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        DiagnosticDescriptors.NetworkTypeNotPartial,
        DiagnosticDescriptors.MissingInput,
        DiagnosticDescriptors.MissingDenseLayer,
        DiagnosticDescriptors.InvalidSize,
        DiagnosticDescriptors.TooManyParameters,
        DiagnosticDescriptors.SoftmaxOnHiddenLayer,
        DiagnosticDescriptors.CrossEntropyWithoutSoftmax,
        DiagnosticDescriptors.BinaryCrossEntropyWithoutSigmoid,
        DiagnosticDescriptors.LayerOnOtherPartialDeclaration,
        DiagnosticDescriptors.UndefinedEnumValue,
        DiagnosticDescriptors.MemberNameConflict,
        DiagnosticDescriptors.UnsupportedContainingType,
        DiagnosticDescriptors.UnsupportedNetworkType,
        DiagnosticDescriptors.GeneratedFileNameClash,
        DiagnosticDescriptors.TooManyNeurons,
        DiagnosticDescriptors.LayerWithoutNetwork,
        DiagnosticDescriptors.ArgumentShadowedByGeneratedMember,
        DiagnosticDescriptors.BaseTypeHasGeneratedMember,
        DiagnosticDescriptors.WeightsFileNotFound,
        DiagnosticDescriptors.WeightsFileAmbiguous,
        DiagnosticDescriptors.WeightsFileUnsupportedExtension,
        DiagnosticDescriptors.WeightsFileUnreadable,
        DiagnosticDescriptors.WeightsPrecisionMismatch,
        DiagnosticDescriptors.WeightsArchitectureMismatch,
        DiagnosticDescriptors.WeightsNotFinite);

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            INamedTypeSymbol? network = start.Compilation.GetTypeByMetadataName(NetworkParser.NetworkAttributeName);
            INamedTypeSymbol? input = start.Compilation.GetTypeByMetadataName(NetworkParser.InputAttributeName);
            INamedTypeSymbol? dense = start.Compilation.GetTypeByMetadataName(NetworkParser.DenseAttributeName);
            if (network is null || input is null || dense is null)
            {
                return; // Backprop is not referenced: nothing to analyze.
            }

            start.RegisterSymbolAction(symbol => AnalyzeType(symbol, network, input, dense), SymbolKind.NamedType);
        });
    }

    private static void AnalyzeType(SymbolAnalysisContext context, INamedTypeSymbol network, INamedTypeSymbol input, INamedTypeSymbol dense)
    {
        var type = (INamedTypeSymbol)context.Symbol;
        ImmutableArray<AttributeData> attributes = type.GetAttributes();
        AttributeData[] networkAttributes = [.. attributes.Where(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, network))];
        if (networkAttributes.Length == 0)
        {
            ReportLayersWithoutNetwork(context, type, attributes, input, dense);
            return;
        }

        // The declaration that carries the first [Network] (a second one is the compiler's CS0579).
        AttributeData first = networkAttributes
            .Where(a => a.ApplicationSyntaxReference is not null)
            .OrderBy(a => a.ApplicationSyntaxReference!.SyntaxTree.FilePath, System.StringComparer.Ordinal)
            .ThenBy(a => a.ApplicationSyntaxReference!.Span.Start)
            .FirstOrDefault()
            ?? networkAttributes[0];
        if (first.ApplicationSyntaxReference?.GetSyntax(context.CancellationToken).FirstAncestorOrSelf<TypeDeclarationSyntax>() is not { } declaration)
        {
            return;
        }

        ImmutableArray<AttributeData> onDeclaration = networkAttributes
            .Where(a => a.ApplicationSyntaxReference is { } reference
                        && reference.SyntaxTree == declaration.SyntaxTree
                        && declaration.Span.Contains(reference.Span))
            .ToImmutableArray();
        NetworkReading reading;
        try
        {
            reading = NetworkParser.Read(type, declaration, onDeclaration, context.Compilation, context.CancellationToken);
        }
        catch (System.Exception exception) when (exception is not System.OperationCanceledException)
        {
            // The generator meets the same failure and reports it as BP0014; an analyzer that threw would only add
            // AD0001 beside it.
            return;
        }

        foreach (Diagnostic diagnostic in reading.Diagnostics)
        {
            context.ReportDiagnostic(diagnostic);
        }

        // A weights file is checked against a declaration without other errors; BP0011 aside, which the generated members
        // themselves raise here, after generation, in generated code (dropped there; a real one is independent of the file).
        if (reading.DeclaredSpec is { Weights: { } weights } spec
            && reading.WeightsLocation is { } location
            && !reading.Diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error && d.Descriptor != DiagnosticDescriptors.MemberNameConflict))
        {
            // The same reading of the same file as the generator's, which compiles the weights in or stubs the network.
            WeightsOutcome outcome = WeightsFile.Resolve(
                WeightsTarget.Of(spec, weights),
                WeightsFile.From(context.Options, context.CancellationToken),
                context.CancellationToken);
            if (outcome.Problem is { } problem)
            {
                context.ReportDiagnostic(problem.ToDiagnostic(location, type.Name));
            }
        }
    }

    /// <summary>BP0017 on every [Input] and [Dense] of a type without [Network]: the generator never reads them.</summary>
    private static void ReportLayersWithoutNetwork(
        SymbolAnalysisContext context,
        INamedTypeSymbol type,
        ImmutableArray<AttributeData> attributes,
        INamedTypeSymbol input,
        INamedTypeSymbol dense)
    {
        foreach (AttributeData attribute in attributes)
        {
            bool isInput = SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, input);
            if ((isInput || SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, dense))
                && attribute.ApplicationSyntaxReference?.GetSyntax(context.CancellationToken) is { } syntax)
            {
                context.ReportDiagnostic(Diagnostic.Create(
                    DiagnosticDescriptors.LayerWithoutNetwork,
                    syntax.GetLocation(),
                    type.Name,
                    isInput ? "Input" : "Dense"));
            }
        }
    }
}
