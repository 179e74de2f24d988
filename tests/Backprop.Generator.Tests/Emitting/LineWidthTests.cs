using Backprop.Generator.Definitions;
using Backprop.Generator.Emitting;
using Backprop.Generator.Planning;
using Backprop.Generator.Tests.Infrastructure;
using Backprop.Generator.Tests.Planning;
using GeneratorActivation = Backprop.Generator.Model.Activation;
using GeneratorPrecision = Backprop.Generator.Model.Precision;

namespace Backprop.Generator.Tests.Emitting;

/// <summary>
/// Generated code reads like code a person wrote: no line passes 120 characters, and where the writer breaks a
/// line it breaks where a person would (<see cref="LineBreaker"/>), without changing a token.
/// </summary>
public class LineWidthTests
{
    /// <summary>(line, room) → the pieces it breaks into, joined by " ⏎ ".</summary>
    public static TheoryData<string, int, string> Breaks => new()
    {
        // Fits: untouched.
        { "float a = b + c;", 40, "float a = b + c;" },
        // A sum fills each line and breaks before a +, not inside a product.
        { "float a1_0 = b1[0] + w1[0] * x0 + w1[1] * x1 + w1[2] * x2;", 40, "float a1_0 = b1[0] + w1[0] * x0 ⏎ + w1[1] * x1 + w1[2] * x2;" },
        // A call whose arguments do not fit breaks after its parenthesis, then fills.
        { "float a = Op<float>.Invoke(b1[0] + w1[0] * x0 + w1[1] * x1);", 40, "float a = Op<float>.Invoke( ⏎ b1[0] + w1[0] * x0 + w1[1] * x1);" },
        // A parameter list broken once at a comma gives every parameter a line of its own.
        { "public float Step(ReadOnlySpan<float> input, ReadOnlySpan<float> target, float rate)", 40, "public float Step( ⏎ ReadOnlySpan<float> input, ⏎ ReadOnlySpan<float> target, ⏎ float rate)" },
        // Even where two items would share a line: once one comma breaks, every item has a line.
        { "public float Backward(ReadOnlySpan<float> input, ReadOnlySpan<float> target, Span<float> gradient)", 60, "public float Backward( ⏎ ReadOnlySpan<float> input, ⏎ ReadOnlySpan<float> target, ⏎ Span<float> gradient)" },
        // The outermost break that fits: a sum of calls breaks between the calls.
        { "var z1 = Vector128.LoadUnsafe(ref p, B1) + Kernels.DotBlock(ref p, W1, x);", 50, "var z1 = Vector128.LoadUnsafe(ref p, B1) ⏎ + Kernels.DotBlock(ref p, W1, x);" },
        // A δ: the parenthesised sum is filled, then the derivative factor follows.
        { "float d = (d2_0 * w2[0] + d2_1 * w2[4] + d2_2 * w2[8]) * Op.Derivative(a1_0);", 45, "float d = (d2_0 * w2[0] + d2_1 * w2[4] ⏎ + d2_2 * w2[8]) * Op.Derivative(a1_0);" },
        // Nothing inside a string literal is a break, nor inside a type argument list while anything else fits.
        { "Log(\"a + b, c\", Apply<float, ReLUOperator<float>>(z1, a1));", 50, "Log( ⏎ \"a + b, c\", ⏎ Apply<float, ReLUOperator<float>>(z1, a1));" },
        // Unary minus and compound assignment are not binary operators to break before.
        { "w1[0] -= learningRate * delta1_0 * -x0;", 24, "w1[0] -= learningRate ⏎ * delta1_0 * -x0;" },
        // No break at all: left long.
        { "return averyveryverylongname;", 10, "return averyveryverylongname;" },
        // A right-hand side whose call does not fit on the first line moves to the next one after the =.
        { "Vector256<double> a2 = Activations.Apply<double, SigmoidOperator<double>>(z2);", 60, "Vector256<double> a2 = ⏎ Activations.Apply<double, SigmoidOperator<double>>(z2);" },
        // An expression body breaks after its => the same way.
        { "int INetwork<float>.Count => throw new InvalidOperationException(Architecture);", 60, "int INetwork<float>.Count => ⏎ throw new InvalidOperationException(Architecture);" },
        // A callee too long for any line breaks between its type arguments as a last resort.
        { "var d = Activations.MultiplyByDerivative<double, SigmoidOperator<double>>(a2, e2 + o2);", 50, "var d = ⏎ Activations.MultiplyByDerivative<double, ⏎ SigmoidOperator<double>>(a2, e2 + o2);" },
    };

    [Theory]
    [MemberData(nameof(Breaks))]
    public void A_long_line_breaks_where_a_person_would(string line, int room, string expected)
    {
        int[] breaks = LineBreaker.Breaks(line, room, room - 4);

        var pieces = new List<string>();
        int start = 0;
        foreach (int position in breaks.Append(line.Length))
        {
            pieces.Add(line[start..position].Trim());
            start = position;
        }

        Assert.Equal(expected, string.Join(" ⏎ ", pieces));
        Assert.Equal(line.Replace(" ", ""), string.Concat(pieces).Replace(" ", ""));
    }

