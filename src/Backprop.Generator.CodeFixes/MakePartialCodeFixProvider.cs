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

namespace Backprop.Generator.CodeFixes;

/// <summary>
/// BP0001: adds <c>partial</c> to the network class. BP0012: adds it to every containing type that lacks it, when
/// that is what stands in the way (not a generic or file-local containing type, which no modifier fixes).
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(MakePartialCodeFixProvider)), Shared]
public sealed class MakePartialCodeFixProvider : CodeFixProvider
{
    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(DiagnosticDescriptors.NetworkTypeNotPartial.Id, DiagnosticDescriptors.UnsupportedContainingType.Id);

    /// <inheritdoc/>
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc/>
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        SyntaxNode? root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root?.FindToken(context.Span.Start).Parent is not { } node || NetworkSyntax.DeclarationOf(node) is not { } network)
        {
            return;
        }

        foreach (Diagnostic diagnostic in context.Diagnostics)
        {
            if (diagnostic.Id == DiagnosticDescriptors.NetworkTypeNotPartial.Id)
            {
                context.RegisterCodeFix(
                    CodeAction.Create(
                        $"Make '{network.Identifier.ValueText}' partial",
                        cancellationToken => MakePartialAsync(context.Document, [network], cancellationToken),
                        equivalenceKey: nameof(DiagnosticDescriptors.NetworkTypeNotPartial)),
                    diagnostic);
                continue;
            }

            TypeDeclarationSyntax[] containing = [.. network.Ancestors().OfType<TypeDeclarationSyntax>()];
            bool onlyPartialIsMissing = containing.All(t => t.TypeParameterList is null && !t.Modifiers.Any(m => m.ValueText == "file"));
            TypeDeclarationSyntax[] notPartial = [.. containing.Where(t => !t.Modifiers.Any(SyntaxKind.PartialKeyword))];
            if (onlyPartialIsMissing && notPartial.Length > 0)
            {
                context.RegisterCodeFix(
                    CodeAction.Create(
                        notPartial.Length == 1
                            ? $"Make '{notPartial[0].Identifier.ValueText}' partial"
                            : $"Make the containing types {string.Join(", ", notPartial.Select(t => $"'{t.Identifier.ValueText}'"))} partial",
                        cancellationToken => MakePartialAsync(context.Document, notPartial, cancellationToken),
                        equivalenceKey: nameof(DiagnosticDescriptors.UnsupportedContainingType)),
                    diagnostic);
            }
        }
    }

    private static async Task<Document> MakePartialAsync(Document document, TypeDeclarationSyntax[] declarations, CancellationToken cancellationToken)
    {
        SyntaxNode root = (await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false))!;
        return document.WithSyntaxRoot(root.ReplaceNodes(declarations, (original, rewritten) => AddPartial(rewritten)));
    }

    /// <summary>
    /// <c>partial</c> as the last modifier, where C# requires it (right before <c>class</c>); with no modifiers, it
    /// takes over the leading trivia of the keyword it now precedes.
    /// </summary>
    private static TypeDeclarationSyntax AddPartial(TypeDeclarationSyntax declaration)
    {
        if (declaration.Modifiers.Any(SyntaxKind.PartialKeyword))
        {
            return declaration;
        }

        SyntaxToken partial = SyntaxFactory.Token(SyntaxKind.PartialKeyword).WithTrailingTrivia(SyntaxFactory.Space);
        if (declaration.Modifiers.Count == 0)
        {
            SyntaxToken keyword = declaration.Keyword;
            return declaration
                .WithKeyword(keyword.WithLeadingTrivia())
                .WithModifiers(SyntaxFactory.TokenList(partial.WithLeadingTrivia(keyword.LeadingTrivia)));
        }

        return declaration.WithModifiers(declaration.Modifiers.Add(partial));
    }
}
