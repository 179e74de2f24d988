using Backprop.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;

namespace Backprop.Generator.Tests;

/// <summary>
/// A declaration with an error must not bury that error under errors at every use of the network: the generator
/// stubs the network (its members exist and throw), so a build shows the BP error and nothing else. Each case
/// compiles a declaration with one error together with code that uses every <c>INetwork&lt;T&gt;</c> member, the
/// constants, the trainer and the serializer.
/// </summary>
public sealed class NoCascadeTests
{
    /// <summary>(the error, the attributes and body of <c>partial class Net</c>).</summary>
    public static TheoryData<string, string> Declarations => new()
    {
        { "BP0002", "[Network(Loss.SumSquaredError)] [Dense(1, Activation.Sigmoid)] public partial class Net;" },
        { "BP0003", "[Network(Loss.SumSquaredError)] [Input(2)] public partial class Net;" },
        { "BP0004", "[Network(Loss.SumSquaredError)] [Input(0)] [Dense(1, Activation.Sigmoid)] public partial class Net;" },
        { "BP0005", "[Network(Loss.SumSquaredError)] [Input(100000)] [Dense(100000, Activation.ReLU)] [Dense(1, Activation.Identity)] public partial class Net;" },
        { "BP0006", "[Network(Loss.CrossEntropy)] [Input(2)] [Dense(3, Activation.Softmax)] [Dense(2, Activation.Softmax)] public partial class Net;" },
        { "BP0007", "[Network(Loss.CrossEntropy)] [Input(2)] [Dense(2, Activation.Sigmoid)] public partial class Net;" },
        { "BP0008", "[Network(Loss.BinaryCrossEntropy, Precision = Precision.Double)] [Input(2)] [Dense(1, Activation.Tanh)] public partial class Net;" },
        { "BP0009", "[Network(Loss.SumSquaredError)] public partial class Net; [Input(2)] [Dense(1, Activation.Sigmoid)] public partial class Net;" },
        { "BP0010", "[Network(Loss.SumSquaredError)] [Input(2)] [Dense(1, (Activation)42)] public partial class Net;" },
        { "BP0011", "[Network(Loss.SumSquaredError)] [Input(2)] [Dense(1, Activation.Sigmoid)] public partial class Net { public const string Architecture = \"mine\"; }" },
        { "BP0016", "[Network(Loss.SumSquaredError)] [Input(1)] [Dense(1000000000, Activation.Identity)] public partial class Net;" },
        { "BP0013", "[Network(Loss.SumSquaredError)] [Input(2)] [Dense(1, Activation.Sigmoid)] public partial record Net;" },
        { "BP0018", "public static class Parameters { public const int Hidden = 3; } [Network(Loss.SumSquaredError)] [Input(2)] [Dense(Parameters.Hidden, Activation.Tanh)] [Dense(2, Activation.Identity)] public partial class Net;" },
        // The compiler's own error in an attribute argument: it stands alone too.
        { "CS0117", "[Network(Loss.SumSquaredEror)] [Input(2)] [Dense(1, Activation.Sigmoid)] public partial class Net;" },
    };

    [Theory]
    [MemberData(nameof(Declarations))]
    public void A_declaration_error_is_the_only_error_of_code_that_uses_the_network(string error, string declaration)
    {
        string t = declaration.Contains("Precision.Double", StringComparison.Ordinal) ? "double" : "float";
        GeneratorOutcome outcome = GeneratorHarness.Run($"using Backprop;\n\nnamespace Demo;\n\n{declaration}\n", Uses(t));

        Assert.Null(outcome.RunResult.Results.Single().Exception);
        Assert.Empty(outcome.GeneratorDiagnostics);
        Diagnostic[] errors =
        [
            .. outcome.CompilationProblems.Concat(outcome.AnalyzerDiagnostics).Where(d => d.Severity == DiagnosticSeverity.Error),
        ];
        Assert.NotEmpty(errors);
        Assert.All(errors, d => Assert.True(d.Id == error, $"Expected only {error}, but the build also reports {d}"));
        Assert.Empty(outcome.CompilationProblems.Where(d => d.Severity == DiagnosticSeverity.Warning));
        Assert.Contains($"was not generated: {(error.StartsWith("BP", StringComparison.Ordinal) ? error : "the [Network] declaration")}", outcome.SingleSource, StringComparison.Ordinal);
    }