    [Fact]
    public void A_documentation_comment_wraps_outside_its_xml_tags()
    {
        var writer = new IndentedWriter();
        string text = "The <see cref=\"Backward\"/> sums, " + string.Join(" ", Enumerable.Repeat("and more words", 12)) + ".";

        writer.WriteLine("/// <returns>" + text + "</returns>");

        string[] lines = Lines(writer.ToString());
        Assert.True(lines.Length > 1);
        Assert.All(lines, line => Assert.StartsWith("/// ", line));
        Assert.All(lines, line => Assert.True(line.Length <= IndentedWriter.LineWidth, line));
        Assert.Contains("<see cref=\"Backward\"/>", lines[0]);
        Assert.Equal("/// <returns>" + text + "</returns>", string.Join(" ", lines.Select((line, i) => i == 0 ? line : line["/// ".Length..])));
    }

    /// <summary>A one-line summary too long for one line becomes the usual summary block, wrapped inside.</summary>
    [Fact]
    public void A_long_one_line_summary_becomes_a_summary_block()
    {
        var writer = new IndentedWriter();
        string text = "Sets every weight from <paramref name=\"seed\"/> " + string.Join(" ", Enumerable.Repeat("and more words", 12)) + ".";

        writer.WriteLine("/// <summary>" + text + "</summary>");

        string[] lines = Lines(writer.ToString());
        Assert.Equal("/// <summary>", lines[0]);
        Assert.Equal("/// </summary>", lines[^1]);
        Assert.All(lines, line => Assert.True(line.Length <= IndentedWriter.LineWidth, line));
        Assert.Equal(text, string.Join(" ", lines[1..^1].Select(line => line["/// ".Length..])));
    }

    [Fact]
    public void A_long_string_constant_is_the_same_string_in_pieces()
    {
        var writer = new IndentedWriter();
        string value = string.Join(" → ", Enumerable.Range(1, 30).Select(i => $"Dense({i}, ReLU)")) + "; Loss.Huber";

        using (writer.WriteBlock("class C"))
        {
            writer.WriteStringConstant("public const string Architecture", value);
        }

        string[] lines = Lines(writer.ToString());
        Assert.All(lines, line => Assert.True(line.Length <= IndentedWriter.LineWidth, line));
        string pieces = string.Concat(lines.Skip(3).TakeWhile(line => line.Trim() != "}")
            .Select(line => line.Trim().TrimEnd('+', ';', ' ').Trim('"')));
        Assert.Equal(value, pieces);
    }

    /// <summary>
    /// Every line the emitter writes fits in 120 characters, for every loss with each output activation it accepts, a
    /// hidden activation of each kind, in float and double, in the unrolled, kernel and register forms.
    /// </summary>
    [Fact]
    public void No_emitted_line_passes_120_characters()
    {
        string[] shapes = ["2-3-2", "3-9-2", "6-10-4", "8-8-3", "16-16-16-16-16-4", "784-128-10"];
        ActivationDefinition[] hidden = [.. ActivationDefinition.All.Where(a => a.AllowedOnHiddenLayers)];
        var tooLong = new List<string>();
        int emitted = 0;
        foreach (LossDefinition loss in LossDefinition.All)
        {
            GeneratorActivation[] outputs = loss.Fused is { } fused ? [fused.Activation] : [.. ActivationDefinition.All.Select(a => a.Value)];
            foreach (GeneratorActivation output in outputs)
            {
                foreach (GeneratorPrecision precision in new[] { GeneratorPrecision.Single, GeneratorPrecision.Double })
                {
                    foreach (string shape in shapes)
                    {
                        GeneratorActivation hiddenActivation = hidden[emitted++ % hidden.Length].Value;
                        NetworkPlan plan = NetworkPlannerTests.Plan(shape, loss.Value, precision, hiddenActivation, output);
                        tooLong.AddRange(Lines(NetworkEmitter.Emit(plan, "0.0.0"))
                            .Where(line => line.Length > IndentedWriter.LineWidth)
                            .Select(line => $"{shape} {hiddenActivation}/{output} {loss.Name} {precision}: {line}"));
                    }
                }
            }
        }

        Assert.True(emitted > 400, $"{emitted} networks emitted");
        Assert.True(tooLong.Count == 0, $"{tooLong.Count} lines are too long, the first:\n{string.Join("\n", tooLong.Take(10))}");
    }

    [Theory]
    [MemberData(nameof(SnapshotCases.All), MemberType = typeof(SnapshotCases))]
    public void No_line_of_a_snapshot_case_passes_120_characters(string name, string source)
    {
        string generated = GeneratorHarness.Run(source).SingleSource;

        Assert.All(Lines(generated), line => Assert.True(line.Length <= IndentedWriter.LineWidth, $"{name}: {line}"));
    }

    /// <summary>The stub of a declaration with an error is generated code too: the same limit holds for it.</summary>
    [Theory]
    [MemberData(nameof(NoCascadeTests.Declarations), MemberType = typeof(NoCascadeTests))]
    public void No_line_of_a_stub_passes_120_characters(string error, string declaration)
    {
        string stub = GeneratorHarness.Run($"using Backprop;\n\nnamespace Demo.With.A.Longer.Namespace;\n\n{declaration}\n").SingleSource;

        Assert.Contains(" was not generated: ", stub, StringComparison.Ordinal);
        Assert.All(Lines(stub), line => Assert.True(line.Length <= IndentedWriter.LineWidth, $"{error}: {line}"));
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
}
