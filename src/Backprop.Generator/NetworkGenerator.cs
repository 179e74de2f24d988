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
/// The pipeline is Parse (attributes → equatable spec and diagnostics) → Plan (spec → layers with
/// their emission choices) → Emit (plan → source); each step is cached on value equality.
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

        IncrementalValuesProvider<DiagnosticInfo> diagnostics = parsed
            .SelectMany(static (result, _) => result.Diagnostics)
            .WithTrackingName(TrackingNames.Diagnostics);
        context.RegisterSourceOutput(diagnostics, static (output, diagnostic) => output.ReportDiagnostic(diagnostic.ToDiagnostic()));

        IncrementalValuesProvider<NetworkPlan> plans = parsed
            .Select(static (result, _) => result.Spec)
            .Where(static spec => spec is not null)
            .Select(static (spec, _) => NetworkPlanner.Plan(spec!))
            .WithTrackingName(TrackingNames.Plan);

        context.RegisterSourceOutput(plans, static (output, plan) => Emit(output, plan));
    }

    private static void Emit(SourceProductionContext output, NetworkPlan plan)
    {
        string source;
        try
        {
            source = NetworkEmitter.Emit(plan, Version);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // Never throw into the compiler (that is warning CS8785 and no code); say what failed instead.
            output.ReportDiagnostic(Diagnostic.Create(
                DiagnosticDescriptors.GeneratorFailure,
                Location.None,
                plan.Type.FullName,
                $"{exception.GetType().Name}: {exception.Message}"));
            return;
        }

        output.AddSource(NetworkEmitter.HintName(plan.Type), SourceText.From(source, System.Text.Encoding.UTF8));
    }
}

/// <summary>The names of the pipeline's steps, for incremental-caching tests.</summary>
internal static class TrackingNames
{
    public const string Parse = nameof(Parse);
    public const string Diagnostics = nameof(Diagnostics);
    public const string Plan = nameof(Plan);
}
