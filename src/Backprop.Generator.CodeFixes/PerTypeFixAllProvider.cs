using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;

namespace Backprop.Generator.CodeFixes;

/// <summary>
/// Fix-all for fixes that change a whole type at once (move its layer attributes, add its [Network]): several
/// diagnostics of one type must give one change, not one per diagnostic merged into a conflict. The fix is applied
/// once per type, one type after another, each on the solution the previous one left.
/// </summary>
internal sealed class PerTypeFixAllProvider(Func<Solution, ProjectId, string, CancellationToken, Task<Solution>> fixType) : FixAllProvider
{
    public override async Task<CodeAction?> GetFixAsync(FixAllContext context)
    {
        var diagnostics = new List<(Project Project, Diagnostic Diagnostic)>();
        switch (context.Scope)
        {
            case FixAllScope.Document when context.Document is not null:
                diagnostics.AddRange((await context.GetDocumentDiagnosticsAsync(context.Document).ConfigureAwait(false)).Select(d => (context.Project, d)));
                break;
            case FixAllScope.Project:
                diagnostics.AddRange((await context.GetAllDiagnosticsAsync(context.Project).ConfigureAwait(false)).Select(d => (context.Project, d)));
                break;
            case FixAllScope.Solution:
                foreach (Project project in context.Solution.Projects)
                {
                    diagnostics.AddRange((await context.GetAllDiagnosticsAsync(project).ConfigureAwait(false)).Select(d => (project, d)));
                }

                break;
            default:
                return null;
        }

        var types = new List<(ProjectId Project, string MetadataName)>();
        foreach ((Project project, Diagnostic diagnostic) in diagnostics)
        {
            if (await TypeOfAsync(project, diagnostic, context.CancellationToken).ConfigureAwait(false) is { } name && !types.Contains((project.Id, name)))
            {
                types.Add((project.Id, name));
            }
        }

        return CodeAction.Create(
            context.CodeActionEquivalenceKey ?? "Fix all",
            async cancellationToken =>
            {
                Solution solution = context.Solution;
                foreach ((ProjectId project, string name) in types)
                {
                    solution = await fixType(solution, project, name, cancellationToken).ConfigureAwait(false);
                }

                return solution;
            },
            context.CodeActionEquivalenceKey);
    }

    /// <summary>The metadata name of the type whose declaration holds <paramref name="diagnostic"/>.</summary>
    public static async Task<string?> TypeOfAsync(Project project, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        if (diagnostic.Location.SourceTree is not { } tree || project.GetDocument(tree) is not { } document)
        {
            return null;
        }

        SyntaxNode root = await tree.GetRootAsync(cancellationToken).ConfigureAwait(false);
        SemanticModel? model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        return NetworkSyntax.DeclarationOf(root.FindNode(diagnostic.Location.SourceSpan)) is { } declaration
               && model?.GetDeclaredSymbol(declaration, cancellationToken) is INamedTypeSymbol type
            ? MetadataName(type)
            : null;
    }

    /// <summary><c>Namespace.Outer+Inner</c>, what <see cref="Compilation.GetTypeByMetadataName"/> finds the type by.</summary>
    public static string MetadataName(INamedTypeSymbol type)
        => type.ContainingType is { } outer
            ? MetadataName(outer) + "+" + type.MetadataName
            : type.ContainingNamespace.IsGlobalNamespace ? type.MetadataName : type.ContainingNamespace.ToDisplayString() + "." + type.MetadataName;

    /// <summary>The type <paramref name="metadataName"/> as <paramref name="solution"/> has it now.</summary>
    public static async Task<INamedTypeSymbol?> FindTypeAsync(Solution solution, ProjectId projectId, string metadataName, CancellationToken cancellationToken)
        => solution.GetProject(projectId) is { } project
           && await project.GetCompilationAsync(cancellationToken).ConfigureAwait(false) is { } compilation
            ? compilation.GetTypeByMetadataName(metadataName)
            : null;

    public override IEnumerable<FixAllScope> GetSupportedFixAllScopes()
        => ImmutableArray.Create(FixAllScope.Document, FixAllScope.Project, FixAllScope.Solution);
}
