using System.Collections.Immutable;
using System.Diagnostics;
using Backprop.Generator.Tests.Infrastructure;
using CsCheck;
using Microsoft.CodeAnalysis;

namespace Backprop.Generator.Tests;

/// <summary>
/// The generator runs inside every keystroke of an IDE, on code that is usually half-written. This feeds
/// it hundreds of malformed and odd declarations built from a grammar of mutations and checks, for each:
/// no exception escapes (no CS8785); every error is either ours (BP…, from the analyzer, at a place in the user's
/// own syntax tree) or one the user's code has without the generator; whatever we emit compiles; a declaration
/// yields a network, a stub or a diagnostic, never silently nothing; and no run takes seconds. The grammar
/// includes the blind spots of issue #12: sizes from another network's constants, generated member names taken
/// by the user (members, explicit interface members, types used in arguments), contextual-keyword type names,
/// #line directives, long and lower-case names, and a size at the planner's 32-bit overflow.
/// </summary>
public sealed class FuzzTests(ITestOutputHelper output)
{
    /// <summary>Fixed, so every CI run checks the same cases; a failure prints the case's index and declaration.</summary>
    private const string Seed = "0000001diAi7";

    private const int Cases = 400;

    /// <summary>The file of the valid network Demo.Other that every case has beside it, for sizes that name its constants.</summary>
    private const string OtherNetworkFile = "Demo.Other.g.cs";

    // Each part of a declaration is usually valid and sometimes mutated, so a case has a mutation or two
    // on an otherwise sound declaration, and a good share of cases are whole, valid networks.

    private static readonly string[] ValidLosses =
    [
        "Loss.SumSquaredError", "Loss.HalfSumSquaredError", "Loss.MeanSquaredError", "Loss.CrossEntropy", "Loss.BinaryCrossEntropy",
        "Loss.Huber", "Loss.MeanAbsoluteError",
    ];

    private static readonly Gen<string> Losses = Gen.Frequency(
        (20, Gen.OneOf(ValidLosses)),
        (1, Gen.OneOf("(Loss)9", "(Loss)(-1)", "\"SSE\"", "42")));

    private static readonly Gen<string> HiddenActivations = Gen.Frequency(
        (30, Gen.OneOf(
            "Activation.Identity", "Activation.Sigmoid", "Activation.Tanh", "Activation.ReLU", "Activation.LeakyReLU",
            "Activation.GELU", "Activation.SiLU", "Activation.ELU", "Activation.Softplus")),
        (1, Gen.OneOf("Activation.Softmax", "(Activation)42", "(Activation)(-3)", "Loss.CrossEntropy", "\"Tanh\"")));

    private static readonly Gen<string> Sizes = Gen.Frequency(
        (30, Gen.Int[1, 12].Select(n => n.ToString(System.Globalization.CultureInfo.InvariantCulture))),
        (1, Gen.OneOf("0", "-1", "-2147483648", "1000000000", "int.MaxValue", "\"4\"", "4.5", "40", "100000")),
        // Another network's generated constants (Demo.Other, in the second file), resolved or not, and a size at
        // the 32-bit overflow of the planner's bit arithmetic (2³² + 128 bits of floats).
        (1, Gen.OneOf("Demo.Other.OutputCount", "Demo.Other.InputCount * 2", "Demo.Other.Missing", "OutputCount", "134217732")));

    private static readonly Gen<string> Precisions = Gen.Frequency(
        (12, Gen.Const("")),
        (6, Gen.OneOf(", Precision = Precision.Double", ", Precision = Precision.Single")),
        (1, Gen.OneOf(", Precision = (Precision)7", ", Precision = \"double\"")));

    private const string KeepNetworkAttribute = "keep";

    private static readonly Gen<string> NetworkMutations = Gen.Frequency(
        (25, Gen.Const(KeepNetworkAttribute)),
        (1, Gen.OneOf("[Network()]", "[Network(Loss.SumSquaredError, Loss.CrossEntropy)]", "", "[Network(Loss.SumSquaredError)][Network(Loss.CrossEntropy)]", "[Fake.Network(1)]")));

    private static readonly Gen<string> InputAttribute = Gen.Frequency(
        (25, Sizes.Select(size => $"[Input({size})]")),
        (1, Gen.OneOf("", "[Input()]", "[Input(2, 3)]", "[Input(2)][Input(3)]", "[Fake.Input(2)]", "[Input(size: 3)]")));

