using System.IO.Compression;
using System.Xml.Linq;
using Backprop.Readme;

namespace Backprop.Package.Tests;

/// <summary>The package as `dotnet add package` delivers it: its layout, its metadata, and a real consumer.</summary>
public sealed class PackageTests(PackageFixture package) : IClassFixture<PackageFixture>
{
    private const string ConsumerProgram = """
        using System;
        using Backprop;

        float[][] inputs = [[0, 0], [0, 1], [1, 0], [1, 1]];
        float[][] targets = [[0], [1], [1], [0]];
        var network = new Consumer.XorNet();
        network.InitializeParameters(seed: 1);
        float loss = 0;
        for (int epoch = 0; epoch < 2000; epoch++)
        {
            loss = 0;
            for (int i = 0; i < 4; i++)
            {
                loss += network.TrainStep(inputs[i], targets[i], 0.5f) / 4;
            }
        }

        Span<float> output = stackalloc float[1];
        network.Forward([1f, 0f], output);
        Console.WriteLine(Consumer.XorNet.Architecture);
        Console.WriteLine($"loss < 0.01: {loss < 0.01f}");
        Console.WriteLine($"1 xor 0 > 0.9: {output[0] > 0.9f}");
        Console.WriteLine($"double network parameters: {new Consumer.Outer.Regression().Parameters.Length}");

        namespace Consumer
        {
            [Network(Loss.BinaryCrossEntropy)]
            [Input(2)]
            [Dense(4, Activation.Tanh)]
            [Dense(1, Activation.Sigmoid)]
            public partial class XorNet;

            public partial class Outer
            {
                [Network(Loss.MeanSquaredError, Precision = Precision.Double)]
                [Input(1)]
                [Dense(8, Activation.Tanh)]
                [Dense(1, Activation.Identity)]
                public partial class Regression;
            }
        }
        """;

    [Fact]
    public void Package_holds_the_runtime_under_lib_and_the_generator_under_analyzers()
    {
        using ZipArchive archive = package.OpenPackage();
        string[] files = [.. archive.Entries.Select(e => e.FullName)];

        // net8.0 for every supported runtime, net10.0 for the vector exponential of small softmax layers.
        foreach (string framework in new[] { "net8.0", "net10.0" })
        {
            Assert.Contains($"lib/{framework}/Backprop.dll", files);
            Assert.Contains($"lib/{framework}/Backprop.xml", files);
        }

        Assert.Contains("analyzers/dotnet/cs/Backprop.Generator.dll", files);
        Assert.Contains("analyzers/dotnet/cs/Backprop.Generator.CodeFixes.dll", files);
        Assert.Contains("PACKAGE.md", files);

        // The targets that encode weights files for the generator, for direct and transitive references alike.
        Assert.Contains("build/Backprop.Generator.targets", files);
        Assert.Contains("buildTransitive/Backprop.Generator.targets", files);
        Assert.DoesNotContain(files, f => f.StartsWith("lib/", StringComparison.Ordinal) && f.EndsWith("Backprop.Generator.dll", StringComparison.Ordinal));
    }

    [Fact]
    public void Package_metadata_is_complete_and_no_generator_dependency_leaks()
    {
        using ZipArchive archive = package.OpenPackage();
        using Stream nuspec = archive.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open();
        XElement metadata = XDocument.Load(nuspec).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
        string Value(string name) => metadata.Elements().Single(e => e.Name.LocalName == name).Value;

        Assert.Equal("Backprop.Generator", Value("id"));
        Assert.Equal(package.Version, Value("version"));
        Assert.Equal("MIT", Value("license"));
        Assert.Equal("PACKAGE.md", Value("readme"));
        Assert.False(string.IsNullOrWhiteSpace(Value("description")));
        Assert.Contains("source-generator", Value("tags"), StringComparison.Ordinal);
        Assert.Equal("git", metadata.Elements().Single(e => e.Name.LocalName == "repository").Attribute("type")?.Value);
        // One dependency group per target framework, each with the same single dependency.
        XElement[] groups = [.. metadata.Descendants().Where(e => e.Name.LocalName == "group")];
        Assert.Equal(["net10.0", "net8.0"], groups.Select(g => g.Attribute("targetFramework")!.Value).Order(StringComparer.Ordinal));
        Assert.All(groups, group => Assert.Equal(
            ["System.Numerics.Tensors"],
            group.Elements().Where(e => e.Name.LocalName == "dependency").Select(e => e.Attribute("id")!.Value)));
    }

