using System.Collections.Immutable;
using System.Globalization;
using System.Reflection;
using System.Runtime.CompilerServices;
using Backprop.Generator.Diagnostics;
using Backprop.Generator.Model;
using Backprop.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace Backprop.Generator.Tests;

/// <summary>
/// Every diagnostic the generator reports: its id, severity, exact message and exact location in the
/// user's file, and that a declaration with an error generates nothing (never half a network). The
/// expected location is marked in the test source with <c>[|…|]</c> (see <see cref="SourceMarkup"/>).
/// Every run also checks that no exception escaped the generator.
/// </summary>
public sealed class DiagnosticsTests
{
    // ---------------------------------------------------------------- BP0001

    [Fact]
    public void BP0001_network_type_not_partial()
        => AssertReports(
            """
            using Backprop;

            namespace Demo;

            [Network(Loss.SumSquaredError)]
            [Input(2)]
            [Dense(1, Activation.Sigmoid)]
            public class [|Solid|];
            """,
            "BP0001",
            "The network type 'Solid' must be declared partial so that Backprop.Generator can add its members");

    // ---------------------------------------------------------- BP0002, BP0003

    [Fact]
    public void BP0002_missing_input()
        => AssertReports(
            """
            using Backprop;

            namespace Demo;

            [[|Network(Loss.SumSquaredError)|]]
            [Dense(1, Activation.Sigmoid)]
            public partial class NoInput;
            """,
            "BP0002",
            "The network 'NoInput' has no [Input(size)] attribute; declare the number of inputs on the same declaration as [Network]");

    [Fact]
    public void BP0003_no_dense_layer()
        => AssertReports(
            """
            using Backprop;

            namespace Demo;

            [Input(2)]
            [[|Network(Loss.SumSquaredError)|]]
            public partial class NoLayers;
            """,
            "BP0003",
            "The network 'NoLayers' has no [Dense(size, activation)] attribute; declare at least the output layer");

    [Fact]
    public void BP0002_and_BP0003_bare_network_attribute_reports_both()
        => AssertReports(
            ["""
            using Backprop;

            [{|attribute:Network(Loss.SumSquaredError)|}]
            public partial class Empty;
            """],
            new Expected("BP0002", "The network 'Empty' has no [Input(size)] attribute; declare the number of inputs on the same declaration as [Network]", "attribute"),
            new Expected("BP0003", "The network 'Empty' has no [Dense(size, activation)] attribute; declare at least the output layer", "attribute"));

    // ---------------------------------------------------------------- BP0004

    public static TheoryData<string, string> InvalidSizes => new()
    {
        {
            """
            using Backprop;

            [Network(Loss.SumSquaredError)]
            [Input([|0|])]
            [Dense(1, Activation.Sigmoid)]
            public partial class Sized;
            """,
            "The size of the input of network 'Sized' is 0; it must be at least 1"
        },
        {
            """
            using Backprop;

            [Network(Loss.SumSquaredError)]
            [Input([|-4|])]
            [Dense(1, Activation.Sigmoid)]
            public partial class Sized;
            """,
            "The size of the input of network 'Sized' is -4; it must be at least 1"
        },
        {
            """
            using Backprop;

            [Network(Loss.SumSquaredError)]
            [Input(3)]
            [Dense([|0|], Activation.Sigmoid)]
            public partial class Sized;
            """,
            "The size of layer 1 of network 'Sized' is 0; it must be at least 1"
        },
        {
            """
            using Backprop;

            [Network(Loss.SumSquaredError)]
            [Input(3)]
            [Dense(5, Activation.Tanh)]
            [Dense([|-2147483648|], Activation.Sigmoid)]
            public partial class Sized;
            """,
            "The size of layer 2 of network 'Sized' is -2147483648; it must be at least 1"
        },
        {
            """
            using Backprop;

            [Network(Loss.SumSquaredError)]
            [Input(3)]
            [Dense(5, Activation.Tanh)]
            [Dense([|2 - 3|], Activation.Sigmoid)]
            public partial class Sized;
            """,
            "The size of layer 2 of network 'Sized' is -1; it must be at least 1"
        },
        {
            """
            using Backprop;

            [Network(Loss.SumSquaredError)]
            [Input(3)]
            [Dense(activation: Activation.Sigmoid, [|size: 0|])]
            public partial class Sized;
            """,
            "The size of layer 1 of network 'Sized' is 0; it must be at least 1"
        },
        {
            """
            using Backprop;

            [Network(Loss.SumSquaredError)]
            [Input([|size: -3|])]
            [Dense(size: 1, activation: Activation.Sigmoid)]
            public partial class Sized;
            """,
            "The size of the input of network 'Sized' is -3; it must be at least 1"
        },
    };

    [Theory]
    [MemberData(nameof(InvalidSizes))]
    public void BP0004_size_below_one_on_input_or_dense(string markup, string message)
        => AssertReports(markup, "BP0004", message);

    // ---------------------------------------------------------------- BP0005

    [Fact]
    public void BP0005_too_many_parameters_on_the_first_layer()
        => AssertReports(
            """
            using Backprop;

            [Network(Loss.CrossEntropy)]
            [Input(100000)]
            [[|Dense(100000, Activation.ReLU)|]]
            [Dense(10, Activation.Softmax)]
            public partial class Huge;
            """,
            "BP0005",
            "The network 'Huge' would have 10,001,100,010 parameters, more than the 2,147,483,591 that fit in one array");

    [Fact]
    public void BP0005_is_reported_on_the_layer_where_the_total_first_passes_the_limit()
        // Layer 1 alone has 1,600,040,000 parameters (fits); layer 2 brings the total to 2,400,060,000.
        => AssertReports(
            """
            using Backprop;

            [Network(Loss.SumSquaredError)]
            [Input(40000)]
            [Dense(40000, Activation.ReLU)]
            [[|Dense(20000, Activation.Sigmoid)|]]
            [Dense(1, Activation.Identity)]
            public partial class Huge;
            """,
            "BP0005",
            "The network 'Huge' would have 2,400,080,001 parameters, more than the 2,147,483,591 that fit in one array");

    [Fact]
    public void BP0005_one_past_array_max_length()
        => AssertReports(
            """
            using Backprop;

            [Network(Loss.SumSquaredError)]
            [Input(2147483591)]
            [[|Dense(1, Activation.Identity)|]]
            public partial class Edge;
            """,
            "BP0005",
            "The network 'Edge' would have 2,147,483,592 parameters, more than the 2,147,483,591 that fit in one array");

    [Fact]
    public void Big_but_valid_network_generates_and_compiles()
    {
        GeneratorOutcome outcome = GeneratorHarness.Run(
            """
            using Backprop;

            [Network(Loss.BinaryCrossEntropy)]
            [Input(30000)]
            [Dense(1, Activation.Sigmoid)]
            public partial class Wide;
            """).AssertCompilesCleanly();

        Assert.Contains("public const int ParameterCount = 30001;", outcome.SingleSource);
    }

    // ---------------------------------------------------------------- BP0006

    [Fact]
    public void BP0006_softmax_on_a_hidden_layer()
        => AssertReports(
            """
            using Backprop;

            [Network(Loss.CrossEntropy)]
            [Input(4)]
            [Dense(6, Activation.Tanh)]
            [[|Dense(5, Activation.Softmax)|]]
            [Dense(3, Activation.Softmax)]
            public partial class SoftHidden;
            """,
            "BP0006",
            "Layer 2 of network 'SoftHidden' is a hidden layer with Activation.Softmax; softmax is only supported on the output layer");

    // ---------------------------------------------------------- BP0007, BP0008

    public static TheoryData<string, string, string> LossWithoutItsOutput => new()
    {
        {
            """
            using Backprop;

            [Network([|Loss.CrossEntropy|])]
            [Input(4)]
            [Dense(3, Activation.Sigmoid)]
            public partial class Mismatch;
            """,
            "BP0007",
            "The network 'Mismatch' uses Loss.CrossEntropy, which requires a Softmax output layer, but its output layer uses Activation.Sigmoid"
        },
        {
            """
            using Backprop;

            [Network([|Loss.CrossEntropy|], Precision = Precision.Double)]
            [Input(4)]
            [Dense(3, Activation.Tanh)]
            [Dense(3, Activation.Identity)]
            public partial class Mismatch;
            """,
            "BP0007",
            "The network 'Mismatch' uses Loss.CrossEntropy, which requires a Softmax output layer, but its output layer uses Activation.Identity"
        },
        {
            """
            using Backprop;

            [Network([|Loss.BinaryCrossEntropy|])]
            [Input(4)]
            [Dense(2, Activation.Softmax)]
            public partial class Mismatch;
            """,
            "BP0008",
            "The network 'Mismatch' uses Loss.BinaryCrossEntropy, which requires a Sigmoid output layer, but its output layer uses Activation.Softmax"
        },
        {
            """
            using Backprop;

            [Network([|loss: Loss.BinaryCrossEntropy|])]
            [Input(4)]
            [Dense(1, Activation.Tanh)]
            public partial class Mismatch;
            """,
            "BP0008",
            "The network 'Mismatch' uses Loss.BinaryCrossEntropy, which requires a Sigmoid output layer, but its output layer uses Activation.Tanh"
        },
    };