    private static readonly Gen<string> HiddenDense = Gen.Frequency(
        (30, Gen.Select(Sizes, HiddenActivations, (size, activation) => $"[Dense({size}, {activation})]")),
        (1, Gen.OneOf("[Dense(4)]", "[Dense()]", "[Dense(Activation.Tanh, 4)]", "[Fake.Dense(2, 1)]", "[Dense(activation: Activation.Sigmoid, size: 2)]")));

    private static readonly Gen<int> HiddenLayerCounts = Gen.Frequency((12, Gen.Int[0, 4]), (1, Gen.Const(5)));

    private static readonly Gen<string> TypeKeyword = Gen.Frequency(
        (25, Gen.Const("public partial class")),
        (1, Gen.OneOf(
            "internal partial class", "public class", "public static partial class", "public abstract partial class", "public sealed partial class",
            "public partial struct", "public partial record", "public partial record struct", "public partial interface", "file partial class",
            "public partial class Generic<T> //", "public unsafe partial class")));

    private static readonly Gen<string> Wrapper = Gen.Frequency(
        (20, Gen.OneOf("namespace Demo;", "", "namespace Demo.Inner { {0} }", "public partial class Outer { {0} }")),
        (2, Gen.OneOf(
            "#line 300 \"Mapped.cs\"\nnamespace Demo;",
            "namespace Demo.AVeryLongNamespaceName.ThatGoesOnAndOn.AndOnForLongEnough.ToMakeTheGeneratedFileNameTooLong.ForAnyFileSystem;",
            "#pragma warning disable CS8981\npublic partial class lowercase { {0} }")),
        (1, Gen.OneOf(
            "public class NotPartial { {0} }", "public partial class Outer<T> { {0} }",
            "public partial struct OuterStruct { {0} }", "public static partial class StaticOuter { {0} }", "file partial class FileOuter { {0} }")));

    private static readonly Gen<string> Extra = Gen.Frequency(
        (20, Gen.Const("")),
        (1, Gen.OneOf(
            "public int Forward;", "public void Forward(System.ReadOnlySpan<float> input, System.Span<float> output) { }", "private float[] _parameters = [];",
            "public float[] Forward(float[] x) => x;", "public Net() { }", "public const int InputCount = 3;", "void Broken( {", "public int Loss => 1;",
            "int Backprop.INetwork<float>.InputCount => 4;", "public void Forward(in System.ReadOnlySpan<float> x, System.Span<float> y) { }",
            "private sealed class var { }", "private static string nameof(object o) => \"\";", "public static class Parameters { public const int Hidden = 3; }",
            "public sealed class Architecture { }")));

    private static readonly Gen<Placement> Placements = Gen.Frequency(
        (25, Gen.Const(Placement.Together)), (1, Gen.Const(Placement.SplitAcrossParts)), (1, Gen.Const(Placement.SplitAcrossFiles)), (1, Gen.Const(Placement.OnAMethod)));

    /// <summary>The [Network] attribute and the output layer, which agree with each other three times in four.</summary>
    private static readonly Gen<(string Network, string Output)> NetworkAndOutput =
        Gen.Select(Losses, Precisions, Sizes, Gen.Int[0, 3], NetworkMutations, HiddenActivations)
            .Select(t =>
            {
                (string loss, string precision, string size, int agreement, string mutation, string other) = t;
                string matching = loss switch
                {
                    "Loss.CrossEntropy" => "Activation.Softmax",
                    "Loss.BinaryCrossEntropy" => "Activation.Sigmoid",
                    _ => agreement % 2 == 0 ? "Activation.Softmax" : other,
                };
                string output = agreement == 0 ? other : matching;
                string network = mutation == KeepNetworkAttribute ? $"[Network({loss}{precision})]" : mutation;
                return (network, $"[Dense({(size is "0" or "-1" ? "2" : size)}, {output})]");
            });

    private static readonly Gen<Declaration> Declarations = Gen.Select(
        NetworkAndOutput,
        InputAttribute,
        HiddenLayerCounts.SelectMany(count => HiddenDense.Array[count]),
        TypeKeyword,
        Wrapper,
        Extra,
        Placements,
        Gen.Frequency((20, Gen.Const(false)), (1, Gen.Const(true))),
        (networkAndOutput, input, hidden, keyword, wrapper, extra, placement, syntaxError) =>
            new Declaration(networkAndOutput.Network, input, [.. hidden, networkAndOutput.Output], keyword, wrapper, extra, placement, syntaxError));

