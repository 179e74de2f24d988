using System.Collections.Immutable;
using Backprop.Generator.Planning;
using Backprop.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Backprop.Generator.Tests;

/// <summary>
/// No generated method may reach the JIT's MinOpts thresholds (docs/architecture.md): past any of them the JIT
/// compiles the method without optimisation and the unrolled code runs slower than a loop. These tests
/// compile networks of every size the planner treats differently, in Release, and measure the real IL.
/// </summary>
public sealed class JitBudgetTests(ITestOutputHelper output)
{
    private const int JitMaxLocalsToTrack = 1024;

    /// <summary>Shapes from tiny to MNIST-sized, and shapes right at the planner's unroll/loop boundary.</summary>
    public static TheoryData<string, string> Shapes => new()
    {
        { "2-3-1 sigmoid SSE", Declare("SumSquaredError", 2, (3, "Sigmoid"), (1, "Sigmoid")) },
        { "4-8-3 tanh softmax CE", Declare("CrossEntropy", 4, (8, "Tanh"), (3, "Softmax")) },
        { "16-16-16-4 ReLU softmax CE", Declare("CrossEntropy", 16, (16, "ReLU"), (16, "ReLU"), (4, "Softmax")) },
        { "24-24-4 ReLU softmax SSE", Declare("SumSquaredError", 24, (24, "ReLU"), (4, "Softmax")) },
        { "26-26-4 LeakyReLU sigmoid BCE", Declare("BinaryCrossEntropy", 26, (26, "LeakyReLU"), (4, "Sigmoid")) },
        { "30-20-10 tanh identity MSE", Declare("MeanSquaredError", 30, (20, "Tanh"), (10, "Identity")) },
        { "64-32-10 ReLU softmax CE", Declare("CrossEntropy", 64, (32, "ReLU"), (10, "Softmax")) },
        { "600-1 sigmoid BCE (one wide neuron)", Declare("BinaryCrossEntropy", 600, (1, "Sigmoid")) },
        { "1-600-1 tanh identity HSSE (one wide layer)", Declare("HalfSumSquaredError", 1, (600, "Tanh"), (1, "Identity")) },
        { "784-128-10 ReLU softmax CE", Declare("CrossEntropy", 784, (128, "ReLU"), (10, "Softmax")) },
        { "784-256-128-10 ReLU softmax CE", Declare("CrossEntropy", 784, (256, "ReLU"), (128, "ReLU"), (10, "Softmax")) },
        { "12×(12) tanh, deep", Declare("SumSquaredError", 12, Enumerable.Repeat((12, "Tanh"), 12).ToArray()) },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Every_generated_method_stays_under_the_MinOpts_thresholds(string shape, string source)
    {
        ImmutableArray<MethodBodyMetrics> methods = CompileRelease(source);
        MethodCost limit = JitBudget.MinOptsThresholds;

        Assert.NotEmpty(methods);
        foreach (MethodBodyMetrics method in methods)
        {
            output.WriteLine($"{shape}: {method}");
            Assert.True(method.ILBytes < limit.ILBytes, $"{method.Method}: {method.ILBytes} IL bytes");
            Assert.True(method.ILInstructions < limit.ILInstructions, $"{method.Method}: {method.ILInstructions} IL instructions");
            Assert.True(method.BasicBlocks < limit.BasicBlocks, $"{method.Method}: {method.BasicBlocks} basic blocks");
            Assert.True(method.Locals < JitMaxLocalsToTrack, $"{method.Method}: {method.Locals} locals, but the JIT only tracks {JitMaxLocalsToTrack} for registers");
            Assert.True(method.LocalReferences < limit.LocalReferences, $"{method.Method}: {method.LocalReferences} local references");
        }
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void The_cost_model_does_not_underestimate_TrainStep(string shape, string source)
    {
        GeneratorOutcome outcome = GeneratorHarness.Run(source).AssertCompilesCleanly();
        MethodCost estimate = ReadEstimate(outcome.SingleSource);
        MethodBodyMetrics trainStep = CompileRelease(source).Single(m => m.Method == "TrainStep");
        output.WriteLine($"{shape}: estimated {estimate}, measured {trainStep}");

        Assert.True(trainStep.ILInstructions <= estimate.ILInstructions, $"{trainStep.ILInstructions} IL instructions > estimate {estimate.ILInstructions}");
        Assert.True(trainStep.ILBytes <= estimate.ILBytes, $"{trainStep.ILBytes} IL bytes > estimate {estimate.ILBytes}");
        Assert.True(trainStep.Locals <= estimate.Locals, $"{trainStep.Locals} locals > estimate {estimate.Locals}");
    }

    private static ImmutableArray<MethodBodyMetrics> CompileRelease(string source)
    {
        GeneratorOutcome outcome = GeneratorHarness.Run(source).AssertCompilesCleanly();
        Compilation release = outcome.OutputCompilation.WithOptions(
            ((CSharpCompilationOptions)outcome.OutputCompilation.Options).WithOptimizationLevel(OptimizationLevel.Release));
        using var image = new MemoryStream();
        var result = release.Emit(image);
        Assert.True(result.Success, string.Join("\n", result.Diagnostics));
        return [.. MethodBodyMetrics.ReadAll(image.ToArray()).Where(m => m.Type == "Net")];
    }

    /// <summary>The planner's estimate, as the generated header states it.</summary>
    private static MethodCost ReadEstimate(string generated)
    {
        string line = generated.Split('\n').Single(l => l.StartsWith("// Planner: TrainStep estimated at ", StringComparison.Ordinal));
        int[] numbers = [.. System.Text.RegularExpressions.Regex.Matches(line, @"\d[\d,]*").Select(m => int.Parse(m.Value.Replace(",", ""), System.Globalization.CultureInfo.InvariantCulture))];
        return new MethodCost(ILBytes: numbers[1], ILInstructions: numbers[0], BasicBlocks: 0, Locals: numbers[2], LocalReferences: 0);
    }

    private static string Declare(string loss, int inputs, params (int Size, string Activation)[] layers)
        => $"""
            using Backprop;
            [Network(Loss.{loss})]
            [Input({inputs})]
            {string.Join("\n", layers.Select(l => $"[Dense({l.Size}, Activation.{l.Activation})]"))}
            public partial class Net;
            """;
}