    [Theory]
    [MemberData(nameof(LossWithoutItsOutput))]
    public void BP0007_BP0008_cross_entropy_without_its_output_activation(string markup, string id, string message)
        => AssertReports(markup, id, message);

    // ---------------------------------------------------------------- BP0009

    [Fact]
    public void BP0009_dense_on_another_partial_declaration_in_the_same_file()
        => AssertReports(
            """
            using Backprop;

            [Network(Loss.SumSquaredError)]
            [Input(2)]
            [Dense(3, Activation.Tanh)]
            public partial class Split;

            [[|Dense(1, Activation.Sigmoid)|]]
            public partial class Split;
            """,
            "BP0009",
            "[Dense] of network 'Split' is on another partial declaration than the one with [Network]; put every layer attribute on the declaration that carries [Network], because layer order across partial declarations is undefined");

    [Fact]
    public void BP0009_dense_on_a_partial_declaration_in_another_file()
        => AssertReports(
            [
                """
                using Backprop;

                namespace Demo;

                [Network(Loss.SumSquaredError)]
                [Input(2)]
                [Dense(3, Activation.Tanh)]
                public partial class Split;
                """,
                """
                using Backprop;

                namespace Demo;

                [[|Dense(1, Activation.Sigmoid)|]]
                public partial class Split
                {
                }
                """,
            ],
            new Expected(
                "BP0009",
                "[Dense] of network 'Split' is on another partial declaration than the one with [Network]; put every layer attribute on the declaration that carries [Network], because layer order across partial declarations is undefined",
                File: 1));

    /// <summary>The [Input] is there, only on the wrong declaration: BP0009 says so, and BP0002 ("no [Input]") would be noise.</summary>
    [Fact]
    public void BP0009_input_on_another_partial_declaration_is_not_also_a_missing_input()
        => AssertReports(
            [
                """
                using Backprop;

                [Network(Loss.SumSquaredError)]
                [Dense(1, Activation.Sigmoid)]
                public partial class Split;
                """,
                """
                using Backprop;

                [[|Input(2)|]]
                public partial class Split;
                """,
            ],
            new Expected(
                "BP0009",
                "[Input] of network 'Split' is on another partial declaration than the one with [Network]; put every layer attribute on the declaration that carries [Network], because layer order across partial declarations is undefined",
                File: 1));

    [Fact]
    public void BP0009_every_dense_on_another_partial_declaration_is_not_also_a_missing_layer()
        => AssertReports(
            ["""
            using Backprop;

            [Network(Loss.SumSquaredError)]
            [Input(2)]
            public partial class Split;

            [{|hidden:Dense(3, Activation.Tanh)|}]
            [{|output:Dense(1, Activation.Sigmoid)|}]
            public partial class Split;
            """],
            new Expected("BP0009", "[Dense] of network 'Split' is on another partial declaration than the one with [Network]; put every layer attribute on the declaration that carries [Network], because layer order across partial declarations is undefined", "hidden"),
            new Expected("BP0009", "[Dense] of network 'Split' is on another partial declaration than the one with [Network]; put every layer attribute on the declaration that carries [Network], because layer order across partial declarations is undefined", "output"));

    /// <summary>
    /// With the output layer misplaced, the last [Dense] left is not the output layer: checking it against the loss
    /// would report BP0007 about a layer that is not the output. Only BP0009 is reported.
    /// </summary>
    [Fact]
    public void BP0009_a_misplaced_output_layer_is_not_also_a_loss_mismatch()
        => AssertReports(
            """
            using Backprop;

            [Network(Loss.CrossEntropy)]
            [Input(4)]
            [Dense(8, Activation.Tanh)]
            public partial class Split;

            [[|Dense(3, Activation.Softmax)|]]
            public partial class Split;
            """,
            "BP0009",
            "[Dense] of network 'Split' is on another partial declaration than the one with [Network]; put every layer attribute on the declaration that carries [Network], because layer order across partial declarations is undefined");

    // ---------------------------------------------------------------- BP0010

    public static TheoryData<string, string> UndefinedEnumValues => new()
    {
        {
            """
            using Backprop;

            [Network(Loss.SumSquaredError)]
            [Input(2)]
            [Dense(1, [|(Activation)42|])]
            public partial class Odd;
            """,
            "(Activation)42 is not a defined Activation value (network 'Odd')"
        },
        {
            """
            using Backprop;

            [Network(Loss.SumSquaredError)]
            [Input(2)]
            [Dense(4, [|(Activation)(-1)|])]
            [Dense(1, Activation.Sigmoid)]
            public partial class Odd;
            """,
            "(Activation)-1 is not a defined Activation value (network 'Odd')"
        },
        {
            """
            using Backprop;

            [Network(Loss.SumSquaredError)]
            [Input(2)]
            [Dense([|activation: (Activation)42|], size: 1)]
            public partial class Odd;
            """,
            "(Activation)42 is not a defined Activation value (network 'Odd')"
        },
        {
            """
            using Backprop;

            [Network([|(Loss)9|])]
            [Input(2)]
            [Dense(1, Activation.Sigmoid)]
            public partial class Odd;
            """,
            "(Loss)9 is not a defined Loss value (network 'Odd')"
        },
        {
            """
            using Backprop;

            [Network(Loss.SumSquaredError, [|Precision = (Precision)7|])]
            [Input(2)]
            [Dense(1, Activation.Sigmoid)]
            public partial class Odd;
            """,
            "(Precision)7 is not a defined Precision value (network 'Odd')"
        },
    };

    [Theory]
    [MemberData(nameof(UndefinedEnumValues))]
    public void BP0010_undefined_enum_value(string markup, string message)
        => AssertReports(markup, "BP0010", message);

    /// <summary>
    /// An undefined output activation is BP0010 only: the loss check must not pair the loss with a stand-in
    /// ("its output layer uses Activation.Identity" would name an activation the user never wrote).
    /// </summary>
    [Theory]
    [InlineData("CrossEntropy")]
    [InlineData("BinaryCrossEntropy")]
    public void BP0010_undefined_output_activation_is_not_also_a_loss_mismatch(string loss)
        => AssertReports(
            $"""
            using Backprop;

            [Network(Loss.{loss})]
            [Input(2)]
            [Dense(3, [|(Activation)42|])]
            public partial class Odd;
            """,
            "BP0010",
            "(Activation)42 is not a defined Activation value (network 'Odd')");

    // ---------------------------------------------------------------- BP0011

    public static TheoryData<string, string, string> MemberConflicts => new()
    {
        {
            """
            using Backprop;

            [Network(Loss.SumSquaredError)]
            [Input(2)]
            [Dense(1, Activation.Sigmoid)]
            public partial class Taken
            {
                public float[] [|Parameters|] = new float[3];
            }
            """,
            "Taken",
            "Parameters"
        },
        {
            """
            using System;
            using Backprop;

            [Network(Loss.SumSquaredError)]
            [Input(2)]
            [Dense(1, Activation.Sigmoid)]
            public partial class Taken
            {
                public void [|Forward|](ReadOnlySpan<float> input, Span<float> output)
                {
                }
            }
            """,
            "Taken",
            "Forward"
        },
        {
            """
            using System;
            using Backprop;

            [Network(Loss.SumSquaredError, Precision = Precision.Double)]
            [Input(2)]
            [Dense(1, Activation.Sigmoid)]
            public partial class Taken
            {
                private static double [|TrainStep|](ReadOnlySpan<double> x, ReadOnlySpan<double> t, double rate) => 0;
            }
            """,
            "Taken",
            "TrainStep"
        },
        {
            """
            using Backprop;

            [Network(Loss.SumSquaredError)]
            [Input(2)]
            [Dense(1, Activation.Sigmoid)]
            public partial class Taken
            {
                public int [|InputCount|] => 2;
            }
            """,
            "Taken",
            "InputCount"
        },
        {
            """
            using Backprop;

            [Network(Loss.SumSquaredError)]
            [Input(2)]
            [Dense(1, Activation.Sigmoid)]
            public partial class Taken
            {
                private readonly int [|_parameters|];
            }
            """,
            "Taken",
            "_parameters"
        },
        {
            """
            using Backprop;

            [Network(Loss.SumSquaredError)]
            [Input(2)]
            [Dense(1, Activation.Sigmoid)]
            public partial class Taken
            {
                public class [|OutputCount|];
            }
            """,
            "Taken",
            "OutputCount"
        },
        {
            """
            using Backprop;

            [Network(Loss.SumSquaredError)]
            [Input(2)]
            [Dense(1, Activation.Sigmoid)]
            public partial class [|Forward|];
            """,
            "Forward",
            "Forward"
        },
    };