    /// <summary>
    /// A declaration error in a real build: the analyzer in the package reports it at the user's line (as the IDE
    /// shows it), and the network's uses compile against the stub, so it is the only error the build prints.
    /// </summary>
    [Fact]
    public void A_declaration_error_is_reported_at_its_line_and_is_the_only_error()
    {
        string consumer = package.CreateConsumer(
            "Broken",
            """
            using System;
            using Backprop;

            var network = new Broken.Net();
            Span<float> output = stackalloc float[Broken.Net.OutputCount];
            network.Forward(new float[Broken.Net.InputCount], output);
            Console.WriteLine(network.TrainStep(new float[2], new float[2], 0.1f));

            namespace Broken
            {
                [Network(Loss.CrossEntropy)]
                [Input(2)]
                [Dense(2, Activation.Sigmoid)]
                public partial class Net;
            }
            """);

        (int exitCode, string output) = DotnetCli.RunAllowingFailure(consumer, null, "build", "-c", "Release");

        Assert.NotEqual(0, exitCode);
        string[] errors = [.. output.Split('\n').Where(line => line.Contains(": error ", StringComparison.Ordinal)).Select(line => line.Trim()).Distinct()];
        Assert.NotEmpty(errors);
        Assert.All(errors, error => Assert.Contains("Program.cs(11,14): error BP0007: The network 'Net' uses Loss.CrossEntropy", error));
    }

