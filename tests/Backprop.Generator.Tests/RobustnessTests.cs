using Backprop.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;

namespace Backprop.Generator.Tests;

/// <summary>Declarations the compiler already rejects must not make the generator throw or add noise.</summary>
public sealed class RobustnessTests
{
    /// <summary>
    /// [Network] twice is the compiler's CS0579; the type still gets one stub (from the first declaration, not one
    /// per declaration, which would be two files of one name), so its uses do not cascade.
    /// </summary>
    [Fact]
    public void Network_attribute_on_two_partial_declarations_leaves_only_the_compilers_error()
    {
        GeneratorOutcome outcome = GeneratorHarness.Run(
            "using Backprop; [Network(Loss.SumSquaredError)] [Input(2)] [Dense(1, Activation.Sigmoid)] public partial class Twice;",
            "using Backprop; [Network(Loss.SumSquaredError)] public partial class Twice;");

        Assert.Null(outcome.RunResult.Results.Single().Exception);
        Assert.Empty(outcome.GeneratorDiagnostics);
        Assert.Empty(outcome.AnalyzerDiagnostics);
        Assert.Contains("Twice was not generated", Assert.Single(outcome.GeneratedSources).SourceText.ToString(), StringComparison.Ordinal);
        Assert.Contains(outcome.CompilationProblems, d => d.Id == "CS0579");
        Assert.DoesNotContain(outcome.CompilationProblems, d => d.Id == "CS8785");
    }

    /// <summary>
    /// Names the generated code must not bind to: a nested type named <c>var</c>, <c>dynamic</c> or <c>value</c>, a method
    /// named <c>nameof</c>, in the network class itself. Generated code writes its types and parameter names out, so
    /// none of them is captured, in every form (unrolled, kernel, register, float and double).
    /// </summary>
    [Theory]
    [InlineData(2, 3, 2, "")]
    [InlineData(6, 10, 4, "")]
    [InlineData(4, 8, 3, "")]
    [InlineData(4, 4, 3, ", Precision = Precision.Double")]
    public void Contextual_keywords_declared_in_the_network_class_capture_nothing(int inputs, int hidden, int outputs, string precision)
        => GeneratorHarness.Run(
            $$"""
            using Backprop;

            namespace Demo;

            #pragma warning disable CS8981 // lower-case type names, on purpose
            [Network(Loss.CrossEntropy{{precision}})]
            [Input({{inputs}})]
            [Dense({{hidden}}, Activation.GELU)]
            [Dense({{outputs}}, Activation.Softmax)]
            public partial class Net
            {
                private sealed class var { }

                private sealed class dynamic { }

                private sealed class value { }

                private static string nameof(object unused) => "captured";
            }
            """).AssertCompilesCleanly();

    /// <summary>
    /// A lower-case type name is the user's CS8981 warning, on their declaration; the generated declaration of the
    /// same type (and of a lower-case containing type) does not repeat it where they cannot act on it.
    /// </summary>
    [Fact]
    public void A_lower_case_network_name_warns_only_where_the_user_declared_it()
    {
        GeneratorOutcome outcome = GeneratorHarness.Run(
            """
            using Backprop;

            namespace Demo;

            public partial class outer
            {
                [Network(Loss.SumSquaredError)] [Input(2)] [Dense(1, Activation.Sigmoid)]
                public partial class net;
            }
            """);

        Assert.Empty(outcome.AnalyzerDiagnostics);
        Assert.Equal(2, outcome.CompilationProblems.Length);
        Assert.All(outcome.CompilationProblems, d =>
        {
            Assert.Equal("CS8981", d.Id);
            Assert.Equal("Network0.cs", d.Location.SourceTree?.FilePath);
        });
    }

    /// <summary>
    /// EmitCompilerGeneratedFiles writes each network to a file named after it: a very long full name keeps its
    /// start and ends with a hash of the whole name, short enough for every file system, unique and stable.
    /// </summary>
    [Fact]
    public void A_very_long_type_name_gets_a_short_stable_file_name()
    {
        string ns = string.Join(".", Enumerable.Range(0, 12).Select(i => $"Namespace{i}WithARatherLongName"));
        string Source(string type) => $$"""
            using Backprop;

            namespace {{ns}};

            [Network(Loss.SumSquaredError)] [Input(2)] [Dense(1, Activation.Sigmoid)]
            public partial class {{type}};
            """;

        GeneratorOutcome first = GeneratorHarness.Run(Source("NetworkOne"), Source("NetworkTwo")).AssertCompilesCleanly();
        GeneratorOutcome again = GeneratorHarness.Run(Source("NetworkOne"), Source("NetworkTwo"));

        string[] names = [.. first.GeneratedSources.Select(s => s.HintName).Order(StringComparer.Ordinal)];
        Assert.Equal(2, names.Distinct().Count());
        Assert.All(names, name =>
        {
            Assert.True(name.Length <= 100, name);
            Assert.StartsWith("Namespace0WithARatherLongName.Namespace1", name, StringComparison.Ordinal);
            Assert.EndsWith(".g.cs", name, StringComparison.Ordinal);
        });
        Assert.Equal(names, again.GeneratedSources.Select(s => s.HintName).Order(StringComparer.Ordinal));
    }
}
