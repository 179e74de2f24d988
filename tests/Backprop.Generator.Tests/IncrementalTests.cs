using System.Collections;
using System.Collections.Immutable;
using System.Reflection;
using Backprop.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Backprop.Generator.Tests;

/// <summary>
/// The generator runs on every keystroke in an IDE: an edit that touches no network must do no work,
/// and its models must hold no symbols, syntax or compilations (which would also keep them alive).
/// </summary>
public sealed class IncrementalTests
{
    private const string FirstNetwork = """
        using Backprop;
        namespace Demo;
        [Network(Loss.CrossEntropy)]
        [Input(4)]
        [Dense(8, Activation.Tanh)]
        [Dense(3, Activation.Softmax)]
        public partial class First;
        """;

    private const string SecondNetwork = """
        using Backprop;
        namespace Demo;
        [Network(Loss.SumSquaredError)]
        [Input(2)]
        [Dense(1, Activation.Sigmoid)]
        public partial class Second;
        """;

    private const string UnrelatedCode = """
        namespace Demo;
        public static class Helpers
        {
            public static int Twice(int x) => 2 * x;
        }
        """;

    private static readonly string[] TrackedSteps = [TrackingNames.Parse, TrackingNames.Plan];

    [Fact]
    public void An_unrelated_edit_leaves_every_step_cached()
    {
        CSharpCompilation compilation = GeneratorHarness.CreateCompilation(FirstNetwork, SecondNetwork, UnrelatedCode);
        GeneratorDriver driver = GeneratorHarness.CreateDriver().RunGenerators(compilation, TestContext.Current.CancellationToken);

        SyntaxTree unrelated = compilation.SyntaxTrees.ElementAt(2);
        CSharpCompilation edited = compilation
            .ReplaceSyntaxTree(unrelated, unrelated.WithChangedText(unrelated.GetText(TestContext.Current.CancellationToken).Replace(0, 0, "// a comment\n")))
            .AddSyntaxTrees(CSharpSyntaxTree.ParseText("namespace Demo; public class Added { }", GeneratorHarness.ParseOptions, cancellationToken: TestContext.Current.CancellationToken));
        GeneratorRunResult result = driver.RunGenerators(edited, TestContext.Current.CancellationToken).GetRunResult().Results.Single();

        foreach (string step in TrackedSteps)
        {
            IncrementalStepRunReason[] reasons = [.. result.TrackedSteps[step].SelectMany(s => s.Outputs).Select(o => o.Reason)];
            Assert.NotEmpty(reasons);
            Assert.All(reasons, reason => Assert.True(reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"{step}: {reason}"));
        }

        Assert.All(result.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs), o => Assert.Equal(IncrementalStepRunReason.Cached, o.Reason));
    }

    /// <summary>A declaration with an error is stubbed once: an unrelated edit leaves its stub cached, and emits nothing.</summary>
    [Fact]
    public void An_unrelated_edit_leaves_a_stub_cached()
    {
        const string invalid = "using Backprop; namespace Demo; [Network(Loss.CrossEntropy)] [Input(2)] [Dense(2, Activation.Tanh)] public partial class Bad;";
        CSharpCompilation compilation = GeneratorHarness.CreateCompilation(invalid, UnrelatedCode);
        GeneratorDriver driver = GeneratorHarness.CreateDriver().RunGenerators(compilation, TestContext.Current.CancellationToken);

        SourceTextEdit(ref compilation, compilation.SyntaxTrees.ElementAt(1), "2 * x", "x + x");
        GeneratorRunResult result = driver.RunGenerators(compilation, TestContext.Current.CancellationToken).GetRunResult().Results.Single();

        IncrementalStepRunReason[] stubs = [.. result.TrackedSteps[TrackingNames.Stubs].SelectMany(s => s.Outputs).Select(o => o.Reason)];
        Assert.Single(stubs);
        Assert.True(stubs[0] is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, stubs[0].ToString());
        Assert.All(result.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs), o => Assert.Equal(IncrementalStepRunReason.Cached, o.Reason));
    }

    [Fact]
    public void Editing_one_network_replans_only_that_network()
    {
        CSharpCompilation compilation = GeneratorHarness.CreateCompilation(FirstNetwork, SecondNetwork);
        GeneratorDriver driver = GeneratorHarness.CreateDriver().RunGenerators(compilation, TestContext.Current.CancellationToken);

        SyntaxTree second = compilation.SyntaxTrees.ElementAt(1);
        SourceTextEdit(ref compilation, second, "[Dense(1, Activation.Sigmoid)]", "[Dense(2, Activation.Sigmoid)]");
        GeneratorRunResult result = driver.RunGenerators(compilation, TestContext.Current.CancellationToken).GetRunResult().Results.Single();

        IncrementalStepRunReason[] plans = [.. result.TrackedSteps[TrackingNames.Plan].SelectMany(s => s.Outputs).Select(o => o.Reason)];
        Assert.Equal(1, plans.Count(r => r == IncrementalStepRunReason.Modified));
        Assert.Equal(1, plans.Count(r => r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged));
        Assert.Contains("public const int OutputCount = 2;", result.GeneratedSources.Single(s => s.HintName == "Demo.Second.g.cs").SourceText.ToString());
    }

    [Fact]
    public void Pipeline_models_hold_no_symbols_syntax_or_compilations()
    {
        GeneratorRunResult result = GeneratorHarness.Run(FirstNetwork, SecondNetwork, "using Backprop; [Network(Loss.CrossEntropy)] [Input(2)] [Dense(2, Activation.Tanh)] public partial class Bad;")
            .RunResult.Results.Single();

        object[] outputs = [.. result.TrackedSteps
            .Where(step => TrackedSteps.Contains(step.Key) || step.Key is TrackingNames.Stubs or TrackingNames.Failures)
            .SelectMany(step => step.Value)
            .SelectMany(run => run.Outputs)
            .Select(output => output.Value)];
        Assert.NotEmpty(outputs);
        foreach (object output in outputs)
        {
            AssertHoldsNoCompilerObjects(output, new HashSet<object>(ReferenceEqualityComparer.Instance), output.GetType().Name);
        }
    }

    private static void SourceTextEdit(ref CSharpCompilation compilation, SyntaxTree tree, string oldText, string newText)
    {
        string text = tree.GetText().ToString();
        Assert.Contains(oldText, text);
        compilation = compilation.ReplaceSyntaxTree(tree, tree.WithChangedText(Microsoft.CodeAnalysis.Text.SourceText.From(text.Replace(oldText, newText))));
    }

    /// <summary>Walks every field of a model, recursively, failing on a Roslyn object that would pin a compilation.</summary>
    internal static void AssertHoldsNoCompilerObjects(object? value, HashSet<object> visited, string path)
    {
        if (value is null || value is string || value.GetType().IsPrimitive || value.GetType().IsEnum || !visited.Add(value))
        {
            return;
        }

        Assert.False(value is ISymbol or SyntaxNode or SyntaxTree or Compilation or SemanticModel or Location, $"{path} holds a {value.GetType().Name}");
        if (value is DiagnosticDescriptor)
        {
            return; // Immutable data with value equality, and the same static instances every run.
        }

        if (value is IEnumerable sequence)
        {
            int i = 0;
            foreach (object? item in sequence)
            {
                AssertHoldsNoCompilerObjects(item, visited, $"{path}[{i++}]");
            }
        }

        for (Type? type = value.GetType(); type is not null && type != typeof(object); type = type.BaseType)
        {
            foreach (FieldInfo field in type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            {
                AssertHoldsNoCompilerObjects(field.GetValue(value), visited, $"{path}.{field.Name}");
            }
        }
    }
}
