using Microsoft.CodeAnalysis;

namespace Backprop.Generator.Model;

/// <summary>A diagnostic to report, kept as equatable data until the output stage creates it.</summary>
internal sealed record DiagnosticInfo(DiagnosticDescriptor Descriptor, LocationInfo? Location, EquatableArray<string> MessageArguments)
{
    public static DiagnosticInfo Create(DiagnosticDescriptor descriptor, LocationInfo? location, params string[] messageArguments)
        => new(descriptor, location, messageArguments.ToEquatableArray());

    public Diagnostic ToDiagnostic()
        => Diagnostic.Create(Descriptor, Location?.ToLocation() ?? Microsoft.CodeAnalysis.Location.None, [.. MessageArguments]);
}
