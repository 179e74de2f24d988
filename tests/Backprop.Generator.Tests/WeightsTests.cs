using System.Globalization;
using System.Reflection;
using System.Runtime.Loader;
using Backprop.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Backprop.Generator.Tests;

/// <summary>
/// Weights compiled in (<c>[Network(…, Weights = "…")]</c>, GitHub issue #14): each format read into exactly the
/// parameters it holds, every way a weights file can be wrong reported at the <c>Weights</c> argument with the network
/// stubbed, the snapshots of the emitted data, and the caching of the files.
/// </summary>
public sealed class WeightsTests
{
    private static readonly (int Size, Activation Activation)[] IrisLayers = [(8, Activation.Tanh), (3, Activation.Softmax)];

    private static readonly int IrisParameterCount = ModelFiles.ParameterCount(4, IrisLayers);

    /// <summary>A 4 → 8 tanh → 3 softmax network, as in the README, with the given named arguments after the loss.</summary>
    private static string Iris(string weights, string more = "", string name = "IrisNet") => $$"""
        using Backprop;

        namespace Demo;

        [Network(Loss.CrossEntropy{{more}}, Weights = "{{weights}}")]
        [Input(4)]
        [Dense(8, Activation.Tanh)]
        [Dense(3, Activation.Softmax)]
        public partial class {{name}};
        """;

    private static byte[] IrisFile(string format, bool isDouble = false, Func<int, double>? value = null)
    {
        double[] values = [.. ModelFiles.Parameters<double>(IrisParameterCount)];
        if (value is not null)
        {
            values = [.. Enumerable.Range(0, values.Length).Select(value)];
        }

        return isDouble ? Write(format, 4, IrisLayers, Loss.CrossEntropy, values) : Write(format, 4, IrisLayers, Loss.CrossEntropy, [.. values.Select(v => (float)v)]);
    }

    /// <summary>A float value no other parameter of these files has, whose bytes stand in for one a writer refuses.</summary>
    private const float Marker = 12345.625f;

    /// <summary>The file with the only occurrence of <see cref="Marker"/>'s little-endian bytes replaced by <paramref name="value"/>'s.</summary>
    private static byte[] WithMarkerReplaced(byte[] file, float value)
    {
        byte[] marker = BitConverter.GetBytes(Marker);
        int at = file.AsSpan().IndexOf(marker);
        Assert.True(at >= 0 && file.AsSpan(at + 1).IndexOf(marker) < 0, "The marker is not in the file exactly once.");
        BitConverter.GetBytes(value).CopyTo(file, at);
        return file;
    }

    private static byte[] Write<T>(string format, int inputs, (int Size, Activation Activation)[] layers, Loss loss, T[] values)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
        => format switch
        {
            "onnx" => ModelFiles.Onnx(inputs, layers, loss, values),
            "safetensors" => ModelFiles.SafeTensors(inputs, layers, loss, values),
            "bpn" => ModelFiles.ModelFile(inputs, layers, loss, values),
            _ => throw new ArgumentOutOfRangeException(nameof(format), format, null),
        };

    // ------------------------------------------------------------------ reading each format

    public static TheoryData<string, bool> Formats => new()
    {
        { "onnx", false },
        { "onnx", true },
        { "safetensors", false },
        { "safetensors", true },
        { "bpn", false },
        { "bpn", true },
    };

    [Theory]
    [MemberData(nameof(Formats))]
    public void Each_format_compiles_in_exactly_the_parameters_it_holds(string format, bool isDouble)
    {
        var files = new AnalyzerFiles().AddWeights($"Models/iris.{format}", IrisFile(format, isDouble));
        string source = Iris($"iris.{format}", isDouble ? ", Precision = Precision.Double" : "");

        GeneratorOutcome outcome = GeneratorHarness.Run(files.AnalyzerOptions, source).AssertCompilesCleanly();

        double[] expected = ModelFiles.Parameters<double>(IrisParameterCount);
        using var loaded = LoadedNetwork.From(outcome, "Demo.IrisNet");
        Assert.Equal(Bits(expected, isDouble), loaded.Parameters());
        loaded.Invoke("InitializeParameters", 5);
        Assert.NotEqual(Bits(expected, isDouble), loaded.Parameters());
        loaded.Invoke("ResetToCompiledWeights");
        Assert.Equal(Bits(expected, isDouble), loaded.Parameters());
        Assert.Contains($"// Weights:  iris.{format} (", outcome.SingleSource, StringComparison.Ordinal);
    }

