namespace Backprop.Generator.Model;

/// <summary>
/// What the parser read from one <c>[Network]</c> declaration: a spec when it is valid, and the
/// diagnostics it found (a spec and diagnostics never both matter: any error leaves the spec null).
/// </summary>
internal sealed record ParseResult(NetworkSpec? Spec, EquatableArray<DiagnosticInfo> Diagnostics);
