using System;
using System.Linq;
using Backprop.Generator.Diagnostics;
using Backprop.Generator.Emitting;
using Backprop.Generator.Model;
using Backprop.Generator.Parsing;
using Backprop.Generator.Planning;
using Backprop.Generator.Weights;
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

        context.RegisterSourceOutput(plans.Where(static plan => plan.Weights is null), static (output, plan) => Emit(output, plan, null));

        // Weights = "…": the encoded weights files (one step per additional file, so editing one re-reads it alone),
        // matched by name to each network that names one (cheap, and equal for a network whose file did not change),
        // then read and checked: only for a network whose file did change. A bad file stubs the network; the analyzer
        // reports why, at the declaration.
        IncrementalValueProvider<EquatableArray<WeightsFileText>> weightsFiles = context.AdditionalTextsProvider
            .Combine(context.AnalyzerConfigOptionsProvider)
            .Select(static (pair, cancellationToken) => WeightsFile.From(pair.Left, pair.Right.GetOptions(pair.Left), cancellationToken))
            .WithTrackingName(TrackingNames.WeightsFiles)
            .Where(static file => file is not null)
            .Collect()
            .Select(static (files, _) => files.Select(static file => file!).ToEquatableArray());

        IncrementalValuesProvider<CompiledNetwork> compiled = plans
            .Where(static plan => plan.Weights is not null)
            .Combine(weightsFiles)
            .Select(static (pair, _) =>
            {
                (WeightsFileText? file, WeightsProblem? problem) = WeightsFile.Find(pair.Left.Weights!, pair.Right);
                return new WeightsMatch(pair.Left, file, problem);
            })
            .WithTrackingName(TrackingNames.WeightsMatch)
            .Select(static (match, cancellationToken) => CompiledNetwork.Read(match, cancellationToken))
            .WithTrackingName(TrackingNames.CompiledWeights);

        context.RegisterSourceOutput(compiled, static (output, network) =>
        {
            if (network.Stub is { } stub)
            {
                EmitStub(output, stub);
            }
            else
            {
                Emit(output, network.Plan, network.Weights);
            }
        });
    }

    private static void EmitStub(SourceProductionContext output, NetworkStub stub)
        => AddSource(output, stub.Type, () => NetworkStubEmitter.Emit(stub, Version));

    private static void Emit(SourceProductionContext output, NetworkPlan plan, CompiledWeights? weights)
        => AddSource(output, plan.Type, () => NetworkEmitter.Emit(plan, Version, weights));

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
    public const string WeightsFiles = nameof(WeightsFiles);
    public const string WeightsMatch = nameof(WeightsMatch);
    public const string CompiledWeights = nameof(CompiledWeights);
}
