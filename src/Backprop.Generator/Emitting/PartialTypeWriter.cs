using System;
using System.Collections.Generic;
using System.Linq;
using Backprop.Generator.Model;
using Microsoft.CodeAnalysis.CSharp;

namespace Backprop.Generator.Emitting;

/// <summary>Reopens a network's partial type, inside its namespace and containing types, for a generated file.</summary>
internal static class PartialTypeWriter
{
    /// <summary>
    /// Writes the namespace and containing-type blocks around <c>[GeneratedCode] partial class Name : baseList</c>,
    /// with <paramref name="writeMembers"/> inside.
    /// </summary>
    public static void Write(IndentedWriter writer, TypeSpec type, string baseList, string generatorVersion, Action writeMembers)
    {
        if (IsLowerCase(type.Name) || type.ContainingTypes.Any(t => IsLowerCase(t.Name)))
        {
            // The user's own declaration carries this warning; a second one in code they cannot edit would not help.
            writer.WriteLine("#pragma warning disable CS8981 // a type name in lower-case letters only, as the user declared it");
            writer.WriteBlankLine();
        }

        var blocks = new List<IndentedWriter.Block>();
        if (type.Namespace is { } ns)
        {
            blocks.Add(writer.WriteBlock($"namespace {string.Join(".", ns.Split('.').Select(Identifier))}"));
        }

        foreach (ContainingTypeSpec containing in type.ContainingTypes)
        {
            blocks.Add(writer.WriteBlock($"partial {containing.Keyword} {Identifier(containing.Name)}"));
        }

        writer.WriteLine($"[global::System.CodeDom.Compiler.GeneratedCode(\"Backprop.Generator\", \"{generatorVersion}\")]");
        using (writer.WriteBlock($"partial {type.Keyword} {Identifier(type.Name)}{type.TypeParameters} : {baseList}"))
        {
            writeMembers();
        }

        for (int i = blocks.Count - 1; i >= 0; i--)
        {
            blocks[i].Dispose();
        }
    }

    /// <summary>What CS8981 warns about: a type name of lower-case ASCII letters only.</summary>
    private static bool IsLowerCase(string name) => name.All(c => c is >= 'a' and <= 'z');

    /// <summary>A name as C# source: '@' before a reserved keyword (a namespace or class named <c>@class</c>).</summary>
    public static string Identifier(string name)
        => SyntaxFacts.GetKeywordKind(name) == SyntaxKind.None ? name : "@" + name;
}
