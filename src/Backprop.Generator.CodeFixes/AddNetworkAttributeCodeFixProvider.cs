using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Backprop.Generator.Definitions;
using Backprop.Generator.Diagnostics;
using Backprop.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Backprop.Generator.CodeFixes;

/// <summary>
/// BP0017: adds <c>[Network(Loss.…)]</c> before the layer attributes, with the loss the output layer implies:
/// the one its activation is fused with, the mean squared error otherwise.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(AddNetworkAttributeCodeFixProvider)), Shared]
public sealed class AddNetworkAttributeCodeFixProvider : CodeFixProvider
{
    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticDescriptors.LayerWithoutNetwork.Id);

    /// <inheritdoc/>
    public override FixAllProvider GetFixAllProvider() => new PerTypeFixAllProvider(AddAsync);

    /// <inheritdoc/>
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        foreach (Diagnostic diagnostic in context.Diagnostics)
        {
            if (await PerTypeFixAllProvider.TypeOfAsync(context.Document.Project, diagnostic, context.CancellationToken).ConfigureAwait(false) is not { } type
                || await PerTypeFixAllProvider.FindTypeAsync(context.Document.Project.Solution, context.Document.Project.Id, type, context.CancellationToken).ConfigureAwait(false) is not { } symbol)
            {
                continue;
            }

            ProjectId project = context.Document.Project.Id;
            context.RegisterCodeFix(
                CodeAction.Create(
                    $"Add [Network(Loss.{LossFor(symbol)})]",
                    cancellationToken => AddAsync(context.Document.Project.Solution, project, type, cancellationToken),
                    nameof(DiagnosticDescriptors.LayerWithoutNetwork)),
                diagnostic);
        }
    }

    private static async Task<Solution> AddAsync(Solution solution, ProjectId projectId, string metadataName, CancellationToken cancellationToken)
    {
        if (await PerTypeFixAllProvider.FindTypeAsync(solution, projectId, metadataName, cancellationToken).ConfigureAwait(false) is not { } type
            || type.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == NetworkSyntax.NetworkAttribute)
            || LayerAttributes(type).FirstOrDefault()?.ApplicationSyntaxReference is not { } first
            || NetworkSyntax.DeclarationOf(await first.GetSyntaxAsync(cancellationToken).ConfigureAwait(false)) is not { } declaration
            || solution.GetDocument(declaration.SyntaxTree) is not { } document)
        {
            return solution;
        }

        AttributeListSyntax network = SyntaxFactory.AttributeList(SyntaxFactory.SingletonSeparatedList(
            SyntaxFactory.Attribute(
                SyntaxFactory.IdentifierName("Network"),
                SyntaxFactory.AttributeArgumentList(SyntaxFactory.SingletonSeparatedList(SyntaxFactory.AttributeArgument(
                    SyntaxFactory.MemberAccessExpression(
                        SyntaxKind.SimpleMemberAccessExpression,
                        SyntaxFactory.IdentifierName("Loss"),
                        SyntaxFactory.IdentifierName(LossFor(type)))))))));

        // The new list takes the first list's leading trivia (a doc comment stays above everything); that list keeps
        // its indentation and moves to the next line.
        AttributeListSyntax firstList = declaration.AttributeLists[0];
        SyntaxTriviaList leading = firstList.GetLeadingTrivia();
        SyntaxTriviaList indentation = SyntaxFactory.TriviaList(leading.Reverse().TakeWhile(t => t.IsKind(SyntaxKind.WhitespaceTrivia)).Reverse());
        SyntaxTrivia newLine = declaration.DescendantTrivia().FirstOrDefault(t => t.IsKind(SyntaxKind.EndOfLineTrivia)) is { } eol && eol.IsKind(SyntaxKind.EndOfLineTrivia)
            ? eol
            : SyntaxFactory.CarriageReturnLineFeed;
        TypeDeclarationSyntax withNetwork = declaration.WithAttributeLists(
            declaration.AttributeLists
                .Replace(firstList, firstList.WithLeadingTrivia(indentation))
                .Insert(0, network.WithLeadingTrivia(leading).WithTrailingTrivia(newLine)));

        SyntaxNode root = (await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false))!;
        return solution.WithDocumentSyntaxRoot(document.Id, root.ReplaceNode(declaration, withNetwork));
    }

    private static IOrderedEnumerable<AttributeData> LayerAttributes(INamedTypeSymbol type)
        => type.GetAttributes()
            .Where(a => a.AttributeClass?.ToDisplayString() is NetworkSyntax.InputAttribute or NetworkSyntax.DenseAttribute && a.ApplicationSyntaxReference is not null)
            .OrderBy(a => a.ApplicationSyntaxReference!.SyntaxTree.FilePath, System.StringComparer.Ordinal)
            .ThenBy(a => a.ApplicationSyntaxReference!.Span.Start);

    /// <summary>
    /// The loss the output layer (the last [Dense]) implies: the one its activation is fused with, by the loss
    /// definitions (cross-entropy for softmax, binary cross-entropy for sigmoid); the mean squared error otherwise.
    /// </summary>
    private static string LossFor(INamedTypeSymbol type)
    {
        AttributeData? output = LayerAttributes(type).LastOrDefault(a => a.AttributeClass?.ToDisplayString() == NetworkSyntax.DenseAttribute);
        return output?.ConstructorArguments.ElementAtOrDefault(1).Value is int activation
               && LossDefinition.All.FirstOrDefault(l => l.Fused is { } fused && (int)fused.Activation == activation) is { } fusedLoss
            ? fusedLoss.Name
            : nameof(Loss.MeanSquaredError);
    }
}
