using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using Backprop.Generator.Tests;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Backprop.Generator.Compatibility.Tests;

/// <summary>
/// A generator built against a newer Roslyn than the user's compiler is skipped with CS9057, leaving
/// no code. This project pins Microsoft.CodeAnalysis.CSharp to 4.8 (the .NET 8 SDK) and checks the
/// generator loads there and writes exactly the reviewed snapshots.
/// </summary>
public sealed class OldestCompilerTests
{
    [Fact]
    public void The_tests_run_on_Roslyn_4_8()
        => Assert.Equal(new Version(4, 8, 0, 0), typeof(CSharpCompilation).Assembly.GetName().Version);

    [Theory]
    [MemberData(nameof(SnapshotCases.All), MemberType = typeof(SnapshotCases))]
    public void Generates_the_reviewed_snapshot_and_it_compiles(string name, string source)
    {
        var parseOptions = new CSharpParseOptions(LanguageVersion.CSharp12);
        CSharpCompilation compilation = CSharpCompilation.Create(
            "UserProject",
            [CSharpSyntaxTree.ParseText(source, parseOptions, path: "Network.cs", cancellationToken: TestContext.Current.CancellationToken)],
            References,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable)
                .WithSpecificDiagnosticOptions([new("CS1701", ReportDiagnostic.Suppress), new("CS1702", ReportDiagnostic.Suppress)]));

        GeneratorDriver driver = CSharpGeneratorDriver
            .Create([new NetworkGenerator().AsSourceGenerator()], parseOptions: parseOptions)
            .RunGeneratorsAndUpdateCompilation(compilation, out Compilation output, out ImmutableArray<Diagnostic> diagnostics, TestContext.Current.CancellationToken);
        GeneratorRunResult result = driver.GetRunResult().Results.Single();

        Assert.Null(result.Exception);
        Assert.Empty(diagnostics);
        Assert.Equal(ReadSnapshot(name), result.GeneratedSources.Single().SourceText.ToString());
        Assert.Empty(output.GetDiagnostics(TestContext.Current.CancellationToken).Where(d => d.Severity >= DiagnosticSeverity.Warning));
    }

    /// <summary>The running .NET's own assemblies, and the Backprop runtime library.</summary>
    private static readonly ImmutableArray<MetadataReference> References =
    [
        .. ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator)
            .Where(path => Path.GetFileName(path).StartsWith("System.", StringComparison.Ordinal) || Path.GetFileName(path) is "netstandard.dll" or "mscorlib.dll")
            .Select(path => MetadataReference.CreateFromFile(path)),
        MetadataReference.CreateFromFile(typeof(NetworkAttribute).Assembly.Location),
    ];

    private static string ReadSnapshot(string name, [CallerFilePath] string here = "")
        => File.ReadAllText(Path.Combine(Path.GetDirectoryName(here)!, "..", "Backprop.Generator.Tests", "Snapshots", name + ".verified.cs"));
}