    [Theory]
    [MemberData(nameof(MemberConflicts))]
    public void BP0011_user_member_collides_with_a_generated_member(string markup, string network, string name)
        => AssertReports(
            markup,
            "BP0011",
            $"The network '{network}' declares '{name}', but Backprop.Generator emits a member with that name; rename or remove it");

    [Fact]
    public void BP0011_conflict_on_another_partial_declaration_is_reported_where_the_member_is()
        => AssertReports(
            [
                """
                using Backprop;

                [Network(Loss.SumSquaredError)]
                [Input(2)]
                [Dense(1, Activation.Sigmoid)]
                public partial class Taken;
                """,
                """
                public partial class Taken
                {
                    public const int [|ParameterCount|] = 3;
                }
                """,
            ],
            new Expected(
                "BP0011",
                "The network 'Taken' declares 'ParameterCount', but Backprop.Generator emits a member with that name; rename or remove it",
                File: 1));

    /// <summary>
    /// The generated network implements the interface's counts and Architecture explicitly (its constants cannot):
    /// the user's own explicit implementation of one would be a second one, CS8646 in code they cannot see.
    /// </summary>
    [Fact]
    public void BP0011_user_explicit_interface_implementation_collides()
        => AssertReports(
            """
            using Backprop;

            [Network(Loss.SumSquaredError)]
            [Input(2)]
            [Dense(1, Activation.Sigmoid)]
            public partial class Explicit
            {
                int INetwork<float>.[|InputCount|] => 2;
            }
            """,
            "BP0011",
            "The network 'Explicit' declares 'Backprop.INetwork<float>.InputCount', but Backprop.Generator emits a member with that name; rename or remove it");

    [Theory]
    [InlineData("public float[] Forward(float[] x) => x;", "float")]
    [InlineData("public void Forward(System.ReadOnlySpan<double> input, System.Span<double> output) { }", "float")]
    [InlineData("public void Forward(System.ReadOnlySpan<float> input, System.Span<float> output) { }", "double")]
    [InlineData("public int InitializeParameters(string name) => name.Length;", "float")]
    // The same types passed by reference are another overload, which C# allows beside the generated one.
    [InlineData("public void Forward(in System.ReadOnlySpan<float> input, System.Span<float> output) { }", "float")]
    [InlineData("public void InitializeParameters(ref int seed) { }", "float")]
    public void Overload_with_other_parameters_is_not_a_conflict(string member, string type)
    {
        string precision = type == "double" ? ", Precision = Precision.Double" : "";
        GeneratorOutcome outcome = GeneratorHarness.Run(
            $$"""
            using Backprop;

            namespace Demo;

            [Network(Loss.SumSquaredError{{precision}})]
            [Input(2)]
            [Dense(1, Activation.Sigmoid)]
            public partial class Overloaded
            {
                {{member}}
            }
            """).AssertCompilesCleanly();

        Assert.Single(outcome.GeneratedSources);
    }

    // ---------------------------------------------------------------- BP0012

    public static TheoryData<string, string> UnsupportedContainingTypes => new()
    {
        {
            """
            using Backprop;

            namespace Demo;

            public class Outer
            {
                [Network(Loss.SumSquaredError)]
                [Input(2)]
                [Dense(1, Activation.Sigmoid)]
                public partial class [|Net|];
            }
            """,
            "The network 'Net' is nested in 'Demo.Outer', which is not partial; a network may only be nested in non-generic partial types"
        },
        {
            """
            using Backprop;

            namespace Demo;

            public partial class Outer<T>
            {
                [Network(Loss.SumSquaredError)]
                [Input(2)]
                [Dense(1, Activation.Sigmoid)]
                public partial class [|Net|];
            }
            """,
            "The network 'Net' is nested in 'Demo.Outer<T>', which is generic; a network may only be nested in non-generic partial types"
        },
        {
            """
            using Backprop;

            namespace Demo;

            public partial class Outer<T>
            {
                public partial struct Middle
                {
                    [Network(Loss.SumSquaredError)]
                    [Input(2)]
                    [Dense(1, Activation.Sigmoid)]
                    public partial class [|Net|];
                }
            }
            """,
            "The network 'Net' is nested in 'Demo.Outer<T>', which is generic; a network may only be nested in non-generic partial types"
        },
        {
            """
            using Backprop;

            namespace Demo;

            public partial class Outer
            {
                internal struct Middle
                {
                    [Network(Loss.SumSquaredError)]
                    [Input(2)]
                    [Dense(1, Activation.Sigmoid)]
                    public partial class [|Net|];
                }
            }
            """,
            "The network 'Net' is nested in 'Demo.Outer.Middle', which is not partial; a network may only be nested in non-generic partial types"
        },
        {
            """
            using Backprop;

            file partial class Outer
            {
                [Network(Loss.SumSquaredError)]
                [Input(2)]
                [Dense(1, Activation.Sigmoid)]
                public partial class [|Net|];
            }
            """,
            "The network 'Net' is nested in 'Outer', which is file-local; a network may only be nested in non-generic partial types"
        },
    };

    [Theory]
    [MemberData(nameof(UnsupportedContainingTypes))]
    public void BP0012_unsupported_containing_type(string markup, string message)
        => AssertReports(markup, "BP0012", message);

    // ---------------------------------------------------------------- BP0013

    public static TheoryData<string, string> UnsupportedNetworkTypes => new()
    {
        {
            """
            using Backprop;

            [Network(Loss.SumSquaredError)]
            [Input(2)]
            [Dense(1, Activation.Sigmoid)]
            public partial class [|Net|]<T>;
            """,
            "generic"
        },
        {
            """
            using Backprop;

            [Network(Loss.SumSquaredError)]
            [Input(2)]
            [Dense(1, Activation.Sigmoid)]
            public static partial class [|Net|];
            """,
            "static"
        },
        {
            """
            using Backprop;

            [Network(Loss.SumSquaredError)]
            [Input(2)]
            [Dense(1, Activation.Sigmoid)]
            public partial record [|Net|];
            """,
            "a record"
        },
        {
            """
            using Backprop;

            [Network(Loss.SumSquaredError)]
            [Input(2)]
            [Dense(1, Activation.Sigmoid)]
            public partial record class [|Net|];
            """,
            "a record"
        },
        {
            """
            using Backprop;

            [Network(Loss.SumSquaredError)]
            [Input(2)]
            [Dense(1, Activation.Sigmoid)]
            file partial class [|Net|];
            """,
            "file-local (a 'file' type cannot be extended from another file)"
        },
    };

    [Theory]
    [MemberData(nameof(UnsupportedNetworkTypes))]
    public void BP0013_unsupported_network_type(string markup, string what)
        => AssertReports(markup, "BP0013", $"The network 'Net' is {what}; a network must be a class (not a record), not generic, not static and not file-local");

    public static TheoryData<string, string> NonClassNetworkTypes => new()
    {
        { "public partial struct [|Net|];", "a struct" },
        { "public partial record struct [|Net|];", "a record struct" },
        { "public partial interface [|Net|];", "an interface" },
    };

    /// <summary>[Network] only targets classes, so the compiler reports CS0592 too; ours must still be there.</summary>
    [Theory]
    [MemberData(nameof(NonClassNetworkTypes))]
    public void BP0013_non_class_network_type_is_reported_besides_the_compilers_CS0592(string declaration, string what)
    {
        GeneratorOutcome outcome = AssertReports(
            $"""
            using Backprop;

            [Network(Loss.SumSquaredError)]
            [Input(2)]
            [Dense(1, Activation.Sigmoid)]
            {declaration}
            """,
            "BP0013",
            $"The network 'Net' is {what}; a network must be a class (not a record), not generic, not static and not file-local");

        Assert.Contains(outcome.OutputCompilation.GetDiagnostics(TestContext.Current.CancellationToken), d => d.Id == "CS0592");
    }

    // ---------------------------------------------------------------- BP0015

