using System.Collections.Immutable;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace Backprop.Generator.Benchmarks;

/// <summary>
/// How long <see cref="NetworkGenerator"/> takes over a project with 1, 10 and 100 networks (one per
/// file, drawn in turn from seven shapes between 2-4-1 and 64-32-10) and eight files of unrelated
/// code: cold, and incrementally after an edit, as an IDE runs it on a keystroke.
/// </summary>
/// <remarks>
/// <para><b>What is timed.</b> Only <see cref="GeneratorDriver.RunGenerators(Compilation, CancellationToken)"/>.
/// Every invocation gets a compilation of its own, made before the iteration starts (see
/// <see cref="ShortFixedJobConfig"/>), so no invocation finds symbols or bound attributes that an
/// earlier one left in it. The files are parsed once, in <see cref="GlobalSetup"/>: parsing the
/// user's code is the compiler's work whether or not a generator runs. Measured drivers do not track
/// incremental steps (builds and IDEs do not; tracking costs time and memory); the checks in
/// <see cref="GlobalSetup"/> use a separate driver that does.</para>
/// <list type="bullet">
/// <item><see cref="Cold"/>: a driver with no history over a compilation nobody has bound yet (a
/// command-line build, or an IDE opening the project). Every network is read, planned and emitted.
/// The time includes the compiler work the generator is first to ask for (the declaration table,
/// binding the network classes and their attributes), which a build would mostly do later anyway,
/// so it is an upper bound of what the generator adds. It does not include parsing the generated
/// files: the driver parses them lazily, when the compilation needs them; <see cref="ParseGeneratedFiles"/>
/// measures that separately. The generator's code is already JIT-compiled (BenchmarkDotNet warms up),
/// as it is in the compiler server or an IDE after the first run.</item>
/// <item><see cref="UnrelatedEdit"/>: a keystroke in an IDE. The driver that already ran over the
/// project (kept in a field: drivers are immutable, so every invocation starts from the same
/// state) runs over the project with one method body edited in another file: a compilation forked
/// from the previous one with that tree replaced, the tree reparsed incrementally by
/// <see cref="SyntaxTree.WithChangedText"/> — how the IDE forks a solution on an edit. It must emit
/// nothing, and <see cref="GlobalSetup"/> throws if it does. It is still not free:
/// <c>ForAttributeWithMetadataName</c> combines its candidate nodes with the compilation, so on any
/// change Roslyn binds every <c>[Network]</c> class again and reruns the generator's Parse step on
/// it; the equal result stops the pipeline there (Parse "Unchanged", Plan and output "Cached").</item>
/// <item><see cref="NetworkEdited"/>: the same, but the edit grows the hidden layer of network 0 (the
/// 4-8-3 Iris network) to 9 neurons: that network is planned and emitted again, the others are not.</item>
/// <item><see cref="BindingFloor"/> and <see cref="ParseGeneratedFiles"/> are not the generator but
/// the compiler work around it, to read the other rows against: binding the network classes and their
/// attributes in the edited compilation (what <c>ForAttributeWithMetadataName</c> does before it calls
/// the generator), and parsing what the generator wrote.</item>
/// </list>
/// </remarks>
[MemoryDiagnoser]
[Config(typeof(ShortFixedJobConfig))]
public class GeneratorCostBenchmarks
{
    /// <summary>Invocations in one measured iteration; each needs a compilation made beforehand.</summary>
    public const int InvocationsPerIteration = 16;

    private static readonly string[] TrackedSteps = ["Parse", "Plan"]; // Backprop.Generator's TrackingNames.

    private readonly Compilation[] _compilations = new Compilation[InvocationsPerIteration];
    private int _next;
    private UserProject _project = null!;
    private GeneratorDriver _warmDriver = null!;
    private (SyntaxTree Tree, SyntaxNode Declaration)[] _networkDeclarations = [];
    private SourceText[] _generatedTexts = [];

    [Params(1, 10, 100)]
    public int Networks { get; set; }