    [Fact]
    public void Hostile_declarations_never_break_the_generator_or_add_foreign_errors()
    {
        GeneratorHarness.Run(Declaration.Valid.ToSources()).AssertCompilesCleanly(); // Warm the JIT before timing.
        var outcomes = new System.Collections.Concurrent.ConcurrentDictionary<string, int>();

        // CsCheck's Sample(seed:) fixes only its first iteration, so the cases are drawn one after another
        // from one generator: every run checks the same 400 declarations.
        PCG random = PCG.Parse(Seed);
        Declaration[] declarations = [.. Enumerable.Range(0, Cases).Select(_ => Declarations.Generate(random, null, out Size _))];
        Parallel.ForEach(declarations, (declaration, _, index) =>
        {
            try
            {
                outcomes.AddOrUpdate(CheckOne(declaration), 1, (_, n) => n + 1);
            }
            catch (Exception failure)
            {
                throw new Xunit.Sdk.XunitException(
                    $"Fuzz case {index} of seed {Seed} failed: {failure.Message}\n// Declaration (one string per file):\n" +
                    string.Join("\n// ---- next file\n", declaration.ToSources()));
            }
        });

        // The grammar must exercise every path, not just one: valid networks, our errors, the user's errors.
        output.WriteLine(string.Join("\n", outcomes.OrderBy(o => o.Key, StringComparer.Ordinal).Select(o => $"{o.Key}: {o.Value}")));
        Assert.Equal(Cases, outcomes.Values.Sum());
        Assert.True(outcomes.GetValueOrDefault("generated") >= Cases / 5, "Too few declarations generated a network.");
        Assert.True(outcomes.Keys.Count(k => k.StartsWith("BP", StringComparison.Ordinal)) >= 8, "Too few of our diagnostics were reached.");
        Assert.True(outcomes.GetValueOrDefault("user error only") >= Cases / 20, "Too few declarations had only the user's own errors.");
    }

    /// <summary>Checks one declaration; returns what it came to ("generated", a BP id, or "user error only").</summary>
    private static string CheckOne(Declaration declaration)
    {
        string[] sources = declaration.ToSources();
        var clock = Stopwatch.StartNew();
        GeneratorOutcome outcome = GeneratorHarness.Run(sources);
        clock.Stop();

        Assert.Null(outcome.RunResult.Results.Single().Exception);
        // A guard against a hang, not a benchmark: generous, since the cases run in parallel on a loaded machine.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"The generator took {clock.Elapsed.TotalMilliseconds:F0} ms.");

        // Our diagnostics: BP ids from the analyzer, at a place in one of the user's own syntax trees; none from the
        // generator, whose only diagnostic is its own failure.
        SyntaxTree[] userTrees = [.. outcome.OutputCompilation.SyntaxTrees.Take(sources.Length)];
        string[] userFiles = [.. userTrees.Select(t => t.FilePath)];
        Assert.Empty(outcome.GeneratorDiagnostics);
        foreach (Diagnostic diagnostic in outcome.AnalyzerDiagnostics)
        {
            Assert.StartsWith("BP", diagnostic.Id, StringComparison.Ordinal);
            Assert.Equal(LocationKind.SourceFile, diagnostic.Location.Kind);
            Assert.Contains(diagnostic.Location.SourceTree, userTrees);
        }

        // Every other error was already the user's own, before any code was generated for the declaration under test
        // (with Demo.Other's, whose constants its arguments may name: they reveal errors they had hidden).
        ImmutableHashSet<string> userErrors = [.. GeneratorHarness.CreateCompilation(sources)
            .AddSyntaxTrees(outcome.GeneratedSources.Where(source => source.HintName == OtherNetworkFile).Select(source => source.SyntaxTree))
            .GetDiagnostics()
            .Where(d => d.Severity == DiagnosticSeverity.Error).Select(Key)];
        foreach (Diagnostic diagnostic in outcome.CompilationProblems)
        {
            Assert.NotEqual("CS8785", diagnostic.Id);
            Assert.False(
                diagnostic.Location.SourceTree is { } tree && !userFiles.Contains(tree.FilePath),
                $"The generated code does not compile: {diagnostic}");
            if (diagnostic.Severity == DiagnosticSeverity.Error)
            {
                Assert.True(userErrors.Contains(Key(diagnostic)), $"An error the user's code does not have alone: {diagnostic}");
            }
        }

        // The whole network for a declaration we accept, a stub (members that throw) for one with an error; and
        // never silently nothing: no code only where an error says why.
        string[] errors = [.. outcome.AnalyzerDiagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.Id).Order(StringComparer.Ordinal)];
        string[] generated = [.. outcome.GeneratedSources.Where(source => source.HintName != OtherNetworkFile).Select(source => source.SourceText.ToString())];
        string[] stubs = [.. generated.Where(source => source.Contains(" was not generated: ", StringComparison.Ordinal))];
        if (errors.Length > 0)
        {
            Assert.Equal(generated.Length, stubs.Length);
            return errors[0];
        }

