using Backprop.Generator.CodeFixes;
using Backprop.Generator.Diagnostics;
using Basic.Reference.Assemblies;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Testing;

namespace Backprop.Generator.Tests.CodeFixes;

/// <summary>
/// Each code fix, through Roslyn's code-fix test harness: the analyzer reports the marked diagnostic
/// (<c>{|BP0001:…|}</c>), the fix turns the source into the fixed one, the fixed source has no diagnostic left, and
/// the harness also runs the fix over every diagnostic at once (fix-all in document, project and solution).
/// </summary>
public sealed class CodeFixTests
{
    // ------------------------------------------------------------ BP0001, BP0012: partial

    [Fact]
    public Task BP0001_adds_partial_after_the_other_modifiers()
        => Verify<MakePartialCodeFixProvider>(
            """
            using Backprop;

            [Network(Loss.SumSquaredError)]
            [Input(2)]
            [Dense(1, Activation.Sigmoid)]
            public sealed class {|BP0001:Solid|};
            """,
            """
            using Backprop;

            [Network(Loss.SumSquaredError)]
            [Input(2)]
            [Dense(1, Activation.Sigmoid)]
            public sealed partial class Solid;
            """);

    [Fact]
    public Task BP0001_adds_partial_to_a_class_without_modifiers_and_fixes_all_networks_at_once()
        => Verify<MakePartialCodeFixProvider>(
            """
            using Backprop;

            /// <summary>The first.</summary>
            [Network(Loss.SumSquaredError)] [Input(2)] [Dense(1, Activation.Sigmoid)]
            class {|BP0001:First|} { }

            [Network(Loss.SumSquaredError)] [Input(2)] [Dense(1, Activation.Sigmoid)]
            internal class {|BP0001:Second|} { }
            """,
            """
            using Backprop;

            /// <summary>The first.</summary>
            [Network(Loss.SumSquaredError)] [Input(2)] [Dense(1, Activation.Sigmoid)]
            partial class First { }

            [Network(Loss.SumSquaredError)] [Input(2)] [Dense(1, Activation.Sigmoid)]
            internal partial class Second { }
            """);

    [Fact]
    public Task BP0012_makes_every_containing_type_partial()
        => Verify<MakePartialCodeFixProvider>(
            """
            using Backprop;

            public static class Outer
            {
                public class Middle
                {
                    [Network(Loss.SumSquaredError)] [Input(2)] [Dense(1, Activation.Sigmoid)]
                    public partial class {|BP0012:Net|};
                }
            }
            """,
            """
            using Backprop;

            public static partial class Outer
            {
                public partial class Middle
                {
                    [Network(Loss.SumSquaredError)] [Input(2)] [Dense(1, Activation.Sigmoid)]
                    public partial class Net;
                }
            }
            """);

    /// <summary>A generic containing type is not fixed by a modifier: no fix is offered.</summary>
    [Fact]
    public Task BP0012_offers_no_fix_for_a_generic_containing_type()
    {
        const string source = """
            using Backprop;

            public partial class Outer<T>
            {
                [Network(Loss.SumSquaredError)] [Input(2)] [Dense(1, Activation.Sigmoid)]
                public partial class {|BP0012:Net|};
            }
            """;
        return Verify<MakePartialCodeFixProvider>(source, source);
    }

    // ------------------------------------------------------------ BP0006, BP0007, BP0008: activations

    [Theory]
    [InlineData(0, "Tanh")]
    [InlineData(1, "ReLU")]
    public Task BP0006_makes_the_hidden_layer_Tanh_or_ReLU(int action, string activation)
        => Verify<ActivationCodeFixProvider>(
            """
            using Backprop;

            [Network(Loss.CrossEntropy)]
            [Input(4)]
            [{|BP0006:Dense(8, Activation.Softmax)|}]
            [Dense(3, Activation.Softmax)]
            public partial class Net;
            """,
            $$"""
            using Backprop;

            [Network(Loss.CrossEntropy)]
            [Input(4)]
            [Dense(8, Activation.{{activation}})]
            [Dense(3, Activation.Softmax)]
            public partial class Net;
            """,
            action);

    [Fact]
    public Task BP0007_makes_the_output_layer_Softmax()
        => Verify<ActivationCodeFixProvider>(
            """
            using Backprop;

            [Network({|BP0007:Loss.CrossEntropy|})]
            [Input(4)]
            [Dense(8, Activation.Tanh)]
            [Dense(3, Activation.Sigmoid)]
            public partial class Net;
            """,
            """
            using Backprop;

            [Network(Loss.CrossEntropy)]
            [Input(4)]
            [Dense(8, Activation.Tanh)]
            [Dense(3, Activation.Softmax)]
            public partial class Net;
            """);

