using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Backprop.Generator.CodeFixes;

/// <summary>What the code fixes read and write in a network declaration: its attributes and their enum arguments.</summary>
internal static class NetworkSyntax
{
    public const string NetworkAttribute = "Backprop.NetworkAttribute";
    public const string InputAttribute = "Backprop.InputAttribute";
    public const string DenseAttribute = "Backprop.DenseAttribute";

    /// <summary>The full name of the attribute's class, as bound (null when it does not bind).</summary>
    public static string? AttributeName(SemanticModel model, AttributeSyntax attribute, CancellationToken cancellationToken)
        => (model.GetSymbolInfo(attribute, cancellationToken).Symbol as IMethodSymbol)?.ContainingType.ToDisplayString();

    /// <summary>The attributes of <paramref name="declaration"/> whose class is <paramref name="metadataName"/>, in source order.</summary>
    public static IEnumerable<AttributeSyntax> AttributesOf(TypeDeclarationSyntax declaration, SemanticModel model, string metadataName, CancellationToken cancellationToken)
        => declaration.AttributeLists
            .SelectMany(list => list.Attributes)
            .Where(attribute => AttributeName(model, attribute, cancellationToken) == metadataName);

    /// <summary>The positional argument at <paramref name="position"/>, or null.</summary>
    public static AttributeArgumentSyntax? Argument(AttributeSyntax attribute, int position)
        => attribute.ArgumentList is { } list && position < list.Arguments.Count && list.Arguments[position].NameEquals is null
            ? list.Arguments[position]
            : null;

    /// <summary>
    /// <paramref name="existing"/> made to name <paramref name="member"/> of the same enum, in the user's own style:
    /// <c>Activation.Sigmoid</c> becomes <c>Activation.Softmax</c>, a bare <c>Sigmoid</c> (using static) becomes
    /// <c>Softmax</c>, anything else (a cast) <c>EnumName.Member</c>.
    /// </summary>
    public static ExpressionSyntax WithEnumMember(ExpressionSyntax existing, string enumName, string member)
    {
        ExpressionSyntax replacement = existing switch
        {
            MemberAccessExpressionSyntax access => access.WithName(SyntaxFactory.IdentifierName(member)),
            IdentifierNameSyntax => SyntaxFactory.IdentifierName(member),
            _ => SyntaxFactory.MemberAccessExpression(
                SyntaxKind.SimpleMemberAccessExpression,
                SyntaxFactory.IdentifierName(enumName),
                SyntaxFactory.IdentifierName(member)),
        };
        return replacement.WithTriviaFrom(existing);
    }

    /// <summary>The declaration that contains <paramref name="node"/>.</summary>
    public static TypeDeclarationSyntax? DeclarationOf(SyntaxNode node) => node.FirstAncestorOrSelf<TypeDeclarationSyntax>();
}
