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
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Backprop.Generator.CodeFixes;

/// <summary>
/// The fixes that change an activation or a loss so they fit together:
/// BP0006 (softmax on a hidden layer) → Tanh or ReLU on that layer;
/// BP0007 (cross-entropy without softmax) → a Softmax output layer, or, for one output, Sigmoid with BinaryCrossEntropy;
/// BP0008 (binary cross-entropy without sigmoid) → a Sigmoid output layer.
/// </summary>
[ExportCodeFixProvider(Microsoft.CodeAnalysis.LanguageNames.CSharp, Name = nameof(ActivationCodeFixProvider)), Shared]
public sealed class ActivationCodeFixProvider : CodeFixProvider
{
    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(
        DiagnosticDescriptors.SoftmaxOnHiddenLayer.Id,
        DiagnosticDescriptors.CrossEntropyWithoutSoftmax.Id,
        DiagnosticDescriptors.BinaryCrossEntropyWithoutSigmoid.Id);

    /// <inheritdoc/>
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc/>
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        SyntaxNode? root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        SemanticModel? model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || model is null || root.FindNode(context.Span, getInnermostNodeForTie: true) is not { } node)
        {
            return;
        }

        foreach (Diagnostic diagnostic in context.Diagnostics)
        {
            if (diagnostic.Id == DiagnosticDescriptors.SoftmaxOnHiddenLayer.Id)
            {
                if (node.FirstAncestorOrSelf<AttributeSyntax>() is { } hidden && NetworkSyntax.Argument(hidden, 1) is { } activation)
                {
                    foreach (string replacement in new[] { nameof(Activation.Tanh), nameof(Activation.ReLU) })
                    {
                        Register(context, diagnostic, $"Use Activation.{replacement} on this hidden layer", nameof(DiagnosticDescriptors.SoftmaxOnHiddenLayer) + replacement, (activation, "Activation", replacement));
                    }
                }

                continue;
            }

            // BP0007 and BP0008 are on the loss argument of [Network]; the fix changes the last [Dense].
            if (node.FirstAncestorOrSelf<AttributeSyntax>() is not { } network
                || NetworkSyntax.DeclarationOf(network) is not { } declaration
                || NetworkSyntax.AttributesOf(declaration, model, NetworkSyntax.DenseAttribute, context.CancellationToken).LastOrDefault() is not { } output
                || NetworkSyntax.Argument(output, 1) is not { } outputActivation)
            {
                continue;
            }

            // The activation the loss is fused with, from its definition: Softmax for CrossEntropy, Sigmoid for
            // BinaryCrossEntropy.
            if (LossDefinition.All.FirstOrDefault(l => l.Fused?.MissingActivation.Id == diagnostic.Id) is not { Fused: { } fused })
            {
                continue;
            }

            string required = fused.Activation.ToString();
            Register(context, diagnostic, $"Make the output layer Activation.{required}", diagnostic.Id, (outputActivation, "Activation", required));
            if (fused.Activation == Activation.Softmax
                && NetworkSyntax.Argument(output, 0) is { } size
                && model.GetConstantValue(size.Expression, context.CancellationToken) is { HasValue: true, Value: 1 }
                && NetworkSyntax.Argument(network, 0) is { } loss
                && LossDefinition.All.FirstOrDefault(l => l.Fused?.Activation == Activation.Sigmoid) is { } binary)
            {
                // One output: softmax of one value is always 1, so what the user means is a sigmoid and its loss.
                Register(
                    context,
                    diagnostic,
                    $"Use Activation.{Activation.Sigmoid} with Loss.{binary.Name} (one output)",
                    diagnostic.Id + binary.Name,
                    (outputActivation, "Activation", Activation.Sigmoid.ToString()),
                    (loss, "Loss", binary.Name));
            }
        }
    }

    private static void Register(
        CodeFixContext context,
        Diagnostic diagnostic,
        string title,
        string equivalenceKey,
        params (AttributeArgumentSyntax Argument, string Enum, string Member)[] changes)
        => context.RegisterCodeFix(
            CodeAction.Create(title, cancellationToken => ReplaceAsync(context.Document, changes, cancellationToken), equivalenceKey),
            diagnostic);

    private static async Task<Document> ReplaceAsync(
        Document document,
        (AttributeArgumentSyntax Argument, string Enum, string Member)[] changes,
        CancellationToken cancellationToken)
    {
        SyntaxNode root = (await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false))!;
        SyntaxNode fixedRoot = root.ReplaceNodes(
            changes.Select(c => c.Argument.Expression),
            (original, _) =>
            {
                (AttributeArgumentSyntax _, string enumName, string member) = changes.First(c => c.Argument.Expression == original);
                return NetworkSyntax.WithEnumMember(original, enumName, member);
            });
        return document.WithSyntaxRoot(fixedRoot);
    }
}