    [GlobalSetup]
    public void GlobalSetup()
    {
        _project = new UserProject(Networks);
        _warmDriver = UserProject.CreateDriver().RunGenerators(_project.Compilation);
        _networkDeclarations = [.. _project.Compilation.SyntaxTrees
            .SelectMany(tree => tree.GetRoot().DescendantNodes().OfType<ClassDeclarationSyntax>()
                .Where(c => c.AttributeLists.Count > 0 && c.Identifier.ValueText.StartsWith("Net", StringComparison.Ordinal))
                .Select(c => (tree, (SyntaxNode)c)))];
        Check(_networkDeclarations.Length == Networks, $"found {_networkDeclarations.Length} network declarations");
        _generatedTexts = [.. _warmDriver.GetRunResult().Results.Single().GeneratedSources.Select(s => s.SourceText)];
        Verify(_project);
    }

    [IterationSetup(Target = nameof(Cold))]
    public void FreshCompilations() => Fill(_project.CreateCompilation);

    [IterationSetup(Targets = [nameof(UnrelatedEdit), nameof(BindingFloor)])]
    public void UnrelatedEditCompilations()
        => Fill(() => _project.Compilation.ReplaceSyntaxTree(_project.UnrelatedTree, _project.UnrelatedTreeEdited));

    [IterationSetup(Target = nameof(NetworkEdited))]
    public void NetworkEditCompilations()
        => Fill(() => _project.Compilation.ReplaceSyntaxTree(_project.NetworkTree, _project.NetworkTreeEdited));

    [Benchmark(Description = "Cold")]
    public GeneratorDriver Cold() => UserProject.CreateDriver().RunGenerators(_compilations[_next++]);

    [Benchmark(Description = "Incremental, unrelated edit")]
    public GeneratorDriver UnrelatedEdit() => _warmDriver.RunGenerators(_compilations[_next++]);

    [Benchmark(Description = "Incremental, one network edited")]
    public GeneratorDriver NetworkEdited() => _warmDriver.RunGenerators(_compilations[_next++]);

    /// <summary>
    /// Not the generator: the part of <see cref="UnrelatedEdit"/> that Roslyn's
    /// <c>ForAttributeWithMetadataName</c> does before it calls the generator's transform — bind each
    /// network class and its attributes in a compilation where nothing is bound yet — over the same
    /// compilations.
    /// </summary>
    [Benchmark(Description = "Compiler: bind the [Network] classes")]
    public int BindingFloor()
    {
        Compilation compilation = _compilations[_next++];
        int attributes = 0;
        foreach ((SyntaxTree tree, SyntaxNode declaration) in _networkDeclarations)
        {
            ISymbol symbol = compilation.GetSemanticModel(tree).GetDeclaredSymbol(declaration)!;
            attributes += symbol.GetAttributes().Length;
        }

        return attributes;
    }

    /// <summary>
    /// Not the generator: the compiler parsing the files the generator wrote (the driver does it
    /// lazily, after <see cref="Cold"/>'s run, when the compilation first needs them).
    /// </summary>
    [Benchmark(Description = "Compiler: parse the generated files")]
    public int ParseGeneratedFiles()
    {
        int width = 0;
        foreach (SourceText text in _generatedTexts)
        {
            width += CSharpSyntaxTree.ParseText(text, UserProject.ParseOptions).GetRoot().FullSpan.Length;
        }

        return width;
    }

    private void Fill(Func<Compilation> create)
    {
        for (int i = 0; i < _compilations.Length; i++)
        {
            _compilations[i] = create();
        }

        _next = 0;
    }

