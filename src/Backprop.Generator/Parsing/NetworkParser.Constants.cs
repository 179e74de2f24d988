using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Backprop.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Backprop.Generator.Parsing;

internal static partial class NetworkParser
{
    private sealed partial class Reader
    {
        /// <summary>
        /// The arguments of an <c>[Input(size)]</c> or <c>[Dense(size, activation)]</c>: the size and the activation's
        /// value (0 for [Input]), or null when they do not bind. A size may name another network's generated constant
        /// (<c>[Input(Encoder.OutputCount)]</c>, <c>[Dense(Outer.InputCount, …)]</c> in a network nested in another),
        /// which does not exist while the generator runs: such a size is computed from that network's own declaration.
        /// An unqualified <c>OutputCount</c> names the network's own constant, as C# binds it, so it is not one.
        /// </summary>
        private (int Size, int Activation)? ReadLayerArguments(AttributeData attribute, bool isInput)
        {
            int count = isInput ? 1 : 2;
            if (attribute.AttributeClass is null or IErrorTypeSymbol)
            {
                return null;
            }

            if (!HasBindingErrors(attribute) && attribute.ConstructorArguments.Length == count)
            {
                return (
                    attribute.ConstructorArguments[0].Value is int size ? size : 0,
                    isInput ? 0 : attribute.ConstructorArguments[1].Value is int activation ? activation : -1);
            }

            if (attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) is not AttributeSyntax { ArgumentList: { } list }
                || list.Arguments.Count != count
                || list.Arguments.Any(a => a.NameEquals is not null || a.NameColon is not null))
            {
                return null;
            }

            // Only the size can be what does not bind yet: a size the compiler can already evaluate, or an activation
            // that is not an Activation, is the user's own error.
            SemanticModel model = compilation.GetSemanticModel(list.SyntaxTree);
            ExpressionSyntax sizeExpression = list.Arguments[0].Expression;
            if (model.GetConstantValue(sizeExpression, cancellationToken).HasValue || EvaluateSize(sizeExpression, model) is not { } evaluated)
            {
                return null;
            }

            if (isInput)
            {
                return (evaluated, 0);
            }

            ExpressionSyntax activationExpression = list.Arguments[1].Expression;
            return model.GetTypeInfo(activationExpression, cancellationToken).Type?.ToDisplayString() == ActivationEnumName
                   && model.GetConstantValue(activationExpression, cancellationToken).Value is int value
                ? (evaluated, value)
                : null;
        }

        /// <summary>
        /// An int constant expression, where a name may be a network's generated <c>InputCount</c>, <c>OutputCount</c>
        /// or <c>ParameterCount</c>; null when it is not one (the compiler then reports the user's error).
        /// </summary>
        private int? EvaluateSize(ExpressionSyntax expression, SemanticModel model)
        {
            if (model.GetConstantValue(expression, cancellationToken) is { HasValue: true, Value: int constant })
            {
                return constant;
            }

            long? value = expression switch
            {
                ParenthesizedExpressionSyntax parenthesized => EvaluateSize(parenthesized.Expression, model),
                CastExpressionSyntax cast when model.GetTypeInfo(cast.Type, cancellationToken).Type?.SpecialType == SpecialType.System_Int32
                    => EvaluateSize(cast.Expression, model),
                PrefixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.UnaryMinusExpression } negated => -EvaluateSize(negated.Operand, model),
                PrefixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.UnaryPlusExpression } plus => EvaluateSize(plus.Operand, model),
                BinaryExpressionSyntax binary => EvaluateBinary(binary, model),
                MemberAccessExpressionSyntax access when IsCount(access.Name.Identifier.ValueText)
                    => GeneratedCount(model.GetSymbolInfo(access.Expression, cancellationToken).Symbol as INamedTypeSymbol, access.Name.Identifier.ValueText),
                _ => null,
            };
            return value is { } v && v >= int.MinValue && v <= int.MaxValue ? (int)v : null;
        }

        private long? EvaluateBinary(BinaryExpressionSyntax binary, SemanticModel model)
        {
            if (EvaluateSize(binary.Left, model) is not { } left || EvaluateSize(binary.Right, model) is not { } right)
            {
                return null;
            }

            return binary.Kind() switch
            {
                SyntaxKind.AddExpression => (long)left + right,
                SyntaxKind.SubtractExpression => (long)left - right,
                SyntaxKind.MultiplyExpression => (long)left * right,
                SyntaxKind.DivideExpression when right != 0 => left / right,
                SyntaxKind.ModuloExpression when right != 0 => left % right,
                _ => null,
            };
        }

        private static bool IsCount(string name)
            => name is GeneratedMembers.InputCount or GeneratedMembers.OutputCount or GeneratedMembers.ParameterCount;

        /// <summary>
        /// The value <paramref name="network"/>'s generated constant <paramref name="count"/> will have: read from its
        /// declaration as the generator reads it, or null when it is not a valid network or refers back to this one.
        /// </summary>
        private long? GeneratedCount(INamedTypeSymbol? network, string count)
        {
            if (network is null
                || SymbolEqualityComparer.Default.Equals(network, type)
                || resolving.Contains(network)
                || network.GetAttributes().FirstOrDefault(IsNetworkAttribute)?.ApplicationSyntaxReference is not { } reference
                || reference.GetSyntax(cancellationToken).FirstAncestorOrSelf<TypeDeclarationSyntax>() is not { } other)
            {
                return null;
            }

            ImmutableArray<AttributeData> attributes = network.GetAttributes()
                .Where(a => IsNetworkAttribute(a) && a.ApplicationSyntaxReference is { } r && r.SyntaxTree == other.SyntaxTree && other.Span.Contains(r.Span))
                .ToImmutableArray();
            NetworkSpec? spec = new Reader(network, other, attributes, compilation, cancellationToken, resolving.Add(type)).Read().Spec;
            if (spec is null)
            {
                return null;
            }

            return count switch
            {
                GeneratedMembers.InputCount => spec.InputSize,
                GeneratedMembers.OutputCount => spec.OutputCount,
                _ => spec.ParameterCount,
            };
        }
    }
}