    [Fact]
    public void Awkward_values_read_back_to_the_same_bits()
    {
        // Negative zero, subnormals, the extremes, and values whose shortest round-trip text is long.
        float[] singles = [-0f, float.Epsilon, -float.Epsilon * 3, float.MaxValue, float.MinValue, 0.1f, 1f / 3, 16777216f, 1e-38f, 3.4028e38f, -2.5e-42f, 123456.79f, 1f, -1f, 100f];
        double[] doubles = [-0.0, double.Epsilon, -double.Epsilon * 7, double.MaxValue, double.MinValue, 0.1, 1.0 / 3, 9007199254740993.0, 2.2250738585072014e-308, 1e300, -4.9e-324, 123456.789, 1.0, -1.0, 100.0];
        (int, Activation)[] layers = [(3, Activation.Identity)];

        foreach (bool isDouble in new[] { false, true })
        {
            var files = new AnalyzerFiles().AddWeights(
                "odd.onnx",
                isDouble ? ModelFiles.Onnx(4, layers, Loss.MeanSquaredError, doubles) : ModelFiles.Onnx(4, layers, Loss.MeanSquaredError, singles));
            string source = $$"""
                using Backprop;
                namespace Demo;
                [Network(Loss.MeanSquaredError{{(isDouble ? ", Precision = Precision.Double" : "")}}, Weights = "odd.onnx")]
                [Input(4)]
                [Dense(3, Activation.Identity)]
                public partial class Odd;
                """;

            GeneratorOutcome outcome = GeneratorHarness.Run(files.AnalyzerOptions, source).AssertCompilesCleanly();

            using var loaded = LoadedNetwork.From(outcome, "Demo.Odd");
            long[] expected = isDouble ? [.. doubles.Select(BitConverter.DoubleToInt64Bits)] : [.. singles.Select(f => (long)BitConverter.SingleToInt32Bits(f))];
            Assert.Equal(expected, loaded.Parameters());
        }
    }

