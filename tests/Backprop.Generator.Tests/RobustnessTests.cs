using Backprop.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;

namespace Backprop.Generator.Tests;

/// <summary>Declarations the compiler already rejects must not make the generator throw or add noise.</summary>
public sealed class RobustnessTests
{
    [Fact]
    public void Network_attribute_on_two_partial_declarations_leaves_only_the_compilers_error()
    {
        GeneratorOutcome outcome = GeneratorHarness.Run(
            "using Backprop; [Network(Loss.SumSquaredError)] [Input(2)] [Dense(1, Activation.Sigmoid)] public partial class Twice;",
            "using Backprop; [Network(Loss.SumSquaredError)] public partial class Twice;");

        Assert.Null(outcome.RunResult.Results.Single().Exception);
        Assert.Empty(outcome.GeneratorDiagnostics);
        Assert.Empty(outcome.GeneratedSources);
        Assert.Contains(outcome.CompilationProblems, d => d.Id == "CS0579");
        Assert.DoesNotContain(outcome.CompilationProblems, d => d.Id == "CS8785");
    }
}