    [Fact]
    public Task BP0007_with_one_output_switches_to_Sigmoid_and_binary_cross_entropy()
        => Verify<ActivationCodeFixProvider>(
            """
            using Backprop;

            [Network({|BP0007:Loss.CrossEntropy|}, Precision = Precision.Double)]
            [Input(4)]
            [Dense(1, Activation.Identity)]
            public partial class Net;
            """,
            """
            using Backprop;

            [Network(Loss.BinaryCrossEntropy, Precision = Precision.Double)]
            [Input(4)]
            [Dense(1, Activation.Sigmoid)]
            public partial class Net;
            """,
            codeActionIndex: 1);

    [Fact]
    public Task BP0008_makes_the_output_layer_Sigmoid_in_the_users_own_style()
        => Verify<ActivationCodeFixProvider>(
            """
            using Backprop;
            using static Backprop.Activation;

            [Network({|BP0008:Loss.BinaryCrossEntropy|})]
            [Input(4)]
            [Dense(2, Tanh)]
            public partial class Net;
            """,
            """
            using Backprop;
            using static Backprop.Activation;

            [Network(Loss.BinaryCrossEntropy)]
            [Input(4)]
            [Dense(2, Sigmoid)]
            public partial class Net;
            """);

    // ------------------------------------------------------------ BP0009: layers on another declaration

    [Fact]
    public Task BP0009_moves_every_layer_attribute_onto_the_Network_declaration_once()
        => Verify<MoveLayerAttributesCodeFixProvider>(
            """
            using Backprop;

            [Network(Loss.SumSquaredError)]
            [Input(2)]
            public partial class Net;

            [{|BP0009:Dense(3, Activation.Tanh)|}]
            [{|BP0009:Dense(1, Activation.Sigmoid)|}]
            public partial class Net
            {
                public int Epochs { get; set; }
            }
            """,
            """
            using Backprop;

            [Network(Loss.SumSquaredError)]
            [Input(2)]
            [Dense(3, Activation.Tanh)]
            [Dense(1, Activation.Sigmoid)]
            public partial class Net;

            public partial class Net
            {
                public int Epochs { get; set; }
            }
            """);

    // ------------------------------------------------------------ BP0017: no [Network]

    [Theory]
    [InlineData("Dense(3, Activation.Softmax)", "CrossEntropy")]
    [InlineData("Dense(1, Activation.Sigmoid)", "BinaryCrossEntropy")]
    [InlineData("Dense(2, Activation.Sigmoid)", "BinaryCrossEntropy")]
    [InlineData("Dense(2, Activation.Tanh)", "MeanSquaredError")]
    [InlineData("Dense(1, Activation.Identity)", "MeanSquaredError")]
    public Task BP0017_adds_Network_with_the_loss_the_output_layer_implies(string output, string loss)
        => Verify<AddNetworkAttributeCodeFixProvider>(
            $$"""
            using Backprop;

            namespace Demo
            {
                /// <summary>A network.</summary>
                [{|BP0017:Input(4)|}]
                [{|BP0017:{{output}}|}]
                public partial class Net;
            }
            """,
            $$"""
            using Backprop;

            namespace Demo
            {
                /// <summary>A network.</summary>
                [Network(Loss.{{loss}})]
                [Input(4)]
                [{{output}}]
                public partial class Net;
            }
            """);

    /// <summary>
    /// Runs the analyzer and <typeparamref name="TFix"/> over <paramref name="source"/> (compiled against .NET 10 and
    /// the Backprop runtime, offline) and checks the result of action <paramref name="codeActionIndex"/>.
    /// </summary>
    private static Task Verify<TFix>(string source, string fixedSource, int codeActionIndex = 0)
        where TFix : CodeFixProvider, new()
    {
        var test = new CSharpCodeFixTest<NetworkDeclarationAnalyzer, TFix, DefaultVerifier>
        {
            TestCode = source,
            FixedCode = fixedSource,
            CodeActionIndex = codeActionIndex,
            ReferenceAssemblies = new ReferenceAssemblies("net10.0"),
        };
        test.TestState.AdditionalReferences.AddRange(Net100.References.All);
        test.TestState.AdditionalReferences.Add(MetadataReference.CreateFromFile(typeof(NetworkAttribute).Assembly.Location));
        return test.RunAsync(TestContext.Current.CancellationToken);
    }
}