    /// <summary>The name is matched against the end of each listed file's path, whole segments, either slash.</summary>
    [Theory]
    [InlineData("iris.onnx", @"Fixtures\PyTorch\iris.onnx", true)]
    [InlineData("PyTorch/iris.onnx", @"Fixtures\PyTorch\iris.onnx", true)]
    [InlineData(@"Fixtures\PyTorch\iris.onnx", "Fixtures/PyTorch/iris.onnx", true)]
    [InlineData("./iris.onnx", "iris.onnx", true)]
    [InlineData("ris.onnx", "Fixtures/iris.onnx", false)]
    [InlineData("Other/iris.onnx", "Fixtures/iris.onnx", false)]
    [InlineData("Iris.onnx", "Fixtures/iris.onnx", false)]
    public void The_weights_name_matches_the_end_of_a_listed_path(string weights, string listed, bool matches)
    {
        var files = new AnalyzerFiles().AddWeights(listed, IrisFile("onnx"), fullPath: "/repo/tests/" + listed.Replace('\\', '/'));

        GeneratorOutcome outcome = GeneratorHarness.Run(files.AnalyzerOptions, Iris(weights.Replace(@"\", @"\\")));

        if (matches)
        {
            outcome.AssertCompilesCleanly();
        }
        else
        {
            Assert.Equal("BP0020", Assert.Single(outcome.AnalyzerDiagnostics).Id);
        }
    }

    // ------------------------------------------------------------------ diagnostics

    /// <summary>Each way a weights file can be wrong: the files, the declaration's Weights and precision, the id and a part of the message.</summary>
    public static TheoryData<string, string, string, string> BadWeights => new()
    {
        { "none listed", "iris.onnx", "BP0020", "The weights file 'iris.onnx' of network 'IrisNet' is not among the project's weights files (it has 'Models/other.onnx'); list it as <AdditionalFiles Include=\"path/to/iris.onnx\" />" },
        { "two listed", "iris.onnx", "BP0021", "matches more than one listed file: 'v1/iris.onnx', 'v2/iris.onnx'; give more of its path" },
        { "a checkpoint", "iris.pt", "BP0022", "The weights file 'iris.pt' of network 'IrisNet' is not a format Backprop.Generator reads" },
        { "a truncated ONNX file", "iris.onnx", "BP0023", "The weights of network 'IrisNet' cannot be compiled in: The ONNX file 'Models/iris.onnx' is truncated" },
        { "a damaged model file", "iris.bpn", "BP0023", "The model file 'Models/iris.bpn' is corrupted: its CRC-32 checksum is" },
        { "a safetensors header that is not JSON", "iris.safetensors", "BP0023", "The safetensors file 'Models/iris.safetensors' is corrupted: the header is not a JSON object" },
        { "text that is not base64", "iris.onnx", "BP0023", "is not base64, as the build targets write it" },
        { "a double file for a float network", "iris.onnx", "BP0024", "The weights file 'Models/iris.onnx' holds double values, and the network 'IrisNet' computes in float; set Precision = Precision.Double" },
        { "a float safetensors file for a double network", "iris.safetensors", "BP0024", "holds float values, and the network 'IrisNet' computes in double" },
        { "an ONNX network of another size", "iris.onnx", "BP0025", "The weights file 'Models/iris.onnx' does not fit the network 'IrisNet': it holds Input(4) → Dense(6, Tanh) → Dense(3, Softmax): its layer 1 is Dense(6, Tanh), and the network's is Dense(8, Tanh)" },
        { "an ONNX network of another activation", "iris.onnx", "BP0025", "its layer 1 is Dense(8, ReLU), and the network's is Dense(8, Tanh)" },
        { "safetensors of another size", "iris.safetensors", "BP0025", "it holds '0.weight' with shape [6, 4], and the network's layer 1 needs [8, 4]" },
        { "a model file of another loss", "iris.bpn", "BP0025", "it was saved from Input(4) → Dense(8, Tanh) → Dense(3, Softmax); Loss.MeanSquaredError; Precision.Single; 67 parameters, and the network is Input(4) → Dense(8, Tanh) → Dense(3, Softmax); Loss.CrossEntropy; Precision.Single; 67 parameters" },
        { "a NaN weight", "iris.onnx", "BP0026", "The weights file 'Models/iris.onnx' of network 'IrisNet' holds NaN as W1[2, 3] (layer 1, neuron 2, input 3); a model with NaN or infinite weights is broken" },
        { "an infinite bias", "iris.safetensors", "BP0026", "holds −∞ as b2[1] (layer 2, neuron 1)" },
    };

    private static (AnalyzerFiles Files, string Source) BadCase(string what, string weights)
    {
        var files = new AnalyzerFiles();
        string more = "";
        switch (what)
        {
            case "none listed":
                files.AddWeights("Models/other.onnx", IrisFile("onnx"));
                break;
            case "two listed":
                files.AddWeights("v1/iris.onnx", IrisFile("onnx")).AddWeights("v2/iris.onnx", IrisFile("onnx"));
                break;
            case "a checkpoint":
                files.AddWeights("Models/iris.onnx", IrisFile("onnx"));
                break;
            case "a truncated ONNX file":
                files.AddWeights("Models/iris.onnx", IrisFile("onnx")[..^20]);
                break;
            case "a damaged model file":
                byte[] damaged = IrisFile("bpn");
                damaged[40] ^= 0x10;
                files.AddWeights("Models/iris.bpn", damaged);
                break;
            case "a safetensors header that is not JSON":
                byte[] file = IrisFile("safetensors");
                file[8] = (byte)'[';
                files.AddWeights("Models/iris.safetensors", file);
                break;
            case "text that is not base64":
                files.AddWeightsText("Models/iris.onnx", "this is not base64!");
                break;
            case "a double file for a float network":
                files.AddWeights("Models/iris.onnx", IrisFile("onnx", isDouble: true));
                break;
            case "a float safetensors file for a double network":
                files.AddWeights("Models/iris.safetensors", IrisFile("safetensors"));
                more = ", Precision = Precision.Double";
                break;
            case "an ONNX network of another size":
            case "an ONNX network of another activation":
            case "safetensors of another size":
                (int, Activation)[] other = what.Contains("activation") ? [(8, Activation.ReLU), (3, Activation.Softmax)] : [(6, Activation.Tanh), (3, Activation.Softmax)];
                string format = what.StartsWith("safetensors") ? "safetensors" : "onnx";
                files.AddWeights($"Models/iris.{format}", Write(format, 4, other, Loss.CrossEntropy, ModelFiles.Parameters<float>(ModelFiles.ParameterCount(4, other))));
                break;
            case "a model file of another loss":
                files.AddWeights("Models/iris.bpn", Write("bpn", 4, IrisLayers, Loss.MeanSquaredError, ModelFiles.Parameters<float>(IrisParameterCount)));
                break;
            case "a NaN weight":
                // W1[2, 3]: row 2, column 3 of layer 1's [8 × 4] weights. The writers refuse to save a NaN, so the file is
                // written with a marker there and the marker's bytes replaced, as a diverged model from elsewhere would be.
                files.AddWeights("Models/iris.onnx", WithMarkerReplaced(IrisFile("onnx", value: i => i == (2 * 4) + 3 ? Marker : 0.5), float.NaN));
                break;
            case "an infinite bias":
                // b2[1]: layer 2's biases follow its 3 × 8 weights, after layer 1's 40 parameters.
                files.AddWeights("Models/iris.safetensors", WithMarkerReplaced(IrisFile("safetensors", value: i => i == 40 + 24 + 1 ? Marker : 0.5), float.NegativeInfinity));
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(what), what, null);
        }

        return (files, Iris(weights, more));
    }

    [Theory]
    [MemberData(nameof(BadWeights))]
    public void A_bad_weights_file_is_reported_at_the_Weights_argument_and_the_network_is_stubbed(string what, string weights, string id, string message)
    {
        (AnalyzerFiles files, string declaration) = BadCase(what, weights);
        const string use = """
            namespace Demo;
            public static class Use
            {
                public static float Run()
                {
                    var network = new IrisNet();
                    network.ResetToCompiledWeights();
                    network.InitializeParameters(1);
                    return network.Parameters.Length;
                }
            }
            """;

        GeneratorOutcome outcome = GeneratorHarness.Run(files.AnalyzerOptions, declaration, use);

        Diagnostic diagnostic = Assert.Single(outcome.AnalyzerDiagnostics);
        Assert.Equal(id, diagnostic.Id);
        Assert.Contains(message, diagnostic.GetMessage(CultureInfo.InvariantCulture), StringComparison.Ordinal);
        Assert.Equal("Network0.cs", diagnostic.Location.SourceTree?.FilePath);
        Assert.Equal($"Weights = \"{weights}\"", diagnostic.Location.SourceTree!.GetText(TestContext.Current.CancellationToken).ToString(diagnostic.Location.SourceSpan));

        // The generator reports nothing itself, stubs the network with the same error, and nothing cascades.
        Assert.Empty(outcome.GeneratorDiagnostics);
        string stub = outcome.SingleSource;
        Assert.Contains($"which have an error:\n// {id}: ", stub, StringComparison.Ordinal);
        Assert.Contains("public void ResetToCompiledWeights() => throw new global::System.InvalidOperationException(Architecture);", stub, StringComparison.Ordinal);
        Assert.Empty(outcome.CompilationProblems);
    }

    [Fact]
    public void A_declaration_with_another_error_reports_that_error_alone()
    {
        // BP0007 (cross-entropy without softmax): the weights are not read, and the stub still has ResetToCompiledWeights.
        string source = Iris("iris.onnx").Replace("[Dense(3, Activation.Softmax)]", "[Dense(3, Activation.Tanh)]");

        GeneratorOutcome outcome = GeneratorHarness.Run(new AnalyzerFiles().AnalyzerOptions, source);

        Assert.Equal("BP0007", Assert.Single(outcome.AnalyzerDiagnostics).Id);
        Assert.Contains("public void ResetToCompiledWeights()", outcome.SingleSource, StringComparison.Ordinal);
    }

    [Fact]
    public void A_member_named_ResetToCompiledWeights_is_a_conflict_only_with_Weights()
    {
        const string member = "{ public void ResetToCompiledWeights() { } }";
        var files = new AnalyzerFiles().AddWeights("iris.onnx", IrisFile("onnx"));
        string withWeights = Iris("iris.onnx").Replace("public partial class IrisNet;", "public partial class IrisNet " + member);
        string without = withWeights.Replace(", Weights = \"iris.onnx\"", "");

        Diagnostic conflict = Assert.Single(GeneratorHarness.Run(files.AnalyzerOptions, withWeights).AnalyzerDiagnostics);
        Assert.Equal("BP0011", conflict.Id);
        Assert.Contains("'ResetToCompiledWeights'", conflict.GetMessage(CultureInfo.InvariantCulture), StringComparison.Ordinal);
        GeneratorHarness.Run(files.AnalyzerOptions, without).AssertCompilesCleanly();
    }

    /// <summary>BP0011 knows every member a network with compiled weights adds (as DiagnosticsTests checks for the others).</summary>
    [Fact]
    public void Every_member_of_a_network_with_weights_is_known_to_the_conflict_check()
    {
        var files = new AnalyzerFiles().AddWeights("iris.onnx", IrisFile("onnx"));
        GeneratorOutcome outcome = GeneratorHarness.Run(files.AnalyzerOptions, Iris("iris.onnx")).AssertCompilesCleanly();
        HashSet<string> known = [.. Model.GeneratedMembers.All(Model.Precision.Single, compiledWeights: true)
            .Select(m => m.Name + (m.ParameterTypes is null ? "" : "(" + string.Join(", ", m.ParameterTypes) + ")"))];
        SyntaxTree generated = outcome.GeneratedSources.Single().SyntaxTree;

        INamedTypeSymbol type = outcome.OutputCompilation.GetTypeByMetadataName("Demo.IrisNet")!;
        ISymbol[] members = [.. type.GetMembers().Where(m =>
            !m.IsImplicitlyDeclared
            && m is not IMethodSymbol { AssociatedSymbol: not null }
            && m is not IPropertySymbol { ExplicitInterfaceImplementations.IsEmpty: false }
            && m.DeclaringSyntaxReferences.Any(r => r.SyntaxTree == generated))];
        Assert.Contains(members, m => m.Name == "ResetToCompiledWeights");
        Assert.Contains(members, m => m.Name == "CompiledParameters");
        foreach (ISymbol member in members)
        {
            string signature = member is IMethodSymbol method
                ? member.Name + "(" + string.Join(", ", method.Parameters.Select(p => p.Type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat))) + ")"
                : member.Name;
            Assert.True(known.Contains(signature), $"The generated member {signature} is not listed in GeneratedMembers.All.");
        }
    }

    [Fact]
    public void A_network_without_Weights_has_no_compiled_weights()
    {
        var files = new AnalyzerFiles().AddWeights("iris.onnx", IrisFile("onnx"));

        string source = GeneratorHarness.Run(files.AnalyzerOptions, Iris("iris.onnx").Replace(", Weights = \"iris.onnx\"", "")).AssertCompilesCleanly().SingleSource;

        Assert.DoesNotContain("CompiledParameters", source, StringComparison.Ordinal);
        Assert.DoesNotContain("ResetToCompiledWeights", source, StringComparison.Ordinal);
        Assert.Contains("InitializeParameters(parameters.Span, seed: 0);", source, StringComparison.Ordinal);
    }

    // ------------------------------------------------------------------ snapshots

    public static TheoryData<string> SnapshotNames => ["Weights_Onnx_Float_3_4_2", "Weights_SafeTensors_Double_2_3_1"];

    /// <summary>The emitted data, reviewed: a layer, a row of W and the biases at a time, each value read back exactly.</summary>
    [Theory]
    [MemberData(nameof(SnapshotNames))]
    public void Compiled_weights_match_the_snapshot(string name)
    {
        (string source, AnalyzerFiles files) = name switch
        {
            "Weights_Onnx_Float_3_4_2" => (
                """
                using Backprop;

                namespace Demo;

                [Network(Loss.SumSquaredError, Weights = "Models/tanh.onnx")]
                [Input(3)]
                [Dense(4, Activation.Tanh)]
                [Dense(2, Activation.Identity)]
                public partial class PretrainedNet;
                """,
                new AnalyzerFiles().AddWeights(
                    "Models/tanh.onnx",
                    ModelFiles.Onnx(3, [(4, Activation.Tanh), (2, Activation.Identity)], Loss.SumSquaredError, Snapshot<float>(26)))),
            _ => (
                """
                using Backprop;

                namespace Demo;

                [Network(Loss.MeanSquaredError, Precision = Precision.Double, Weights = "regression.safetensors")]
                [Input(2)]
                [Dense(3, Activation.Tanh)]
                [Dense(1, Activation.Identity)]
                public partial class PretrainedRegression;
                """,
                new AnalyzerFiles().AddWeights(
                    "Models/regression.safetensors",
                    ModelFiles.SafeTensors(2, [(3, Activation.Tanh), (1, Activation.Identity)], Loss.MeanSquaredError, Snapshot<double>(13)))),
        };

        GeneratorOutcome outcome = GeneratorHarness.Run(files.AnalyzerOptions, source).AssertCompilesCleanly();

        SnapshotAssert.Matches(outcome.SingleSource, name);
    }

    /// <summary>Values like trained weights: sin(i + 1)·(1 + i/10), whose shortest round-trip texts have every length.</summary>
    private static T[] Snapshot<T>(int count)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
        => [.. Enumerable.Range(0, count).Select(i => T.CreateChecked(Math.Sin(i + 1) * (1 + (i / 10.0))))];

    // ------------------------------------------------------------------ caching

    private const string Unrelated = """
        using Backprop;
        namespace Demo;
        [Network(Loss.SumSquaredError)]
        [Input(2)]
        [Dense(1, Activation.Sigmoid)]
        public partial class Plain;
        """;

    [Fact]
    public void Editing_a_weights_file_regenerates_only_the_network_that_uses_it()
    {
        var files = new AnalyzerFiles()
            .AddWeights("Models/first.onnx", IrisFile("onnx"))
            .AddWeights("Models/second.safetensors", IrisFile("safetensors"))
            .AddText("/project/notes.txt", "notes");
        CSharpCompilation compilation = GeneratorHarness.CreateCompilation(Iris("first.onnx", name: "First"), Iris("second.safetensors", name: "Second"), Unrelated);
        GeneratorDriver driver = GeneratorHarness.CreateDriver(files.Texts, files.OptionsProvider).RunGenerators(compilation, TestContext.Current.CancellationToken);
        string firstBefore = Source(driver, "Demo.First.g.cs");

        AdditionalText old = files.Texts.Single(t => t.Path.EndsWith("first.onnx.base64", StringComparison.Ordinal));
        AdditionalText edited = AnalyzerFiles.Encoded("/project/Models/first.onnx", IrisFile("onnx", value: i => i / 100.0));
        driver = driver.ReplaceAdditionalText(old, edited).RunGenerators(compilation, TestContext.Current.CancellationToken);
        GeneratorRunResult result = driver.GetRunResult().Results.Single();

        // One network's weights were read again; the other's stayed cached, as did every plan and the other outputs.
        Assert.Equal([IncrementalStepRunReason.Modified], Reasons(result, TrackingNames.CompiledWeights).Where(r => r != IncrementalStepRunReason.Cached && r != IncrementalStepRunReason.Unchanged));
        Assert.Equal(2, Reasons(result, TrackingNames.CompiledWeights).Length);
        Assert.All(Reasons(result, TrackingNames.Plan), r => Assert.True(r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, r.ToString()));
        IncrementalStepRunReason[] outputs = [.. result.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs).Select(o => o.Reason)];
        Assert.Single(outputs, r => r == IncrementalStepRunReason.Modified);
        Assert.Equal(outputs.Length - 1, outputs.Count(r => r == IncrementalStepRunReason.Cached));
        Assert.NotEqual(firstBefore, Source(driver, "Demo.First.g.cs"));
        Assert.Contains("0.01f, 0.02f, 0.03f,", Source(driver, "Demo.First.g.cs"), StringComparison.Ordinal);
    }