        if (stubs.Length == 0 && generated.Length > 0)
        {
            Assert.Contains("public float TrainBatch(", Assert.Single(generated).Replace("double", "float"), StringComparison.Ordinal);
            return "generated";
        }

        // No network, and no BP error: a BP warning says why (layers without our [Network]), or the compiler
        // reports the user's own error.
        if (outcome.AnalyzerDiagnostics.FirstOrDefault() is { } warning)
        {
            return warning.Id;
        }

        Assert.False(userErrors.IsEmpty, "No code, no stub and no diagnostic: the declaration silently yields nothing.");
        return "user error only";
    }

    private static string Key(Diagnostic diagnostic) => $"{diagnostic.Id}@{diagnostic.Location.GetLineSpan()}";

    private enum Placement
    {
        Together,
        SplitAcrossParts,
        SplitAcrossFiles,
        OnAMethod,
    }

    /// <summary>One declaration of the grammar, and the user files it becomes.</summary>
    private sealed record Declaration(
        string Network,
        string Input,
        string[] Dense,
        string Keyword,
        string Wrapper,
        string Extra,
        Placement Placement,
        bool SyntaxErrorElsewhere)
    {
        public static Declaration Valid { get; } = new(
            "[Network(Loss.CrossEntropy)]", "[Input(4)]", ["[Dense(8, Activation.Tanh)]", "[Dense(3, Activation.Softmax)]"],
            "public partial class", "namespace Demo;", "", Placement.Together, false);

        public string[] ToSources()
        {
            string layers = string.Join("\n", Dense);
            string typeName = Keyword.Contains("Generic<T>", StringComparison.Ordinal) ? "" : " Net";
            string keyword = Keyword.Replace(" //", "", StringComparison.Ordinal);
            string members = Placement == Placement.OnAMethod ? $"{Input}\n{layers}\npublic void Misplaced() {{ }}\n{Extra}" : Extra;
            string onType = Placement switch
            {
                Placement.Together => $"{Network}\n{Input}\n{layers}",
                Placement.OnAMethod => Network,
                _ => $"{Network}\n{Input}",
            };
            string main = $"{onType}\n{keyword}{typeName} {{ {members} }}";
            string? second = Placement is Placement.SplitAcrossParts or Placement.SplitAcrossFiles ? $"{layers}\n{keyword}{typeName} {{ }}" : null;
            if (second is not null && Placement == Placement.SplitAcrossParts)
            {
                main += "\n" + second;
                second = null;
            }

            // Attributes with our names from another namespace: the generator must ignore them.
            const string FakeAttributes = """
                namespace Demo
                {
                    [Backprop.Network(Backprop.Loss.SumSquaredError)] [Backprop.Input(3)] [Backprop.Dense(4, Backprop.Activation.Tanh)]
                    public partial class Other;
                }

                namespace Fake
                {
                    [System.AttributeUsage(System.AttributeTargets.All, AllowMultiple = true)] public sealed class NetworkAttribute : System.Attribute { public NetworkAttribute(int x) { } }
                    [System.AttributeUsage(System.AttributeTargets.All, AllowMultiple = true)] public sealed class InputAttribute : System.Attribute { public InputAttribute(int x) { } }
                    [System.AttributeUsage(System.AttributeTargets.All, AllowMultiple = true)] public sealed class DenseAttribute : System.Attribute { public DenseAttribute(int x, int y) { } }
                }
                """;
            string Wrap(string body) => Wrapper.Contains("{0}", StringComparison.Ordinal)
                ? Wrapper.Replace("{0}", "\n" + body + "\n", StringComparison.Ordinal)
                : Wrapper + "\n" + body;

            string first = "using Backprop;\n" + Wrap(main) + (SyntaxErrorElsewhere ? "\nclass Broken { void M( }\n" : "");
            return second is null ? [first, FakeAttributes] : [first, FakeAttributes, "using Backprop;\n" + Wrap(second)];
        }
    }
}