    /// <summary>
    /// Roslyn compares generated file names ignoring case, so Net and NET in one namespace would claim the
    /// same file (an exception, CS8785, that loses every network). The ordinal-first name (NET) generates;
    /// the other gets BP0015 on its name.
    /// </summary>
    [Fact]
    public void BP0015_two_networks_whose_names_differ_only_in_case()
    {
        MarkedSource source = SourceMarkup.Parse(
            """
            using Backprop;
            namespace Demo;
            [Network(Loss.SumSquaredError)] [Input(2)] [Dense(1, Activation.Sigmoid)] public partial class [|Net|];
            [Network(Loss.SumSquaredError)] [Input(2)] [Dense(1, Activation.Sigmoid)] public partial class NET;
            """);
        GeneratorOutcome outcome = GeneratorHarness.Run(source.Source);

        AssertNoGeneratorException(outcome);
        Assert.Empty(outcome.GeneratorDiagnostics);
        Diagnostic clash = Assert.Single(outcome.AnalyzerDiagnostics);
        Assert.Equal("BP0015", clash.Id);
        Assert.Equal(DiagnosticSeverity.Error, clash.Severity);
        Assert.Equal(
            "The generated file 'Demo.Net.g.cs' of network 'Net' would clash with that of 'Demo.NET' (generated file names ignore case); rename one of the two types",
            clash.GetMessage(CultureInfo.InvariantCulture));
        Assert.Equal("Network0.cs", clash.Location.GetLineSpan().Path);
        Assert.Equal(source.Span, clash.Location.SourceSpan);
        Assert.Equal("Demo.NET.g.cs", Assert.Single(outcome.GeneratedSources).HintName);
    }

    // ---------------------------------------------------------------- BP0016

    [Fact]
    public void BP0016_more_neurons_than_one_working_buffer_holds()
        => AssertReports(
            """
            using Backprop;

            [Network(Loss.SumSquaredError)]
            [Input(1)]
            [[|Dense(1000000000, Activation.Identity)|]]
            public partial class Wide;
            """,
            "BP0016",
            "The layers of network 'Wide' have 1,000,000,000 neurons in all; generated methods keep up to three values per neuron in one working buffer, so at most 715,827,863 fit");

    [Fact]
    public void A_network_just_under_the_neuron_limit_is_planned_and_emitted_without_error()
    {
        GeneratorOutcome outcome = GeneratorHarness.Run(
            """
            using Backprop;
            [Network(Loss.SumSquaredError)]
            [Input(1)]
            [Dense(700000000, Activation.Identity)]
            public partial class Wide;
            """).AssertCompilesCleanly();

        // The header's table row is wider than a line here (nine-digit counts): read it with its wrap undone.
        string header = System.Text.RegularExpressions.Regex.Replace(outcome.SingleSource, @"\n//\s+", " ");
        Assert.Contains("vectorised: unrolling would pass the JIT budget", header, StringComparison.Ordinal);
        // TrainStep keeps a1 and δ1 (no logits for a squared error): 1.4 billion values, rented.
        Assert.Contains("ArrayPool<float>.Shared.Rent(1400000000)", outcome.SingleSource, StringComparison.Ordinal);
    }

    // ------------------------------------------------- names and buffers that must still compile

    [Fact]
    public void Keyword_namespace_and_class_names_are_escaped_in_code_and_plain_in_the_file_name()
    {
        GeneratorOutcome outcome = GeneratorHarness.Run(
            """
            using Backprop;
            namespace @class.@int
            {
                public partial class @event
                {
                    [Network(Loss.SumSquaredError)] [Input(2)] [Dense(1, Activation.Sigmoid)]
                    public partial class @void;
                }
            }
            """).AssertCompilesCleanly();

        Assert.Equal("class.int.event.void.g.cs", outcome.GeneratedSources.Single().HintName);
        Assert.Contains("partial class @void : global::Backprop.INetwork<float>", outcome.SingleSource, StringComparison.Ordinal);
    }

    [Fact]
    public void A_scratch_buffer_too_big_for_the_stack_is_rented_and_compiles_without_implicit_usings()
    {
        GeneratorOutcome outcome = GeneratorHarness.Run(
            """
            using Backprop;
            [Network(Loss.CrossEntropy)] [Input(784)] [Dense(2048, Activation.ReLU)] [Dense(10, Activation.Softmax)]
            public partial class Big;
            """).AssertCompilesCleanly();

        Assert.Contains("global::System.Buffers.ArrayPool<float>.Shared.Rent(", outcome.SingleSource, StringComparison.Ordinal);
        Assert.Contains("global::System.Buffers.ArrayPool<float>.Shared.Return(rentedScratch);", outcome.SingleSource, StringComparison.Ordinal);
    }

    // ---------------------------------------------------------------- BP0014

    /// <summary>
    /// The parser trusts that an attribute named Backprop.InputAttribute has the runtime library's
    /// shape. A user's own type of that name taking an array makes reading its size throw (TypedConstant.Value
    /// of an array): the parser must catch it and report BP0014 on the declaration, never throw.
    /// </summary>
    [Fact]
    public void BP0014_unexpected_failure_while_parsing_is_a_diagnostic_not_an_exception()
    {
        MarkedSource source = SourceMarkup.Parse(
            """
            namespace Backprop
            {
                [System.AttributeUsage(System.AttributeTargets.Class)]
                public sealed class InputAttribute : System.Attribute
                {
                    public InputAttribute(params int[] sizes)
                    {
                    }
                }
            }

            namespace Demo
            {
                using Backprop;

                [Network(Loss.SumSquaredError)]
                [Input(2, 3)]
                [Dense(1, Activation.Sigmoid)]
                public partial class [|Impostor|];
            }
            """);
        GeneratorOutcome outcome = GeneratorHarness.Run(source.Source);

        // The generator's own failure is the generator's to report; the analyzer, meeting it too, stays silent.
        AssertNoGeneratorException(outcome);
        Assert.Empty(outcome.AnalyzerDiagnostics);
        Diagnostic failure = Assert.Single(outcome.GeneratorDiagnostics);
        Assert.Equal("BP0014", failure.Id);
        Assert.Equal(
            "Backprop.Generator failed to generate 'Impostor': InvalidOperationException: TypedConstant is an array. Use Values property; this is a bug in the generator, please report it",
            failure.GetMessage(CultureInfo.InvariantCulture));
        Assert.Equal(source.Span, failure.Location.SourceSpan);

        // The compiler itself only warns that the source type shadows the referenced one.
        Assert.Contains(outcome.OutputCompilation.GetDiagnostics(TestContext.Current.CancellationToken), d => d.Id == "CS0436");
    }

    // ------------------------------------------------------- several at once

    [Fact]
    public void Several_errors_in_one_declaration_are_all_reported()
        => AssertReports(
            ["""
            using Backprop;

            [Network({|loss:Loss.BinaryCrossEntropy|})]
            [Input({|input:0|})]
            [{|hidden:Dense(4, Activation.Softmax)|}]
            [Dense(3, {|activation:(Activation)12|})]
            [Dense(2, Activation.Softmax)]
            public partial class {|name:Broken|}
            {
                public int {|member:OutputCount|};
            }
            """],
            new Expected("BP0004", "The size of the input of network 'Broken' is 0; it must be at least 1", "input"),
            new Expected("BP0006", "Layer 1 of network 'Broken' is a hidden layer with Activation.Softmax; softmax is only supported on the output layer", "hidden"),
            new Expected("BP0010", "(Activation)12 is not a defined Activation value (network 'Broken')", "activation"),
            new Expected("BP0008", "The network 'Broken' uses Loss.BinaryCrossEntropy, which requires a Sigmoid output layer, but its output layer uses Activation.Softmax", "loss"),
            new Expected("BP0011", "The network 'Broken' declares 'OutputCount', but Backprop.Generator emits a member with that name; rename or remove it", "member"));

    [Fact]
    public void Not_partial_and_invalid_layers_are_reported_together()
        => AssertReports(
            ["""
            using Backprop;

            [Network(Loss.SumSquaredError)]
            [Input(2)]
            [Dense({|size:0|}, Activation.Sigmoid)]
            public sealed class {|name:Solid|};
            """],
            new Expected("BP0001", "The network type 'Solid' must be declared partial so that Backprop.Generator can add its members", "name"),
            new Expected("BP0004", "The size of layer 1 of network 'Solid' is 0; it must be at least 1", "size"));

