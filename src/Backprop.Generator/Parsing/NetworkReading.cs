using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Backprop.Generator.Model;
using Microsoft.CodeAnalysis;

namespace Backprop.Generator.Parsing;

/// <summary>
/// Everything read from one <c>[Network]</c> declaration: the spec when it is valid, the diagnostics at their places
/// in the user's syntax tree (for the analyzer), and what a stub standing in for an invalid declaration needs.
/// Holds syntax through its diagnostics, so it never leaves the step that made it.
/// </summary>
internal sealed class NetworkReading(
    NetworkSpec? spec,
    TypeSpec? type,
    Precision precision,
    IReadOnlyList<Diagnostic> diagnostics,
    EquatableArray<string> takenMembers,
    Location? weightsLocation = null,
    NetworkSpec? declaredSpec = null)
{
    /// <summary>The network, or null when the declaration has an error (reported here or by the compiler).</summary>
    public NetworkSpec? Spec { get; } = spec;

    /// <summary>Where the type is declared, or null when it cannot be reopened as a partial type (no stub either).</summary>
    public TypeSpec? Type { get; } = type;

    /// <summary>The declared precision, or single when it cannot be read.</summary>
    public Precision Precision { get; } = precision;

    public IReadOnlyList<Diagnostic> Diagnostics { get; } = diagnostics;

    /// <summary>The generated members' names the user's own members already take.</summary>
    public EquatableArray<string> TakenMembers { get; } = takenMembers;

    /// <summary>Where the declaration names its weights file (<c>Weights = "…"</c>), or null when it names none.</summary>
    public Location? WeightsLocation { get; } = weightsLocation;

    /// <summary>
    /// The network as declared, even where a diagnostic keeps <see cref="Spec"/> null: the analyzer checks a weights file
    /// against it. It runs after generation, where the generated members themselves read as BP0011 conflicts in generated
    /// code (which the analyzer's generated-code filter drops), so it cannot wait for a spec free of diagnostics.
    /// </summary>
    public NetworkSpec? DeclaredSpec { get; } = declaredSpec;

    /// <summary>What a stub's members say when called: the first error, or that the compiler reports it.</summary>
    public string Error
        => Diagnostics.FirstOrDefault(d => d.Severity == DiagnosticSeverity.Error) is { } first
            ? $"{first.Id}: {first.GetMessage(CultureInfo.InvariantCulture)}"
            : "the [Network] declaration has an error the compiler reports";
}