    [Fact]
    public void Editing_another_additional_file_regenerates_nothing()
    {
        var files = new AnalyzerFiles()
            .AddWeights("Models/first.onnx", IrisFile("onnx"))
            .AddText("/project/notes.txt", "notes");
        CSharpCompilation compilation = GeneratorHarness.CreateCompilation(Iris("first.onnx", name: "First"), Unrelated);
        GeneratorDriver driver = GeneratorHarness.CreateDriver(files.Texts, files.OptionsProvider).RunGenerators(compilation, TestContext.Current.CancellationToken);

        AdditionalText notes = files.Texts.Single(t => t.Path == "/project/notes.txt");
        driver = driver
            .ReplaceAdditionalText(notes, new AnalyzerFiles().AddText("/project/notes.txt", "other notes").Texts[0])
            .RunGenerators(compilation, TestContext.Current.CancellationToken);
        GeneratorRunResult result = driver.GetRunResult().Results.Single();

        foreach (string step in new[] { TrackingNames.Plan, TrackingNames.WeightsMatch, TrackingNames.CompiledWeights })
        {
            Assert.All(Reasons(result, step), r => Assert.True(r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"{step}: {r}"));
        }

        Assert.All(result.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs), o => Assert.Equal(IncrementalStepRunReason.Cached, o.Reason));
    }

    [Fact]
    public void The_weights_steps_hold_no_symbols_syntax_or_compilations()
    {
        var files = new AnalyzerFiles().AddWeights("Models/first.onnx", IrisFile("onnx")).AddText("/project/notes.txt", "notes");
        GeneratorRunResult result = GeneratorHarness.Run(files.AnalyzerOptions, Iris("first.onnx", name: "First"), Iris("missing.onnx", name: "Second")).RunResult.Results.Single();

        string[] steps = [TrackingNames.WeightsFiles, TrackingNames.WeightsMatch, TrackingNames.CompiledWeights];
        Assert.All(steps, step => Assert.Contains(result.TrackedSteps[step].SelectMany(run => run.Outputs), o => o.Value is not null));
        object[] outputs = [.. steps
            .SelectMany(step => result.TrackedSteps[step])
            .SelectMany(run => run.Outputs)
            .Select(output => output.Value)
            .Where(value => value is not null)];
        foreach (object output in outputs)
        {
            IncrementalTests.AssertHoldsNoCompilerObjects(output, new HashSet<object>(ReferenceEqualityComparer.Instance), output.GetType().Name);
        }
    }

    private static IncrementalStepRunReason[] Reasons(GeneratorRunResult result, string step)
        => [.. result.TrackedSteps[step].SelectMany(s => s.Outputs).Select(o => o.Reason)];

    private static string Source(GeneratorDriver driver, string hintName)
        => driver.GetRunResult().Results.Single().GeneratedSources.Single(s => s.HintName == hintName).SourceText.ToString();

    private static long[] Bits(double[] values, bool isDouble)
        => isDouble ? [.. values.Select(BitConverter.DoubleToInt64Bits)] : [.. values.Select(v => (long)BitConverter.SingleToInt32Bits((float)v))];

    /// <summary>A generated network compiled and loaded into a collectible context, to read what a new instance holds.</summary>
    private sealed class LoadedNetwork : IDisposable
    {
        private readonly AssemblyLoadContext _context;
        private readonly object _network;

        private LoadedNetwork(AssemblyLoadContext context, object network)
        {
            _context = context;
            _network = network;
        }

        public static LoadedNetwork From(GeneratorOutcome outcome, string typeName)
        {
            using var image = new MemoryStream();
            Microsoft.CodeAnalysis.Emit.EmitResult emitted = outcome.OutputCompilation.Emit(image, cancellationToken: TestContext.Current.CancellationToken);
            Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics));
            image.Position = 0;
            var context = new AssemblyLoadContext(typeName, isCollectible: true);
            Assembly assembly = context.LoadFromStream(image);
            return new LoadedNetwork(context, Activator.CreateInstance(assembly.GetType(typeName, throwOnError: true)!)!);
        }

        /// <summary>The bits of each parameter: a float's 32 or a double's 64.</summary>
        public long[] Parameters()
            => _network switch
            {
                INetwork<float> single => [.. single.Parameters.ToArray().Select(v => (long)BitConverter.SingleToInt32Bits(v))],
                INetwork<double> twice => [.. twice.Parameters.ToArray().Select(BitConverter.DoubleToInt64Bits)],
                _ => throw new InvalidOperationException("Not a network."),
            };

        public void Invoke(string method, params object[] arguments)
            => _network.GetType().GetMethod(method, [.. arguments.Select(a => a.GetType())])!.Invoke(_network, arguments);

        public void Dispose() => _context.Unload();
    }
}