    [Fact]
    public void An_invalid_network_does_not_stop_a_valid_one_in_the_same_compilation()
    {
        GeneratorOutcome outcome = GeneratorHarness.Run(
            """
            using Backprop;

            [Network(Loss.SumSquaredError)]
            [Input(0)]
            [Dense(1, Activation.Sigmoid)]
            public partial class Broken;

            [Network(Loss.SumSquaredError)]
            [Input(2)]
            [Dense(1, Activation.Sigmoid)]
            public partial class Fine;
            """);

        AssertNoGeneratorException(outcome);
        Assert.Empty(outcome.GeneratorDiagnostics);
        Assert.Equal("BP0004", Assert.Single(outcome.AnalyzerDiagnostics).Id);
        Assert.Empty(outcome.CompilationProblems);
        Assert.Equal(["Broken.g.cs", "Fine.g.cs"], outcome.GeneratedSources.Select(s => s.HintName).Order(StringComparer.Ordinal));
        Assert.Contains("public void Forward(", outcome.GeneratedSources.Single(s => s.HintName == "Fine.g.cs").SourceText.ToString(), StringComparison.Ordinal);
        Assert.Contains("was not generated: BP0004", outcome.GeneratedSources.Single(s => s.HintName == "Broken.g.cs").SourceText.ToString(), StringComparison.Ordinal);
    }

    // ------------------------------------------------- the compiler's own errors

    public static TheoryData<string, string> CompilerErrors => new()
    {
        { """[Network(Loss.SumSquaredError)] [Input("four")] [Dense(1, Activation.Sigmoid)]""", "CS1503" },
        { """[Network(Loss.SumSquaredError)] [Input(2)] [Dense(1, Activation.Sigmoid, 3)]""", "CS1729" },
        { """[Network(Loss.SumSquaredError)] [Input(2)] [Dense(1)]""", "CS7036" },
        { """[Network(Loss.SumSquaredError)] [Input(2)] [Dense(1, Activation.Sigmod)]""", "CS0117" },
        { """[Network(Loss.SumSquaredError)] [Input(2)] [Dense(1, 1)]""", "CS1503" },
        { """[Network(Loss.SumSquaredError)] [Input(2.5)] [Dense(1, Activation.Sigmoid)]""", "CS1503" },
        { """[Network(Loss.SumSquaredError)] [Input(int.MaxValue + 1)] [Dense(1, Activation.Sigmoid)]""", "CS0220" },
        { """[Network(Loss.SumSquaredEror)] [Input(2)] [Dense(1, Activation.Sigmoid)]""", "CS0117" },
        { """[Network] [Input(2)] [Dense(1, Activation.Sigmoid)]""", "CS7036" },
        { """[Network(Loss.SumSquaredError, Precision = "double")] [Input(2)] [Dense(1, Activation.Sigmoid)]""", "CS0029" },
        { """[Network(Loss.SumSquaredError)] [Input(System.Environment.ProcessorCount)] [Dense(1, Activation.Sigmoid)]""", "CS0182" },
    };

    /// <summary>
    /// An attribute argument the compiler cannot bind is the compiler's error; the analyzer adds nothing to it (no
    /// second diagnostic on the same mistake), and the generator adds a stub (so the error does not cascade to the
    /// network's uses) and does not throw.
    /// </summary>
    [Theory]
    [MemberData(nameof(CompilerErrors))]
    public void Attribute_with_a_compiler_error_gets_no_BP_diagnostic(string attributes, string compilerError)
    {
        GeneratorOutcome outcome = GeneratorHarness.Run(
            $"""
            using Backprop;

            {attributes}
            public partial class Bad;
            """);

        AssertNoGeneratorException(outcome);
        Assert.Empty(outcome.GeneratorDiagnostics);
        Assert.Empty(outcome.AnalyzerDiagnostics);
        Assert.Contains("the [Network] declaration has an error the compiler reports", outcome.SingleSource, StringComparison.Ordinal);
        Assert.Contains(outcome.OutputCompilation.GetDiagnostics(TestContext.Current.CancellationToken), d => d.Id == compilerError && d.Severity == DiagnosticSeverity.Error);
    }

    /// <summary>
    /// Roslyn drops a named argument it cannot bind from <see cref="AttributeData.NamedArguments"/> without
    /// marking anything as an error, so the generator cannot tell: it generates with the default precision.
    /// The compiler's own error still stands, and the generated code adds no error of its own.
    /// </summary>
    [Fact]
    public void Misspelled_named_argument_is_the_compilers_error_only()
    {
        GeneratorOutcome outcome = GeneratorHarness.Run(
            """
            using Backprop;

            [Network(Loss.SumSquaredError, Precison = Precision.Double)]
            [Input(2)]
            [Dense(1, Activation.Sigmoid)]
            public partial class Misspelled;
            """);

        AssertNoGeneratorException(outcome);
        Assert.Empty(outcome.GeneratorDiagnostics);
        Diagnostic error = Assert.Single(outcome.CompilationProblems);
        Assert.Equal("CS0246", error.Id);
        Assert.Equal("Network0.cs", error.Location.GetLineSpan().Path);
    }

    // ------------------------------------------- attributes from another namespace

    [Fact]
    public void Same_named_attributes_from_another_namespace_are_ignored()
    {
        GeneratorOutcome outcome = GeneratorHarness.Run(
            """
            using System;

            namespace MyLib
            {
                [AttributeUsage(AttributeTargets.Class, AllowMultiple = true)]
                public sealed class DenseAttribute(int size, int activation) : Attribute
                {
                    public int Size => size + activation;
                }

                [AttributeUsage(AttributeTargets.Class)]
                public sealed class InputAttribute(int size) : Attribute
                {
                    public int Size => size;
                }

                [AttributeUsage(AttributeTargets.Class)]
                public sealed class NetworkAttribute(int loss) : Attribute
                {
                    public int Loss => loss;
                }
            }

            namespace Demo
            {
                using Backprop;

                [Network(Loss.SumSquaredError)]
                [MyLib.Input(7)]
                [Input(2)]
                [MyLib.Dense(0, 99)]
                [Dense(3, Activation.Tanh)]
                [MyLib.Dense(-5, 1)]
                [Dense(1, Activation.Sigmoid)]
                public partial class Mixed;

                [MyLib.Network(3)]
                [Input(2)]
                [Dense(1, Activation.Sigmoid)]
                public partial class NotANetwork;
            }
            """);

        // Only Backprop's [Network] makes a network: NotANetwork's Backprop layers are ignored, which BP0017 says.
        Assert.Empty(outcome.GeneratorDiagnostics);
        Assert.Empty(outcome.CompilationProblems);
        Assert.Equal(
            ["BP0017: [Input] on 'NotANetwork'", "BP0017: [Dense] on 'NotANetwork'"],
            outcome.AnalyzerDiagnostics.OrderBy(d => d.Location.SourceSpan.Start)
                .Select(d => d.Id + ": " + d.GetMessage(CultureInfo.InvariantCulture)[..(d.GetMessage(CultureInfo.InvariantCulture).IndexOf("' ", StringComparison.Ordinal) + 1)]));
        string source = outcome.SingleSource;
        Assert.Contains("partial class Mixed", source);
        Assert.Contains("public const int InputCount = 2;", source);
        Assert.Contains("public const int OutputCount = 1;", source);
        Assert.Contains("public const int ParameterCount = 13;", source);
    }

    [Fact]
    public void Only_a_same_named_input_from_another_namespace_is_a_missing_input()
        => AssertReports(
            """
            namespace MyLib
            {
                public sealed class InputAttribute(int size) : System.Attribute
                {
                    public int Size => size;
                }
            }

            namespace Demo
            {
                using Backprop;

                [[|Network(Loss.SumSquaredError)|]]
                [MyLib.Input(2)]
                [Dense(1, Activation.Sigmoid)]
                public partial class Mixed;
            }
            """,
            "BP0002",
            "The network 'Mixed' has no [Input(size)] attribute; declare the number of inputs on the same declaration as [Network]");

    // ---------------------------------------------------------- valid forms

