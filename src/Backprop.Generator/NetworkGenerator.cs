using System;
using Backprop.Generator.Diagnostics;
using Backprop.Generator.Emitting;
using Backprop.Generator.Model;
using Backprop.Generator.Parsing;
using Backprop.Generator.Planning;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace Backprop.Generator;

/// <summary>
/// Emits the forward pass, loss, backpropagation and training of every class marked <c>[Network]</c>.
/// The pipeline is Parse (attributes → equatable spec) → Plan (spec → layers with their emission choices)
/// → Emit (plan → source); each step is cached on value equality. A declaration with an error gets a stub
/// whose members throw, so that its error is the only one the build shows; the error itself is reported by
/// <see cref="Diagnostics.NetworkDeclarationAnalyzer"/>, at its place in the user's syntax tree. The
/// generator reports nothing but its own failure (BP0014).
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class NetworkGenerator : IIncrementalGenerator
{
    /// <summary>The version written into <c>[GeneratedCode]</c> and the file header.</summary>
    internal static readonly string Version = typeof(NetworkGenerator).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    /// <inheritdoc/>
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        IncrementalValuesProvider<ParseResult> parsed = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                NetworkParser.NetworkAttributeName,
                static (node, _) => node is TypeDeclarationSyntax,
                NetworkParser.Parse)
            .WithTrackingName(TrackingNames.Parse);

        IncrementalValuesProvider<DiagnosticInfo> failures = parsed
            .Select(static (result, _) => result.Failure)
            .Where(static failure => failure is not null)
            .Select(static (failure, _) => failure!)
            .WithTrackingName(TrackingNames.Failures);
        context.RegisterSourceOutput(failures, static (output, failure) => output.ReportDiagnostic(failure.ToDiagnostic()));

        IncrementalValuesProvider<NetworkStub> stubs = parsed
            .Select(static (result, _) => result.Stub)
            .Where(static stub => stub is not null)
            .Select(static (stub, _) => stub!)
            .WithTrackingName(TrackingNames.Stubs);
        context.RegisterSourceOutput(stubs, static (output, stub) => EmitStub(output, stub));

        IncrementalValuesProvider<NetworkPlan> plans = parsed
            .Select(static (result, _) => result.Spec)
            .Where(static spec => spec is not null)
            .Select(static (spec, _) => NetworkPlanner.Plan(spec!))
            .WithTrackingName(TrackingNames.Plan);

        context.RegisterSourceOutput(plans, static (output, plan) => Emit(output, plan));
    }

    private static void EmitStub(SourceProductionContext output, NetworkStub stub)
        => AddSource(output, stub.Type, () => NetworkStubEmitter.Emit(stub, Version));

    private static void Emit(SourceProductionContext output, NetworkPlan plan)
        => AddSource(output, plan.Type, () => NetworkEmitter.Emit(plan, Version));

    private static void AddSource(SourceProductionContext output, TypeSpec type, Func<string> emit)
    {
        string source;
        try
        {
            source = emit();
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // Never throw into the compiler (that is warning CS8785 and no code); say what failed instead.
            output.ReportDiagnostic(Diagnostic.Create(
                DiagnosticDescriptors.GeneratorFailure,
                Location.None,
                type.FullName,
                $"{exception.GetType().Name}: {exception.Message.TrimEnd('.')}"));
            return;
        }

        output.AddSource(NetworkEmitter.HintName(type), SourceText.From(source, System.Text.Encoding.UTF8));
    }
}

/// <summary>The names of the pipeline's steps, for incremental-caching tests.</summary>
internal static class TrackingNames
{
    public const string Parse = nameof(Parse);
    public const string Failures = nameof(Failures);
    public const string Stubs = nameof(Stubs);
    public const string Plan = nameof(Plan);
}
