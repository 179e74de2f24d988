namespace Backprop.Generator.Model;

/// <summary>
/// What the generator's parse step made of one <c>[Network]</c> declaration: a spec when it is valid; a stub when it
/// has an error (reported by the analyzer, or by the compiler) but the type can still be reopened; or the generator's
/// own failure. At most one is set; none when the type cannot be reopened (the error is all the user needs).
/// </summary>
internal sealed record ParseResult(NetworkSpec? Spec, NetworkStub? Stub, DiagnosticInfo? Failure);

/// <summary>
/// A network whose declaration has an error: its members are generated with bodies that throw, so that the user's
/// code that uses the network still binds and the build reports the declaration's error and nothing else.
/// </summary>
/// <param name="Type">Where the network class is declared.</param>
/// <param name="Precision">The element type of its <c>INetwork&lt;T&gt;</c>.</param>
/// <param name="Error">The first error, "BP0007: …", which every member throws.</param>
/// <param name="TakenMembers">Generated member names the user's own members take: the stub leaves them out.</param>
/// <param name="HasCompiledWeights">
/// The declaration names a weights file (<c>Weights = "…"</c>): the stub also has <c>ResetToCompiledWeights</c>.
/// </param>
internal sealed record NetworkStub(TypeSpec Type, Precision Precision, string Error, EquatableArray<string> TakenMembers, bool HasCompiledWeights = false);