    public static TheoryData<string, string> ValidForms => new()
    {
        {
            "Demo.FileScoped",
            """
            using Backprop;

            namespace Demo;

            [Network(Loss.SumSquaredError)]
            [Input(2)]
            [Dense(1, Activation.Sigmoid)]
            public partial class FileScoped;
            """
        },
        {
            "Demo.Block.Inner.BlockScoped",
            """
            using Backprop;

            namespace Demo.Block
            {
                namespace Inner
                {
                    [Network(Loss.SumSquaredError)]
                    [Input(2)]
                    [Dense(1, Activation.Sigmoid)]
                    internal partial class BlockScoped
                    {
                    }
                }
            }
            """
        },
        {
            "GlobalNet",
            """
            [Backprop.Network(Backprop.Loss.SumSquaredError)]
            [Backprop.Input(2)]
            [Backprop.Dense(1, Backprop.Activation.Sigmoid)]
            partial class GlobalNet;
            """
        },
        {
            "Demo.InClass+Net",
            """
            using Backprop;

            namespace Demo;

            public partial class InClass
            {
                [Network(Loss.SumSquaredError)]
                [Input(2)]
                [Dense(1, Activation.Sigmoid)]
                public partial class Net;
            }
            """
        },
        {
            "Demo.InStruct+Net",
            """
            using Backprop;

            namespace Demo;

            public readonly partial struct InStruct
            {
                [Network(Loss.SumSquaredError)]
                [Input(2)]
                [Dense(1, Activation.Sigmoid)]
                internal partial class Net;
            }
            """
        },
        {
            "Demo.InRecord+Net",
            """
            using Backprop;

            namespace Demo;

            public sealed partial record InRecord(int Id)
            {
                [Network(Loss.SumSquaredError)]
                [Input(2)]
                [Dense(1, Activation.Sigmoid)]
                private partial class Net;
            }
            """
        },
        {
            "Demo.InRecordStruct+Net",
            """
            using Backprop;

            namespace Demo;

            public partial record struct InRecordStruct
            {
                [Network(Loss.SumSquaredError)]
                [Input(2)]
                [Dense(1, Activation.Sigmoid)]
                public partial class Net;
            }
            """
        },
        {
            "Demo.InInterface+Net",
            """
            using Backprop;

            namespace Demo;

            public partial interface InInterface
            {
                [Network(Loss.SumSquaredError)]
                [Input(2)]
                [Dense(1, Activation.Sigmoid)]
                partial class Net;
            }
            """
        },
        {
            "Demo.Deep+Deeper+Deepest+Net",
            """
            using Backprop;

            namespace Demo;

            internal static partial class Deep
            {
                private partial struct Deeper
                {
                    private partial record Deepest
                    {
                        [Network(Loss.SumSquaredError)]
                        [Input(2)]
                        [Dense(1, Activation.Sigmoid)]
                        private protected partial class Net;
                    }
                }
            }
            """
        },
        {
            "Demo.Outer+ProtectedNet",
            """
            using Backprop;

            namespace Demo;

            public partial class Outer
            {
                [Network(Loss.SumSquaredError)]
                [Input(2)]
                [Dense(1, Activation.Sigmoid)]
                protected partial class ProtectedNet;
            }
            """
        },
        {
            "Demo.AbstractNet",
            """
            using Backprop;

            namespace Demo;

            [Network(Loss.SumSquaredError)]
            [Input(2)]
            [Dense(1, Activation.Sigmoid)]
            public abstract partial class AbstractNet
            {
                public abstract string Describe();
            }
            """
        },
        {
            "Demo.SealedNet",
            """
            using Backprop;

            namespace Demo;

            [Network(Loss.SumSquaredError)]
            [Input(2)]
            [Dense(1, Activation.Sigmoid)]
            public sealed partial class SealedNet;
            """
        },
        {
            "Demo.Aliased",
            """
            using BP = Backprop;

            namespace Demo;

            [global::Backprop.NetworkAttribute(BP::Loss.SumSquaredError, Precision = BP.Precision.Double)]
            [BP.InputAttribute(2)]
            [BP::Dense(1, BP.Activation.Sigmoid)]
            public partial class Aliased;
            """
        },
        {
            "Demo.WithMembers",
            """
            using System;
            using System.Collections.Generic;
            using Backprop;

            namespace Demo;

            public abstract class Base
            {
                protected Base(string name) => Name = name;

                public string Name { get; }
            }

            /// <summary>A network with its own members beside the generated ones.</summary>
            [Serializable]
            [Network(Loss.MeanSquaredError)]
            [Input(3)]
            [Dense(4, Activation.ReLU)]
            [Dense(2, Activation.Identity)]
            public sealed partial class WithMembers : Base, IComparable<WithMembers>
            {
                private readonly List<float> _history = new();
                private readonly int _seed;

                public WithMembers(int seed)
                    : base("with members")
                {
                    _seed = seed;
                    InitializeParameters(seed);
                }

                public WithMembers()
                    : this(42)
                {
                }

                public event EventHandler? Trained;

                public int Seed => _seed;

                public float this[int index] => Parameters[index];

                public float Train(ReadOnlySpan<float> input, ReadOnlySpan<float> target)
                {
                    float loss = TrainStep(input, target, 0.1f);
                    _history.Add(loss);
                    Trained?.Invoke(this, EventArgs.Empty);
                    return loss;
                }

                public int CompareTo(WithMembers? other) => ParameterCount.CompareTo(WithMembers.ParameterCount);

                public override string ToString() => $"{Name}: {InputCount} → {OutputCount}";

                private static void Helper()
                {
                }

                public enum Mode
                {
                    Train,
                    Evaluate,
                }
            }
            """
        },
    };

    [Theory]
    [MemberData(nameof(ValidForms))]
    public void Valid_declaration_generates_and_compiles_cleanly(string metadataName, string source)
    {
        GeneratorOutcome outcome = GeneratorHarness.Run(source).AssertCompilesCleanly();

        Assert.Single(outcome.GeneratedSources);
        INamedTypeSymbol? type = outcome.OutputCompilation.GetTypeByMetadataName(metadataName);
        Assert.NotNull(type);
        Assert.Contains(type.AllInterfaces, i => i.ToDisplayString() is "Backprop.INetwork<float>" or "Backprop.INetwork<double>");
    }

    // ---------------------------------------------------------------- BP0017

    [Fact]
    public void BP0017_layer_attributes_without_network()
        => AssertReports(
            ["""
            using Backprop;

            namespace Demo;

            [{|input:Input(2)|}]
            [{|dense:Dense(1, Activation.Sigmoid)|}]
            public partial class Forgotten;
            """],
            new Expected("BP0017", "[Input] on 'Forgotten' has no effect: the type has no [Network] attribute, so no network is generated from its layers", "input"),
            new Expected("BP0017", "[Dense] on 'Forgotten' has no effect: the type has no [Network] attribute, so no network is generated from its layers", "dense"));

    // ---------------------------------------------------------- BP0018, BP0019

    /// <summary>
    /// A user type named like a generated member, used unqualified in an attribute argument, would bind to the
    /// generated member once it exists (CS0120 at an argument the user wrote correctly): BP0018 says so instead.
    /// </summary>
    [Fact]
    public void BP0018_attribute_argument_named_like_a_generated_member()
        => AssertReports(
            """
            using Backprop;

            namespace Demo;

            public static class Parameters
            {
                public const int Hidden = 8;
            }

            [Network(Loss.SumSquaredError)]
            [Input(2)]
            [Dense([|Parameters|].Hidden, Activation.Tanh)]
            [Dense(1, Activation.Identity)]
            public partial class Shadowed;
            """,
            "BP0018",
            "The attribute argument 'Parameters' of network 'Shadowed' has the name of a member Backprop.Generator emits, which is what it would name inside the network; qualify it (for example with its namespace) or rename it");

    /// <summary>Qualified, the same type is no longer captured by the generated member: the network generates.</summary>
    [Fact]
    public void A_qualified_attribute_argument_is_not_captured()
        => GeneratorHarness.Run(
            """
            using Backprop;

            namespace Demo;

            public static class Parameters
            {
                public const int Hidden = 8;
            }

            [Network(Loss.SumSquaredError)]
            [Input(2)]
            [Dense(global::Demo.Parameters.Hidden, Activation.Tanh)]
            [Dense(1, Activation.Identity)]
            public partial class Qualified;
            """).AssertCompilesCleanly();

    [Fact]
    public void BP0019_network_derives_from_a_class_with_a_generated_members_name()
        => AssertReports(
            """
            using Backprop;

            namespace Demo;

            public class Model
            {
                public void Forward(float[] input) { }
            }

            [Network(Loss.SumSquaredError)]
            [Input(2)]
            [Dense(1, Activation.Sigmoid)]
            public partial class Derived : [|Model|];
            """,
            "BP0019",
            "The network 'Derived' derives from 'Demo.Model', whose member 'Forward' has the name of a member Backprop.Generator emits; a network can only derive from a class without such members");

    /// <summary>A base class without such members is fine: the network derives from it and generates cleanly.</summary>
    [Fact]
    public void A_network_derives_from_a_plain_base_class()
        => GeneratorHarness.Run(
            """
            using Backprop;

            namespace Demo;

            public abstract class Model
            {
                public string Name { get; set; } = "";

                public abstract void Describe();
            }

            [Network(Loss.SumSquaredError)]
            [Input(2)]
            [Dense(1, Activation.Sigmoid)]
            public partial class Derived : Model
            {
                public override void Describe() { }
            }
            """).AssertCompilesCleanly();

