using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Backprop.Generator.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Formatting;

namespace Backprop.Generator.CodeFixes;

/// <summary>
/// BP0009: moves every [Input] and [Dense] of the network that sits on another partial declaration onto the one
/// that carries [Network], after the layers already there, in file and source order; a declaration left without
/// attributes keeps its other members.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(MoveLayerAttributesCodeFixProvider)), Shared]
public sealed class MoveLayerAttributesCodeFixProvider : CodeFixProvider
{
    private const string Title = "Move the layer attributes onto the [Network] declaration";

    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticDescriptors.LayerOnOtherPartialDeclaration.Id);

    /// <inheritdoc/>
    public override FixAllProvider GetFixAllProvider() => new PerTypeFixAllProvider(MoveAsync);

    /// <inheritdoc/>
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        foreach (Diagnostic diagnostic in context.Diagnostics)
        {
            if (await PerTypeFixAllProvider.TypeOfAsync(context.Document.Project, diagnostic, context.CancellationToken).ConfigureAwait(false) is { } type)
            {
                ProjectId project = context.Document.Project.Id;
                context.RegisterCodeFix(
                    CodeAction.Create(Title, cancellationToken => MoveAsync(context.Document.Project.Solution, project, type, cancellationToken), Title),
                    diagnostic);
            }
        }
    }

    private static async Task<Solution> MoveAsync(Solution solution, ProjectId projectId, string metadataName, CancellationToken cancellationToken)
    {
        if (await PerTypeFixAllProvider.FindTypeAsync(solution, projectId, metadataName, cancellationToken).ConfigureAwait(false) is not { } type)
        {
            return solution;
        }

        ImmutableArray<AttributeData> attributes = type.GetAttributes();
        SyntaxReference? network = attributes
            .Where(a => a.AttributeClass?.ToDisplayString() == NetworkSyntax.NetworkAttribute)
            .Select(a => a.ApplicationSyntaxReference)
            .OfType<SyntaxReference>()
            .OrderBy(r => r.SyntaxTree.FilePath, StringComparer.Ordinal)
            .ThenBy(r => r.Span.Start)
            .FirstOrDefault();
        if (network is null
            || NetworkSyntax.DeclarationOf(await network.GetSyntaxAsync(cancellationToken).ConfigureAwait(false)) is not { } target)
        {
            return solution;
        }

        var moved = new List<AttributeSyntax>();
        foreach (AttributeData attribute in attributes)
        {
            string? name = attribute.AttributeClass?.ToDisplayString();
            if ((name == NetworkSyntax.InputAttribute || name == NetworkSyntax.DenseAttribute)
                && attribute.ApplicationSyntaxReference is { } reference
                && (reference.SyntaxTree != target.SyntaxTree || !target.Span.Contains(reference.Span))
                && await reference.GetSyntaxAsync(cancellationToken).ConfigureAwait(false) is AttributeSyntax syntax)
            {
                moved.Add(syntax);
            }
        }

        if (moved.Count == 0)
        {
            return solution;
        }

        moved.Sort((x, y) => string.CompareOrdinal(x.SyntaxTree.FilePath, y.SyntaxTree.FilePath) is var byFile and not 0 ? byFile : x.SpanStart.CompareTo(y.SpanStart));
        var editor = new SolutionEditor(solution);
        foreach (AttributeSyntax attribute in moved)
        {
            DocumentEditor source = await editor.GetDocumentEditorAsync(solution.GetDocumentId(attribute.SyntaxTree)!, cancellationToken).ConfigureAwait(false);
            var list = (AttributeListSyntax)attribute.Parent!;
            source.RemoveNode(
                list.Attributes.All(moved.Contains) ? list : attribute,
                SyntaxRemoveOptions.KeepLeadingTrivia | SyntaxRemoveOptions.KeepDirectives);
        }

        AttributeListSyntax[] lists =
        [
            .. moved.Select(a => SyntaxFactory.AttributeList(SyntaxFactory.SingletonSeparatedList(a.WithoutTrivia())).WithAdditionalAnnotations(Formatter.Annotation)),
        ];
        DocumentEditor destination = await editor.GetDocumentEditorAsync(solution.GetDocumentId(target.SyntaxTree)!, cancellationToken).ConfigureAwait(false);
        destination.ReplaceNode(target, (current, _) => InsertAfterLayers((TypeDeclarationSyntax)current, lists));
        return editor.GetChangedSolution();
    }

    /// <summary>The lists appended after the declaration's last attribute list, each on a line of its own at its indentation.</summary>
    private static TypeDeclarationSyntax InsertAfterLayers(TypeDeclarationSyntax declaration, AttributeListSyntax[] lists)
    {
        SyntaxTriviaList indentation = declaration.AttributeLists.Count > 0
            ? SyntaxFactory.TriviaList(declaration.AttributeLists[declaration.AttributeLists.Count - 1].GetLeadingTrivia().Where(t => t.IsKind(SyntaxKind.WhitespaceTrivia)))
            : SyntaxFactory.TriviaList();
        SyntaxTrivia newLine = declaration.DescendantTrivia().FirstOrDefault(t => t.IsKind(SyntaxKind.EndOfLineTrivia)) is { } eol && eol.IsKind(SyntaxKind.EndOfLineTrivia)
            ? eol
            : SyntaxFactory.ElasticCarriageReturnLineFeed;
        IEnumerable<AttributeListSyntax> placed = lists.Select(l => l.WithLeadingTrivia(indentation).WithTrailingTrivia(newLine));
        return declaration.WithAttributeLists(declaration.AttributeLists.AddRange(placed));
    }
}