    [Fact]
    public void A_fresh_console_project_takes_the_package_builds_and_trains()
    {
        string consumer = package.CreateConsumer(
            "Consumer",
            ConsumerProgram,
            "<EmitCompilerGeneratedFiles>true</EmitCompilerGeneratedFiles><CompilerGeneratedFilesOutputPath>Generated</CompilerGeneratedFilesOutputPath>");

        string output = DotnetCli.Run(consumer, null, "run", "-c", "Release");

        Assert.Contains("Input(2) → Dense(4, Tanh) → Dense(1, Sigmoid); Loss.BinaryCrossEntropy; Precision.Single; 17 parameters", output);
        Assert.Contains("loss < 0.01: True", output);
        Assert.Contains("1 xor 0 > 0.9: True", output);
        Assert.Contains("double network parameters: 25", output);

        // EmitCompilerGeneratedFiles puts each network on disk under a stable name: namespace and type.
        string generated = Path.Combine(consumer, "Generated", "Backprop.Generator", "Backprop.Generator.NetworkGenerator");
        Assert.Equal(
            ["Consumer.Outer.Regression.g.cs", "Consumer.XorNet.g.cs"],
            Directory.GetFiles(generated).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.StartsWith("// <auto-generated/>", File.ReadAllText(Path.Combine(generated, "Consumer.XorNet.g.cs")).TrimStart('\uFEFF'), StringComparison.Ordinal);
    }

    /// <summary>
    /// Weights compiled in through the package alone: its build targets encode the listed ONNX file (the committed
    /// PyTorch Iris fixture) for the generator, and a new network starts with its weights, with no file beside the app.
    /// </summary>
    [Fact]
    public void A_weights_file_listed_as_an_additional_file_is_compiled_in()
    {
        string consumer = package.CreateConsumer(
            "Weighted",
            """
            using System;
            using Backprop;

            var network = new Weighted.IrisNet();
            Span<float> output = stackalloc float[3];
            network.Forward([5.1f, 3.5f, 1.4f, 0.2f], output);
            Console.WriteLine($"first weight: {network.Parameters[0]:R}");
            Console.WriteLine($"setosa: {output[0] > 0.9f}");
            network.InitializeParameters(seed: 1);
            network.ResetToCompiledWeights();
            Console.WriteLine($"reset: {network.Parameters[0]:R}");

            namespace Weighted
            {
                [Network(Loss.CrossEntropy, Weights = "iris.onnx")]
                [Input(4)]
                [Dense(8, Activation.Tanh)]
                [Dense(3, Activation.Softmax)]
                public partial class IrisNet;
            }
            """,
            extraItems: """<AdditionalFiles Include="Models/iris.onnx" />""");
        string models = Directory.CreateDirectory(Path.Combine(consumer, "Models")).FullName;
        File.Copy(Path.Combine(PackageFixture.RepositoryRoot(), "tests", "Backprop.Training.Tests", "Fixtures", "PyTorch", "iris.onnx"), Path.Combine(models, "iris.onnx"));

        string output = DotnetCli.Run(consumer, null, "run", "-c", "Release");

        // W1[0, 0] of the PyTorch-trained model (tools/pytorch-fixtures), and its prediction for the first Iris row.
        Assert.Contains("first weight: 0.31909359", output);
        Assert.Contains("setosa: True", output);
        Assert.Contains("reset: 0.31909359", output);
        Assert.False(Directory.Exists(Path.Combine(consumer, "bin", "Release", "net10.0", "Models")), "The weights file was copied beside the app.");
    }

    /// <summary>
    /// The README that nuget.org shows is the package's own: no link in it may point into the repository (it would not
    /// resolve there), and its program builds and runs against the package like the repository README's.
    /// </summary>
    [Fact]
    public void The_package_readme_has_no_relative_link_and_its_program_runs()
    {
        using ZipArchive archive = package.OpenPackage();
        using var reader = new StreamReader(archive.GetEntry("PACKAGE.md")!.Open());
        string readme = reader.ReadToEnd();

        string[] links = [.. System.Text.RegularExpressions.Regex.Matches(readme, @"\]\(([^)]*)\)").Select(m => m.Groups[1].Value)];
        Assert.All(links, link => Assert.StartsWith("https://", link, StringComparison.Ordinal));

        ReadmeBlock program = Assert.Single(ReadmeBlocks.All("src/Backprop/PACKAGE.md"));
        string consumer = package.CreateConsumer("PackageReadme", program.Code, extraProperties: "<ImplicitUsings>enable</ImplicitUsings>");
        DotnetCli.Run(consumer, null, "run");
        Assert.Equal(File.ReadAllText(Path.Combine(PackageFixture.RepositoryRoot(), "src", "Backprop", "PACKAGE.md")).ReplaceLineEndings(), readme.ReplaceLineEndings());
    }

    /// <summary>The README's C# programs, each the whole of a Program.cs, by their place among its C# blocks.</summary>
    public static TheoryData<int> ReadmePrograms() => [.. ReadmeBlocks.Programs().Select(block => block.Index)];

    /// <summary>
    /// Every C# block of the README that is a program, pasted into a new console project (as `dotnet new console`
    /// makes it: implicit usings, nullable, and here warnings as errors) that takes the package, builds and runs.
    /// The other blocks are excerpts of generated code, which ReadmeExcerptTests finds in the generator's output.
    /// </summary>
    [Theory]
    [MemberData(nameof(ReadmePrograms))]
    public void A_readme_program_builds_and_runs_in_a_new_console_project(int index)
    {
        ReadmeBlock block = ReadmeBlocks.Programs().Single(b => b.Index == index);
        bool weights = block.Code.Contains("Weights = \"iris.onnx\"", StringComparison.Ordinal);
        string consumer = package.CreateConsumer(
            $"Readme{index}",
            block.Code,
            extraProperties: "<ImplicitUsings>enable</ImplicitUsings>",
            extraItems: weights ? """<AdditionalFiles Include="Models/iris.onnx" />""" : "");
        if (weights)
        {
            string models = Directory.CreateDirectory(Path.Combine(consumer, "Models")).FullName;
            File.Copy(Path.Combine(PackageFixture.RepositoryRoot(), "samples", "Interop", "iris.onnx"), Path.Combine(models, "iris.onnx"));
        }

        (int exitCode, string output) = DotnetCli.RunAllowingFailure(consumer, null, "run");

        Assert.True(exitCode == 0, $"The README's C# block at line {block.Line} did not build and run as a program:\n{output}");
    }
}