    // ------------------------------------------------- where the IDE and the build expect them

    /// <summary>A <c>#line</c> directive maps a diagnostic as it maps the compiler's own.</summary>
    [Fact]
    public void A_diagnostic_follows_a_line_directive()
    {
        GeneratorOutcome outcome = AssertReports(
            ["""
            using Backprop;

            namespace Demo;

            #line 500 "Declared.cs"
            [Network(Loss.SumSquaredError)]
            [Input([|0|])]
            [Dense(1, Activation.Sigmoid)]
            public partial class Mapped;
            """],
            new Expected("BP0004", "The size of the input of network 'Mapped' is 0; it must be at least 1"));

        FileLinePositionSpan mapped = Assert.Single(outcome.AnalyzerDiagnostics).Location.GetMappedLineSpan();
        Assert.True(mapped.HasMappedPath);
        Assert.Equal("Declared.cs", mapped.Path);
        Assert.Equal(500, mapped.StartLinePosition.Line);
    }

    public static TheoryData<string, string> Suppressions => new()
    {
        { "#pragma", "#pragma warning disable BP0017\n[Input(2)]\n#pragma warning restore BP0017\npublic partial class Quiet;" },
        { "SuppressMessage", "[Input(2)]\n[System.Diagnostics.CodeAnalysis.SuppressMessage(\"Backprop.Generator\", \"BP0017\")]\npublic partial class Quiet;" },
    };

    /// <summary>A warning is suppressed the usual ways, because it is reported at a place in the user's tree.</summary>
    [Theory]
    [MemberData(nameof(Suppressions))]
    public void A_warning_is_suppressed_by_pragma_and_SuppressMessage(string how, string declaration)
    {
        GeneratorOutcome outcome = GeneratorHarness.Run("using Backprop;\n\n" + declaration);

        Assert.True(outcome.AnalyzerDiagnostics.IsEmpty, $"{how}: {string.Join(", ", outcome.AnalyzerDiagnostics)}");
        Assert.Empty(outcome.CompilationProblems);
    }

    /// <summary>An .editorconfig severity applies to the file it names: BP0017 becomes an error in one file and is off in another.</summary>
    [Fact]
    public void An_editorconfig_severity_applies_per_file()
    {
        AnalyzerConfigSet config = AnalyzerConfigSet.Create(ImmutableArray.Create(
            AnalyzerConfig.Parse("root = true\n\n[Network0.cs]\ndotnet_diagnostic.BP0017.severity = error\n\n[Network1.cs]\ndotnet_diagnostic.BP0017.severity = none\n", "/.editorconfig")));
        GeneratorOutcome outcome = GeneratorHarness.Run(
            compilation => compilation.WithOptions(compilation.Options.WithSyntaxTreeOptionsProvider(new EditorConfigSeverities(config))),
            "using Backprop;\n[Input(2)] public partial class Strict;",
            "using Backprop;\n[Input(2)] public partial class Lenient;");

        Diagnostic diagnostic = Assert.Single(outcome.AnalyzerDiagnostics);
        Assert.Equal("BP0017", diagnostic.Id);
        Assert.Equal("Network0.cs", diagnostic.Location.SourceTree!.FilePath);
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
    }

    /// <summary>The severities an .editorconfig gives each file, as the SDK hands them to the compiler.</summary>
    private sealed class EditorConfigSeverities(AnalyzerConfigSet config) : SyntaxTreeOptionsProvider
    {
        public override GeneratedKind IsGenerated(SyntaxTree tree, CancellationToken cancellationToken) => GeneratedKind.Unknown;

        public override bool TryGetDiagnosticValue(SyntaxTree tree, string diagnosticId, CancellationToken cancellationToken, out ReportDiagnostic severity)
            => config.GetOptionsForSourcePath("/" + tree.FilePath).TreeOptions.TryGetValue(diagnosticId, out severity);

        public override bool TryGetGlobalDiagnosticValue(string diagnosticId, CancellationToken cancellationToken, out ReportDiagnostic severity)
        {
            severity = ReportDiagnostic.Default;
            return false;
        }
    }

    // ---------------------------------------------------------- naming trap

    private static readonly string[] AttributeArgumentNames = ["Loss", "Activation", "Precision", "Network", "Input", "Dense"];

    public static TheoryData<string, string> NamingTrapCases => new()
    {
        {
            "Demo.IrisNet",
            """
            using Backprop;

            namespace Demo;

            [Network(Loss.CrossEntropy)]
            [Input(4)]
            [Dense(8, Activation.Tanh)]
            [Dense(3, Activation.Softmax)]
            public partial class IrisNet;
            """
        },
        {
            "Demo.Outer+DoubleNet",
            """
            using Backprop;

            namespace Demo;

            public partial class Outer
            {
                [Network(Loss.BinaryCrossEntropy, Precision = Precision.Double)]
                [Input(40)]
                [Dense(24, Activation.LeakyReLU)]
                [Dense(1, Activation.Sigmoid)]
                public partial class DoubleNet;
            }
            """
        },
        {
            "Demo.Looped",
            """
            using Backprop;

            namespace Demo;

            [Network(Loss.HalfSumSquaredError)]
            [Input(300)]
            [Dense(100, Activation.ReLU)]
            [Dense(10, Activation.Softmax)]
            public partial class Looped;
            """
        },
    };

    /// <summary>
    /// Attribute arguments bind with the class's own members in scope: a generated member named Loss would
    /// break <c>[Network(Loss.CrossEntropy)]</c> with CS0119. The declarations must compile after generation,
    /// and no generated member may bear one of the six names the attributes use.
    /// </summary>
    [Theory]
    [MemberData(nameof(NamingTrapCases))]
    public void Naming_trap_no_generated_member_shadows_an_attribute_argument(string metadataName, string source)
    {
        GeneratorOutcome outcome = GeneratorHarness.Run(source).AssertCompilesCleanly();

        string[] names = [.. GeneratedMemberSymbols(outcome, metadataName).Select(m => m.Name)];
        Assert.NotEmpty(names);
        Assert.Contains("Forward", names);
        Assert.Empty(names.Intersect(AttributeArgumentNames));
    }

