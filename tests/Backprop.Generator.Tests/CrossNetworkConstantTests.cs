using Backprop.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;

namespace Backprop.Generator.Tests;

/// <summary>
/// One network's size taken from another's generated constants — an encoder's OutputCount as a decoder's input —
/// is natural C#, but those constants do not exist while the generator runs. The generator computes them from the
/// other network's declaration, so both networks generate; and what it cannot compute is an error, never silence.
/// </summary>
public sealed class CrossNetworkConstantTests
{
    private const string Encoder = """
        using Backprop;

        namespace Demo;

        [Network(Loss.MeanSquaredError)]
        [Input(12)]
        [Dense(8, Activation.Tanh)]
        [Dense(3, Activation.Tanh)]
        public partial class Encoder;
        """;

    [Fact]
    public void A_decoder_sized_from_an_encoders_constants_in_another_file_generates()
    {
        GeneratorOutcome outcome = GeneratorHarness.Run(
            Encoder,
            """
            using Backprop;

            namespace Demo.Decoding;

            [Network(Loss.MeanSquaredError)]
            [Input(Demo.Encoder.OutputCount)]
            [Dense(Demo.Encoder.OutputCount * 2 + 2, Activation.ReLU)]
            [Dense(Demo.Encoder.InputCount, Activation.Identity)]
            public partial class Decoder;
            """).AssertCompilesCleanly();

        string decoder = outcome.GeneratedSources.Single(s => s.HintName == "Demo.Decoding.Decoder.g.cs").SourceText.ToString();
        Assert.Contains("public const int InputCount = 3;", decoder, StringComparison.Ordinal);
        Assert.Contains("public const int OutputCount = 12;", decoder, StringComparison.Ordinal);
        Assert.Contains("Input(3) → Dense(8, ReLU) → Dense(12, Identity)", decoder, StringComparison.Ordinal);
    }

    [Fact]
    public void A_network_nested_in_another_is_sized_from_its_containers_constants()
    {
        GeneratorOutcome outcome = GeneratorHarness.Run(
            """
            using Backprop;

            namespace Demo;

            [Network(Loss.CrossEntropy)]
            [Input(6)]
            [Dense(4, Activation.ReLU)]
            [Dense(2, Activation.Softmax)]
            public partial class Outer
            {
                [Network(Loss.MeanSquaredError, Precision = Precision.Double)]
                [Input(Outer.OutputCount)]
                [Dense(Outer.ParameterCount, Activation.Tanh)]
                [Dense(Outer.InputCount, Activation.Identity)]
                public partial class Inner;
            }
            """).AssertCompilesCleanly();

        string inner = outcome.GeneratedSources.Single(s => s.HintName == "Demo.Outer.Inner.g.cs").SourceText.ToString();
        Assert.Contains("Input(2) → Dense(38, Tanh) → Dense(6, Identity)", inner, StringComparison.Ordinal);
    }

    /// <summary>The decoder follows when the encoder changes: no stale size survives an edit.</summary>
    [Fact]
    public void Editing_the_encoder_resizes_the_decoder()
    {
        const string decoderSource = """
            using Backprop;
            namespace Demo;
            [Network(Loss.MeanSquaredError)] [Input(Encoder.OutputCount)] [Dense(1, Activation.Identity)] public partial class Decoder;
            """;
        Microsoft.CodeAnalysis.CSharp.CSharpCompilation compilation = GeneratorHarness.CreateCompilation(Encoder, decoderSource);
        GeneratorDriver driver = GeneratorHarness.CreateDriver().RunGenerators(compilation, TestContext.Current.CancellationToken);
        SyntaxTree encoder = compilation.SyntaxTrees.First();
        string edited = encoder.GetText(TestContext.Current.CancellationToken).ToString().Replace("[Dense(3, Activation.Tanh)]", "[Dense(5, Activation.Tanh)]", StringComparison.Ordinal);

        GeneratorDriverRunResult result = driver
            .RunGenerators(compilation.ReplaceSyntaxTree(encoder, encoder.WithChangedText(Microsoft.CodeAnalysis.Text.SourceText.From(edited))), TestContext.Current.CancellationToken)
            .GetRunResult();

        string decoder = result.GeneratedTrees.Single(t => t.FilePath.EndsWith("Demo.Decoder.g.cs", StringComparison.Ordinal)).ToString();
        Assert.Contains("public const int InputCount = 5;", decoder, StringComparison.Ordinal);
    }

    /// <summary>Two networks that size themselves from each other: no loop, and an error on each, not silence.</summary>
    [Fact]
    public void Networks_sized_from_each_other_end_in_errors_not_a_loop()
    {
        GeneratorOutcome outcome = GeneratorHarness.Run(
            """
            using Backprop;
            namespace Demo;
            [Network(Loss.MeanSquaredError)] [Input(B.OutputCount)] [Dense(3, Activation.Identity)] public partial class A;
            [Network(Loss.MeanSquaredError)] [Input(A.OutputCount)] [Dense(2, Activation.Identity)] public partial class B;
            """);

        Assert.Null(outcome.RunResult.Results.Single().Exception);
        Assert.All(outcome.GeneratedSources, s => Assert.Contains(" was not generated: ", s.SourceText.ToString(), StringComparison.Ordinal));
        Assert.Equal(2, outcome.GeneratedSources.Length);
        Assert.Equal(["A", "B"], outcome.AnalyzerDiagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)
            .Select(d => d.GetMessage(System.Globalization.CultureInfo.InvariantCulture).Split('\'')[1]).Distinct().Order(StringComparer.Ordinal));
    }
}
