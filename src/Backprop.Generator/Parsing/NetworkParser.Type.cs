using System.Collections.Generic;
using System.Linq;
using Backprop.Generator.Diagnostics;
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
        /// Checks that the network type and every type around it can be reopened as a partial type,
        /// and records where it lives. Returns null when it cannot be.
        /// </summary>
        private TypeSpec? ReadType()
        {
            Location identifier = declaration.Identifier.GetLocation();
            string? unsupported = DescribeUnsupportedNetworkType();
            if (unsupported is not null)
            {
                Report(DiagnosticDescriptors.UnsupportedNetworkType, identifier, DisplayName, unsupported);

                // A record or a generic class can still be reopened, for a stub; a struct, an interface, a static or a
                // file-local type cannot hold one.
                bool reopenable = declaration is ClassDeclarationSyntax or RecordDeclarationSyntax { ClassOrStructKeyword.RawKind: (int)SyntaxKind.None or (int)SyntaxKind.ClassKeyword }
                                  && !type.IsStatic
                                  && !IsFileLocal(declaration);
                if (!reopenable)
                {
                    return null;
                }
            }

            if (!IsPartial(declaration))
            {
                Report(DiagnosticDescriptors.NetworkTypeNotPartial, identifier, DisplayName);
                return null;
            }

            var containingTypes = new List<ContainingTypeSpec>();
            INamedTypeSymbol? outer = type.ContainingType;
            foreach (TypeDeclarationSyntax outerSyntax in declaration.Ancestors().OfType<TypeDeclarationSyntax>())
            {
                string? problem = DescribeUnsupportedContainingType(outer!, outerSyntax);
                if (problem is not null)
                {
                    Report(DiagnosticDescriptors.UnsupportedContainingType, identifier, DisplayName, outer!.ToDisplayString(), problem);
                    return null;
                }

                containingTypes.Insert(0, new ContainingTypeSpec(KeywordOf(outerSyntax), outerSyntax.Identifier.ValueText));
                outer = outer!.ContainingType;
            }

            string? ns = type.ContainingNamespace.IsGlobalNamespace ? null : NamespaceName(type.ContainingNamespace);
            string typeParameters = declaration.TypeParameterList is { } list
                ? "<" + string.Join(", ", list.Parameters.Select(p => p.Identifier.ValueText)) + ">"
                : "";
            var spec = new TypeSpec(ns, type.Name, containingTypes.ToEquatableArray(), KeywordOf(declaration), typeParameters);
            return HasCaseInsensitiveTwin(spec) ? null : spec;
        }

        private string? DescribeUnsupportedNetworkType()
        {
            if (declaration is not ClassDeclarationSyntax)
            {
                return declaration switch
                {
                    StructDeclarationSyntax => "a struct",
                    InterfaceDeclarationSyntax => "an interface",
                    RecordDeclarationSyntax record when record.ClassOrStructKeyword.IsKind(SyntaxKind.StructKeyword) => "a record struct",
                    _ when declaration.Keyword.IsKind(SyntaxKind.RecordKeyword) => "a record",
                    _ => $"a {declaration.Keyword.ValueText}",
                };
            }

            // Arity, not IsGenericType: IsGenericType is also true for a type nested in a generic one (that is BP0012).
            if (type.Arity > 0)
            {
                return "generic";
            }

            if (type.IsStatic)
            {
                return "static";
            }

            return IsFileLocal(declaration) ? "file-local (a 'file' type cannot be extended from another file)" : null;
        }

        private static string? DescribeUnsupportedContainingType(INamedTypeSymbol outer, TypeDeclarationSyntax syntax)
        {
            if (outer.Arity > 0)
            {
                return "generic";
            }

            if (IsFileLocal(syntax))
            {
                return "file-local";
            }

            return IsPartial(syntax) ? null : "not partial";
        }

        /// <summary>
        /// Generated file names are compared ignoring case, so of two networks whose full names differ only
        /// in case, the ordinal-first one generates and the other is BP0015.
        /// </summary>
        private bool HasCaseInsensitiveTwin(TypeSpec spec)
        {
            foreach (ISymbol symbol in compilation.GetSymbolsWithName(n => string.Equals(n, type.Name, System.StringComparison.OrdinalIgnoreCase), SymbolFilter.Type, cancellationToken))
            {
                if (symbol is not INamedTypeSymbol other
                    || SymbolEqualityComparer.Default.Equals(other, type)
                    || !other.GetAttributes().Any(IsNetworkAttribute))
                {
                    continue;
                }

                string otherName = FullNameOf(other);
                if (string.Equals(otherName, spec.FullName, System.StringComparison.OrdinalIgnoreCase)
                    && string.CompareOrdinal(otherName, spec.FullName) < 0)
                {
                    Report(DiagnosticDescriptors.GeneratedFileNameClash, declaration.Identifier.GetLocation(), DisplayName, spec.FullName + ".g.cs", otherName);
                    return true;
                }
            }

            return false;
        }

        /// <summary>Namespace, containing types and name as declared, without '@': what the file name is made of.</summary>
        private static string FullNameOf(INamedTypeSymbol symbol)
            => symbol.ContainingType is { } outer
                ? FullNameOf(outer) + "." + symbol.Name
                : symbol.ContainingNamespace.IsGlobalNamespace ? symbol.Name : NamespaceName(symbol.ContainingNamespace) + "." + symbol.Name;

        /// <summary>The namespace's names as declared, without '@' (the emitter escapes keywords itself).</summary>
        private static string NamespaceName(INamespaceSymbol ns)
            => ns.ContainingNamespace is { IsGlobalNamespace: false } parent ? NamespaceName(parent) + "." + ns.Name : ns.Name;

        private static bool IsPartial(TypeDeclarationSyntax syntax) => syntax.Modifiers.Any(SyntaxKind.PartialKeyword);

        // 'file' is compared as text: the generator builds against a Roslyn older than file-local types.
        private static bool IsFileLocal(TypeDeclarationSyntax syntax) => syntax.Modifiers.Any(m => m.ValueText == "file");

        private static string KeywordOf(TypeDeclarationSyntax syntax)
            => syntax switch
            {
                RecordDeclarationSyntax record when record.ClassOrStructKeyword.IsKind(SyntaxKind.StructKeyword) => "record struct",
                RecordDeclarationSyntax => "record",
                _ => syntax.Keyword.ValueText,
            };
    }
}