    /// <summary>A stub's members throw the declaration's error, so a program that runs anyway says why.</summary>
    [Fact]
    public void A_stub_member_throws_the_declaration_error()
    {
        GeneratorOutcome outcome = GeneratorHarness.Run(
            "using Backprop;\n\nnamespace Demo;\n\n[Network(Loss.CrossEntropy)] [Input(2)] [Dense(2, Activation.Sigmoid)] public partial class Net;\n");
        using var image = new MemoryStream();
        Microsoft.CodeAnalysis.Emit.EmitResult emitted = outcome.OutputCompilation.Emit(image, cancellationToken: TestContext.Current.CancellationToken);
        Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics));

        var network = (INetwork<float>)Activator.CreateInstance(System.Reflection.Assembly.Load(image.ToArray()).GetType("Demo.Net")!)!;

        const string error = "Demo.Net was not generated: BP0007: The network 'Net' uses Loss.CrossEntropy";
        Assert.StartsWith(error, network.Architecture, StringComparison.Ordinal);
        Assert.Equal(0, network.InputCount + network.OutputCount + network.ParameterCount);
        Assert.StartsWith(error, Assert.Throws<InvalidOperationException>(() => network.Forward([], [])).Message, StringComparison.Ordinal);
        Assert.StartsWith(error, Assert.Throws<InvalidOperationException>(() => network.TrainStep([], [], 0.1f)).Message, StringComparison.Ordinal);
        Assert.StartsWith(error, Assert.Throws<InvalidOperationException>(() => network.InitializeParameters(1)).Message, StringComparison.Ordinal);
        Assert.StartsWith(error, Assert.Throws<InvalidOperationException>(() => network.Parameters.Length).Message, StringComparison.Ordinal);
    }

    /// <summary>A generic class is not a supported network type either (BP0013), and its stub still keeps its uses compiling.</summary>
    [Fact]
    public void A_generic_network_is_stubbed_too()
    {
        GeneratorOutcome outcome = GeneratorHarness.Run(
            "using Backprop;\n\nnamespace Demo;\n\n[Network(Loss.SumSquaredError)] [Input(2)] [Dense(1, Activation.Sigmoid)] public partial class Net<T>;\n",
            Uses("float", "Net<int>"));

        Assert.Empty(outcome.CompilationProblems);
        Assert.Equal("BP0013", Assert.Single(outcome.AnalyzerDiagnostics).Id);
        Assert.Contains("partial class Net<T> : global::Backprop.INetwork<float>", outcome.SingleSource, StringComparison.Ordinal);
    }

    /// <summary>Code that touches every member of a network <c>Demo.Net</c> (or <paramref name="network"/>) of element type <paramref name="t"/>.</summary>
    private static string Uses(string t, string network = "Net")
        => $$"""
            using System;
            using Backprop;
            using Backprop.Optimizers;
            using Backprop.Serialization;
            using Backprop.Training;

            namespace Demo;

            public static class Uses
            {
                public static {{t}} Everything()
                {
                    var net = new {{network}}();
                    INetwork<{{t}}> network = net;
                    var input = new {{t}}[{{network}}.InputCount + network.InputCount];
                    var target = new {{t}}[{{network}}.OutputCount + network.OutputCount];
                    var gradient = new {{t}}[{{network}}.ParameterCount + network.ParameterCount];
                    string architecture = {{network}}.Architecture + network.Architecture;
                    net.InitializeParameters(seed: 1);
                    Span<{{t}}> parameters = network.Parameters;
                    net.Forward(input, target);
                    {{t}} loss = net.ComputeLoss(input, target) + net.Backward(input, target, gradient);
                    loss += net.TrainStep(input, target, 0.1f) + net.TrainBatch(input, target, 0.1f);
                    net.ForwardBatch(input, target);
                    loss += net.BackwardBatch(input, target, gradient);
                    var trainer = new Trainer<{{t}}>(net, new Sgd<{{t}}>({{network}}.ParameterCount));
                    trainer.Fit(input, target, new TrainingOptions());
                    NetworkSerializer.Save(net, architecture);
                    NetworkSerializer.Load(net, architecture);
                    return loss + parameters[0];
                }
            }
            """;
}