    /// <summary>
    /// Throws unless the cold run generates one file per network and no diagnostic, the unrelated
    /// edit reports every Parse and Plan output Cached or Unchanged and every source output Cached (so
    /// nothing is emitted), and the network edit plans and emits that one network again. Not timed.
    /// </summary>
    private static void Verify(UserProject project)
    {
        GeneratorDriver driver = UserProject.CreateDriver(trackSteps: true).RunGenerators(project.Compilation);
        GeneratorRunResult cold = driver.GetRunResult().Results.Single();
        Check(cold.Exception is null, $"the generator threw: {cold.Exception}");
        Check(cold.Diagnostics.IsEmpty, $"the generator reported: {string.Join("; ", cold.Diagnostics)}");
        Check(cold.GeneratedSources.Length == project.NetworkCount, $"{cold.GeneratedSources.Length} generated files for {project.NetworkCount} networks");

        GeneratorRunResult unrelated = driver
            .RunGenerators(project.Compilation.ReplaceSyntaxTree(project.UnrelatedTree, project.UnrelatedTreeEdited))
            .GetRunResult().Results.Single();
        foreach (string step in TrackedSteps)
        {
            IncrementalStepRunReason[] reasons = Reasons(unrelated, step);
            Check(reasons.Length == project.NetworkCount, $"unrelated edit: {step} has {reasons.Length} outputs for {project.NetworkCount} networks");
            Check(
                reasons.All(r => r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged),
                $"unrelated edit: {step} ran again ({string.Join(", ", reasons)})");
        }

        IncrementalStepRunReason[] outputs = [.. unrelated.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs).Select(o => o.Reason)];
        Check(outputs.All(r => r == IncrementalStepRunReason.Cached), $"unrelated edit: an output step ran ({string.Join(", ", outputs)})");

        GeneratorRunResult edited = driver
            .RunGenerators(project.Compilation.ReplaceSyntaxTree(project.NetworkTree, project.NetworkTreeEdited))
            .GetRunResult().Results.Single();
        IncrementalStepRunReason[] plans = Reasons(edited, "Plan");
        Check(
            plans.Count(r => r == IncrementalStepRunReason.Modified) == 1
            && plans.Count(r => r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged) == project.NetworkCount - 1,
            $"network edit: expected one plan modified and the rest cached ({string.Join(", ", plans)})");
        Check(
            edited.GeneratedSources.Single(s => s.HintName.EndsWith(".Net000.g.cs", StringComparison.Ordinal)).SourceText.ToString().Contains("Network:  4 → 9 → 3,", StringComparison.Ordinal),
            "network edit: network 0 was not regenerated with its new layer");
    }

    private static IncrementalStepRunReason[] Reasons(GeneratorRunResult result, string step)
        => result.TrackedSteps.TryGetValue(step, out ImmutableArray<IncrementalGeneratorRunStep> runs)
            ? [.. runs.SelectMany(r => r.Outputs).Select(o => o.Reason)]
            : [];

    private static void Check(bool condition, string message)
    {
        if (!condition)
        {
            throw new InvalidOperationException("Generator cost benchmark setup check failed: " + message);
        }
    }
}

/// <summary>
/// A short job: one launch, 6 warm-up and 12 measured iterations of
/// <see cref="GeneratorCostBenchmarks.InvocationsPerIteration"/> invocations each (BenchmarkDotNet's
/// ShortRun has 3 of each: too few for the JIT to finish tiering up the fast rows, or for a steady
/// figure on a small machine where other builds run). The invocation count is fixed rather than
/// found by BenchmarkDotNet's pilot because every invocation consumes a compilation made by the
/// iteration setup; with an iteration setup BenchmarkDotNet would otherwise run one invocation per
/// iteration. Its "MinIterationTime" warning for the fast rows is expected: an iteration of a few
/// milliseconds is still far above the timer's resolution.
/// </summary>
public sealed class ShortFixedJobConfig : ManualConfig
{
    public ShortFixedJobConfig()
    {
        AddJob(Job.ShortRun
            .WithWarmupCount(6)
            .WithIterationCount(12)
            .WithInvocationCount(GeneratorCostBenchmarks.InvocationsPerIteration)
            .WithUnrollFactor(1)
            .WithId("Short×16"));

        // On a busy machine the median is the steadier figure; both are shown.
        AddColumn(StatisticColumn.Median);
    }
}