    /// <summary>
    /// BP0011 can only catch a collision with a member it knows of: every member the emitter adds must be
    /// in <see cref="GeneratedMembers.All"/>, with the same parameter types for a method.
    /// </summary>
    [Theory]
    [MemberData(nameof(NamingTrapCases))]
    public void Every_generated_member_is_known_to_the_conflict_check(string metadataName, string source)
    {
        GeneratorOutcome outcome = GeneratorHarness.Run(source).AssertCompilesCleanly();
        Generator.Model.Precision precision = source.Contains("Precision.Double") ? Generator.Model.Precision.Double : Generator.Model.Precision.Single;
        var known = GeneratedMembers.All(precision)
            .Select(m => m.Name + (m.ParameterTypes is null ? "" : "(" + string.Join(", ", m.ParameterTypes) + ")"))
            .ToHashSet();

        foreach (ISymbol member in GeneratedMemberSymbols(outcome, metadataName))
        {
            string signature = member is IMethodSymbol method
                ? member.Name + "(" + string.Join(", ", method.Parameters.Select(p => p.Type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat))) + ")"
                : member.Name;
            Assert.True(
                known.Contains(signature),
                $"The generated member {signature} is not listed in GeneratedMembers.All, so a user member with its name is not reported as BP0011.");
        }
    }

    /// <summary>The members of the network type declared in a generated file (accessors and explicit interface implementations excluded).</summary>
    private static IEnumerable<ISymbol> GeneratedMemberSymbols(GeneratorOutcome outcome, string metadataName)
    {
        INamedTypeSymbol type = outcome.OutputCompilation.GetTypeByMetadataName(metadataName)
            ?? throw new InvalidOperationException($"No type {metadataName}.");
        var generatedTrees = outcome.GeneratedSources.Select(s => s.SyntaxTree).ToHashSet();
        return type.GetMembers().Where(m =>
            !m.IsImplicitlyDeclared
            && m is not IMethodSymbol { AssociatedSymbol: not null }
            && !IsExplicitImplementation(m)
            && m.DeclaringSyntaxReferences.Any(r => generatedTrees.Contains(r.SyntaxTree)));
    }

    private static bool IsExplicitImplementation(ISymbol member) => member switch
    {
        IMethodSymbol m => !m.ExplicitInterfaceImplementations.IsEmpty,
        IPropertySymbol p => !p.ExplicitInterfaceImplementations.IsEmpty,
        IEventSymbol e => !e.ExplicitInterfaceImplementations.IsEmpty,
        _ => false,
    };

    // -------------------------------------------------------- release tracking

    private static IEnumerable<DiagnosticDescriptor> Descriptors
        => typeof(DiagnosticDescriptors)
            .GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.FieldType == typeof(DiagnosticDescriptor))
            .Select(f => (DiagnosticDescriptor)f.GetValue(null)!);

    [Fact]
    public void Descriptor_ids_are_unique_and_consecutive_and_all_errors_but_BP0017()
    {
        string[] ids = [.. Descriptors.Select(d => d.Id)];

        Assert.Equal(ids.Length, ids.Distinct().Count());
        Assert.Equal(Enumerable.Range(1, ids.Length).Select(i => $"BP{i:0000}"), ids.Order());
        Assert.All(Descriptors, d =>
        {
            Assert.Equal(d.Id == "BP0017" ? DiagnosticSeverity.Warning : DiagnosticSeverity.Error, d.DefaultSeverity);
            Assert.True(d.IsEnabledByDefault);
            Assert.Equal("Backprop.Generator", d.Category);
        });
    }

    /// <summary>Each descriptor explains itself and links to its page in docs/diagnostics, which exists and is titled by its id.</summary>
    [Fact]
    public void Every_descriptor_has_a_description_and_a_help_page()
    {
        string docs = Path.Combine(RepositoryRoot(), "docs", "diagnostics");

        Assert.All(Descriptors, d =>
        {
            Assert.True(d.Description.ToString(CultureInfo.InvariantCulture).Length > 40, $"{d.Id} has no real description.");
            Assert.Equal(DiagnosticDescriptors.HelpLinkBase + d.Id + ".md", d.HelpLinkUri);
            string page = Path.Combine(docs, d.Id + ".md");
            Assert.True(File.Exists(page), $"{page} does not exist.");
            Assert.StartsWith($"# {d.Id}: ", File.ReadLines(page).First(), StringComparison.Ordinal);
        });
    }

    /// <summary>The analyzer reports every declaration diagnostic; only the generator's own failure is the generator's.</summary>
    [Fact]
    public void The_analyzer_supports_every_descriptor_but_the_generator_failure()
        => Assert.Equal(
            Descriptors.Where(d => d != DiagnosticDescriptors.GeneratorFailure).Select(d => d.Id).Order(),
            new NetworkDeclarationAnalyzer().SupportedDiagnostics.Select(d => d.Id).Order());

    private static string RepositoryRoot([CallerFilePath] string callerFile = "")
        => Path.GetFullPath(Path.Combine(Path.GetDirectoryName(callerFile)!, "..", ".."));

    [Fact]
    public void Every_descriptor_is_in_AnalyzerReleases_Unshipped_with_its_category_and_severity()
    {
        Dictionary<string, (string Category, string Severity, string Notes)> rows = ReadReleaseTable("AnalyzerReleases.Unshipped.md");

        Assert.All(Descriptors, d =>
        {
            Assert.True(rows.TryGetValue(d.Id, out var row), $"{d.Id} is not in AnalyzerReleases.Unshipped.md.");
            Assert.Equal(d.Category, row.Category);
            Assert.Equal(d.DefaultSeverity.ToString(), row.Severity);
            Assert.Equal(d.Title.ToString(CultureInfo.InvariantCulture), row.Notes);
        });
        Assert.Equal(Descriptors.Select(d => d.Id).Order(), rows.Keys.Order());
        Assert.Empty(ReadReleaseTable("AnalyzerReleases.Shipped.md"));
    }

    /// <summary>The rule rows (<c>id | category | severity | notes</c>) of one of the generator's release files.</summary>
    private static Dictionary<string, (string Category, string Severity, string Notes)> ReadReleaseTable(string fileName, [CallerFilePath] string callerFile = "")
    {
        string path = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(callerFile)!, "..", "..", "src", "Backprop.Generator", fileName));
        var rows = new Dictionary<string, (string, string, string)>();
        foreach (string line in File.ReadAllLines(path))
        {
            string[] cells = [.. line.Split('|').Select(c => c.Trim())];
            if (cells.Length == 4 && cells[0].StartsWith("BP", StringComparison.Ordinal))
            {
                Assert.True(rows.TryAdd(cells[0], (cells[1], cells[2], cells[3])), $"{cells[0]} is listed twice in {fileName}.");
            }
        }

        return rows;
    }

    // ------------------------------------------------------------- helpers

    /// <summary>What one reported diagnostic must be: its location is the named span (or the only unnamed span) of file <paramref name="File"/>.</summary>
    internal sealed record Expected(string Id, string Message, string? Span = null, int File = 0);

    private static GeneratorOutcome AssertReports(string markup, string id, string message)
        => AssertReports([markup], new Expected(id, message));

    /// <summary>
    /// Runs the generator and the analyzer over <paramref name="markups"/> and asserts that the analyzer reported
    /// exactly <paramref name="expected"/> (in any order), each with its severity and message at that span of that
    /// user file, as a location in the user's own syntax tree; that the generator reported nothing and threw
    /// nothing; and that what it generated (a stub, for a network with an error) adds no error or warning to the
    /// compilation.
    /// </summary>
    private static GeneratorOutcome AssertReports(string[] markups, params Expected[] expected)
    {
        MarkedSource[] sources = [.. markups.Select(SourceMarkup.Parse)];
        GeneratorOutcome outcome = GeneratorHarness.Run([.. sources.Select(s => s.Source)]);

        AssertNoGeneratorException(outcome);
        Assert.Empty(outcome.GeneratorDiagnostics);
        string[] before = [.. GeneratorHarness.CreateCompilation([.. sources.Select(s => s.Source)]).GetDiagnostics()
            .Where(d => d.Severity >= DiagnosticSeverity.Warning).Select(d => d.ToString())];
        string[] added = [.. outcome.CompilationProblems.Select(d => d.ToString()).Except(before)];
        Assert.True(added.Length == 0, "The generated code adds problems to the compilation:\n" + string.Join("\n", added));

        (Expected Expected, string Path, TextSpan Span)[] wanted =
        [
            .. expected
                .Select(e => (e, $"Network{e.File}.cs", e.Span is null ? sources[e.File].Span : sources[e.File].NamedSpans[e.Span]))
                .OrderBy(w => w.Item2, StringComparer.Ordinal).ThenBy(w => w.Item3.Start).ThenBy(w => w.e.Id, StringComparer.Ordinal),
        ];
        Diagnostic[] actual =
        [
            .. outcome.AnalyzerDiagnostics
                .OrderBy(d => d.Location.GetLineSpan().Path, StringComparer.Ordinal).ThenBy(d => d.Location.SourceSpan.Start).ThenBy(d => d.Id, StringComparer.Ordinal),
        ];
        Assert.True(
            wanted.Length == actual.Length,
            $"Expected {string.Join(", ", wanted.Select(w => w.Expected.Id))} but the analyzer reported:\n{string.Join("\n", actual.Select(d => d.ToString()))}");

        for (int i = 0; i < wanted.Length; i++)
        {
            (Expected e, string path, TextSpan span) = wanted[i];
            Diagnostic d = actual[i];
            DiagnosticSeverity severity = e.Id == DiagnosticDescriptors.LayerWithoutNetwork.Id ? DiagnosticSeverity.Warning : DiagnosticSeverity.Error;
            Assert.Equal(e.Id, d.Id);
            Assert.Equal(severity, d.Severity);
            Assert.Equal(severity, d.DefaultSeverity);
            Assert.False(d.IsWarningAsError);
            Assert.Equal(e.Message, d.GetMessage(CultureInfo.InvariantCulture));

            // In the user's own syntax tree (not a file path and a span), at exactly the marked text.
            SyntaxTree tree = outcome.OutputCompilation.SyntaxTrees.Single(t => t.FilePath == path);
            Assert.Equal(LocationKind.SourceFile, d.Location.Kind);
            Assert.Same(tree, d.Location.SourceTree);
            Assert.Equal(sources[e.File].TextOf(span), tree.GetText().ToString(d.Location.SourceSpan));
            Assert.Equal(span, d.Location.SourceSpan);
        }

        return outcome;
    }

    private static void AssertNoGeneratorException(GeneratorOutcome outcome)
    {
        Exception? exception = outcome.RunResult.Results.Single().Exception;
        Assert.True(exception is null, $"The generator threw: {exception}");
        Assert.DoesNotContain(outcome.GeneratorDiagnostics, d => d.Id == "CS8785");
    }
}
