using System.Collections.Immutable;
using Backprop.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Backprop.Generator.Tests;

/// <summary>
/// Two projects that both use the package, one referencing the other: nothing the generator adds
/// may collide (the attribute types live in the runtime library, every generated type is the user's own).
/// </summary>
public sealed class CrossProjectTests
{
    [Fact]
    public void A_project_with_networks_can_reference_another_project_with_networks()
    {
        GeneratorOutcome library = GeneratorHarness.Run(
            """
            using Backprop;
            namespace Library;
            [Network(Loss.CrossEntropy)] [Input(4)] [Dense(8, Activation.Tanh)] [Dense(3, Activation.Softmax)]
            public partial class SharedNet;
            """).AssertCompilesCleanly();
        using var image = new MemoryStream();
        Assert.True(library.OutputCompilation.Emit(image, cancellationToken: TestContext.Current.CancellationToken).Success);
        MetadataReference libraryReference = MetadataReference.CreateFromImage(image.ToArray());

        CSharpCompilation application = GeneratorHarness.CreateCompilation(
            """
            using Backprop;
            namespace Application;
            [Network(Loss.SumSquaredError)] [Input(3)] [Dense(2, Activation.Sigmoid)]
            public partial class LocalNet;

            public static class Uses
            {
                public static int Total() => Library.SharedNet.ParameterCount + LocalNet.ParameterCount;
                public static INetwork<float>[] Both() => [new Library.SharedNet(), new LocalNet()];
            }
            """).AddReferences(libraryReference);
        GeneratorHarness.CreateDriver().RunGeneratorsAndUpdateCompilation(
            application, out Compilation output, out ImmutableArray<Diagnostic> diagnostics, TestContext.Current.CancellationToken);

        Assert.Empty(diagnostics);
        Assert.Empty(output.GetDiagnostics(TestContext.Current.CancellationToken).Where(d => d.Severity >= DiagnosticSeverity.Warning));
        Assert.Single(output.SyntaxTrees, tree => tree.FilePath.EndsWith("Application.LocalNet.g.cs", StringComparison.Ordinal));
    }
}
