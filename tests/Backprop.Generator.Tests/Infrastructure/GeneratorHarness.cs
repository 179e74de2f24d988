using System.Collections.Immutable;
using Backprop.Generator.Diagnostics;
using Basic.Reference.Assemblies;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Backprop.Generator.Tests.Infrastructure;

/// <summary>
/// Runs <see cref="NetworkGenerator"/> over in-memory sources the way the compiler does: a
/// compilation against the .NET 10 reference assemblies and the Backprop runtime library; and
/// <see cref="NetworkDeclarationAnalyzer"/> over the result, as a build does after generation.
/// </summary>
internal static class GeneratorHarness
{
    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    private static readonly ImmutableArray<MetadataReference> References =
    [
        .. Net100.References.All,
        MetadataReference.CreateFromFile(typeof(NetworkAttribute).Assembly.Location),
        MetadataReference.CreateFromFile(typeof(System.Numerics.Tensors.TensorPrimitives).Assembly.Location),
    ];

    public static CSharpCompilation CreateCompilation(params string[] sources)
        => CSharpCompilation.Create(
            "UserProject",
            sources.Select((source, i) => CSharpSyntaxTree.ParseText(source, ParseOptions, path: $"Network{i}.cs")),
            References,
            // Warning level 9999: every warning the compiler knows, the newest waves included, as a project that
            // sets <AnalysisLevel>latest</AnalysisLevel>-style strictness would see them.
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable, warningLevel: 9999)
                // As the .NET SDK does: the runtime library targets net8.0 and unifies with .NET 10's assemblies.
                .WithSpecificDiagnosticOptions([new("CS1701", ReportDiagnostic.Suppress), new("CS1702", ReportDiagnostic.Suppress)]));

    public static GeneratorDriver CreateDriver()
        => CreateDriver([], null);

    /// <summary>A driver that also hands the generator additional files and their options, as a build does.</summary>
    public static GeneratorDriver CreateDriver(ImmutableArray<AdditionalText> additionalTexts, AnalyzerConfigOptionsProvider? optionsProvider)
        => CSharpGeneratorDriver.Create(
            [new NetworkGenerator().AsSourceGenerator()],
            additionalTexts: additionalTexts,
            parseOptions: ParseOptions,
            optionsProvider: optionsProvider,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    /// <summary>Runs the generator once over <paramref name="sources"/> with additional files, and the analyzer with the same files.</summary>
    public static GeneratorOutcome Run(AnalyzerOptions files, params string[] sources)
    {
        CSharpCompilation compilation = CreateCompilation(sources);
        GeneratorDriver driver = CreateDriver(files.AdditionalFiles, files.AnalyzerConfigOptionsProvider)
            .RunGeneratorsAndUpdateCompilation(compilation, out Compilation output, out ImmutableArray<Diagnostic> generatorDiagnostics);
        return new GeneratorOutcome(driver, driver.GetRunResult(), output, generatorDiagnostics) { AnalyzerOptions = files };
    }

    /// <summary>Runs the generator once over <paramref name="sources"/>.</summary>
    public static GeneratorOutcome Run(params string[] sources) => Run(c => c, sources);

    /// <summary>Runs the generator once over <paramref name="sources"/>, compiled with options of the test's own.</summary>
    public static GeneratorOutcome Run(Func<CSharpCompilation, CSharpCompilation> configure, params string[] sources)
    {
        CSharpCompilation compilation = configure(CreateCompilation(sources));
        GeneratorDriver driver = CreateDriver().RunGeneratorsAndUpdateCompilation(compilation, out Compilation output, out ImmutableArray<Diagnostic> generatorDiagnostics);
        return new GeneratorOutcome(driver, driver.GetRunResult(), output, generatorDiagnostics);
    }
}

/// <summary>
/// What one generator run produced: the sources, the generator's diagnostics, the compilation with both, and the
/// analyzer's diagnostics over that compilation.
/// </summary>
internal sealed record GeneratorOutcome(
    GeneratorDriver Driver,
    GeneratorDriverRunResult RunResult,
    Compilation OutputCompilation,
    ImmutableArray<Diagnostic> GeneratorDiagnostics)
{
    /// <summary>What the analyzer is given besides the compilation: the additional files and their options, or none.</summary>
    public AnalyzerOptions? AnalyzerOptions { get; init; }

    public ImmutableArray<GeneratedSourceResult> GeneratedSources => RunResult.Results.Single().GeneratedSources;

    /// <summary>The text of the only generated file.</summary>
    public string SingleSource => GeneratedSources.Single().SourceText.ToString();

    private ImmutableArray<Diagnostic>? _analyzerDiagnostics;

    /// <summary>What <see cref="NetworkDeclarationAnalyzer"/> reports over the compilation after generation.</summary>
    public ImmutableArray<Diagnostic> AnalyzerDiagnostics
        => _analyzerDiagnostics ??= OutputCompilation
            .WithAnalyzers([new NetworkDeclarationAnalyzer()], AnalyzerOptions)
            .GetAnalyzerDiagnosticsAsync()
            .GetAwaiter()
            .GetResult();

    /// <summary>Every error and warning of the user's compilation after generation (hidden and info excluded).</summary>
    public ImmutableArray<Diagnostic> CompilationProblems
        => [.. OutputCompilation.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning)];

    /// <summary>Fails unless neither the generator nor the analyzer reported anything and the generated code compiles with no error or warning.</summary>
    public GeneratorOutcome AssertCompilesCleanly()
    {
        Assert.Empty(GeneratorDiagnostics);
        Assert.Empty(AnalyzerDiagnostics);
        Assert.Empty(RunResult.Results.Single().Exception is { } e ? [e.ToString()] : Array.Empty<string>());
        ImmutableArray<Diagnostic> problems = CompilationProblems;
        Assert.True(problems.IsEmpty, "The generated code does not compile cleanly:\n" + string.Join("\n", problems));
        return this;
    }
}
