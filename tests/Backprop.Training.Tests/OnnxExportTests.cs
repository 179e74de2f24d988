using Backprop.Interop;
using Microsoft.ML.OnnxRuntime;

namespace Backprop.Training.Tests;

/// <summary>
/// Every activation, in float and double, exported with <see cref="Onnx.Save{T}(INetwork{T}, Stream)"/> and run by
/// ONNX Runtime on 100 random rows: its outputs equal the network's own to 1e-6 relative. And the export read back
/// with <see cref="Onnx.Load{T}(INetwork{T}, Stream)"/> gives the same parameters, bit for bit.
/// </summary>
public sealed class OnnxExportTests
{
    private const int Rows = 100;

    /// <summary>
    /// The largest difference allowed, relative to the output or to 1 where the output is smaller: a float output near 0
    /// is a difference of terms near 1, each rounded to about 6e-8, so its error is absolute, not relative.
    /// </summary>
    private const double Tolerance = 1e-6;

    public static TheoryData<string> Activations() =>
        ["Identity", "Sigmoid", "Tanh", "ReLU", "LeakyReLU", "GELU", "SiLU", "ELU", "Softplus"];

    [Theory]
    [MemberData(nameof(Activations))]
    public void Float_export_runs_in_onnx_runtime_with_the_networks_outputs(string activation)
        => AssertOrtAgrees(FloatNetwork(activation), activation);

    [Theory]
    [MemberData(nameof(Activations))]
    public void Double_export_runs_in_onnx_runtime_with_the_networks_outputs(string activation)
        => AssertOrtAgrees(DoubleNetwork(activation), activation);

    [Fact]
    public void Softmax_output_layer_runs_in_onnx_runtime()
    {
        AssertOrtAgrees(Initialized(new Classifier(), 3), "Softmax");
        AssertOrtAgrees(Initialized(new DeepDouble(), 3), "Softmax (double)");
    }

    [Theory]
    [MemberData(nameof(Activations))]
    public void Export_loads_back_bit_for_bit(string activation)
    {
        AssertRoundTrip(FloatNetwork(activation), FloatNetwork(activation, seed: 99));
        AssertRoundTrip(DoubleNetwork(activation), DoubleNetwork(activation, seed: 99));
    }

    [Fact]
    public void Saving_to_a_path_replaces_the_file_and_loads_back()
    {
        string directory = Directory.CreateTempSubdirectory("backprop-onnx-").FullName;
        try
        {
            string path = Path.Combine(directory, "classifier.onnx");
            File.WriteAllText(path, "an older file");
            var saved = Initialized(new Classifier(), 4);
            var loaded = Initialized(new Classifier(), 5);

            Onnx.Save(saved, path);
            Onnx.Load(loaded, path);

            Assert.Equal(saved.Parameters.ToArray(), loaded.Parameters.ToArray());
            Assert.Equal([Path.Combine(directory, "classifier.onnx")], Directory.GetFiles(directory));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static void AssertRoundTrip<T>(INetwork<T> saved, INetwork<T> loaded)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        using var stream = new MemoryStream();
        Onnx.Save(saved, stream);
        stream.Position = 0;
        Onnx.Load(loaded, stream);
        Assert.Equal(saved.Parameters.ToArray(), loaded.Parameters.ToArray());
    }

    private static void AssertOrtAgrees<T>(INetwork<T> network, string what)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        using var stream = new MemoryStream();
        Onnx.Save(network, stream);
        using var session = new InferenceSession(stream.ToArray());

        var random = new Random(7);
        var inputs = new T[Rows * network.InputCount];
        for (int i = 0; i < inputs.Length; i++)
        {
            inputs[i] = T.CreateChecked((random.NextDouble() * 8) - 4);
        }

        var expected = new T[Rows * network.OutputCount];
        network.ForwardBatch(inputs, expected);

        using var input = OrtValue.CreateTensorValueFromMemory(inputs, [Rows, network.InputCount]);
        using var runOptions = new RunOptions();
        using IDisposableReadOnlyCollection<OrtValue> results = session.Run(runOptions, ["input"], [input], ["output"]);
        ReadOnlySpan<T> actual = results[0].GetTensorDataAsSpan<T>();
        Assert.Equal([Rows, network.OutputCount], results[0].GetTensorTypeAndShape().Shape);

        for (int i = 0; i < expected.Length; i++)
        {
            double ours = double.CreateChecked(expected[i]), theirs = double.CreateChecked(actual[i]);
            double error = Math.Abs(ours - theirs) / Math.Max(Math.Abs(ours), 1);
            Assert.True(
                error <= Tolerance,
                $"{what} ({typeof(T).Name}): row {i / network.OutputCount}, output {i % network.OutputCount}: ours {ours:R}, ONNX Runtime {theirs:R}, relative error {error:E2}.");
        }
    }

    private static TNetwork Initialized<TNetwork>(TNetwork network, int seed)
        where TNetwork : INetwork<float>
    {
        network.InitializeParameters(seed);
        return network;
    }

    private static DeepDouble Initialized(DeepDouble network, int seed)
    {
        network.InitializeParameters(seed);
        return network;
    }

    /// <summary>The float network of <paramref name="activation"/>, with random biases too (a new network's are 0).</summary>
    internal static INetwork<float> FloatNetwork(string activation, int seed = 1)
    {
        INetwork<float> network = activation switch
        {
            "Identity" => new OnnxIdentityFloat(),
            "Sigmoid" => new OnnxSigmoidFloat(),
            "Tanh" => new OnnxTanhFloat(),
            "ReLU" => new OnnxReLUFloat(),
            "LeakyReLU" => new OnnxLeakyReLUFloat(),
            "GELU" => new OnnxGELUFloat(),
            "SiLU" => new OnnxSiLUFloat(),
            "ELU" => new OnnxELUFloat(),
            "Softplus" => new OnnxSoftplusFloat(),
            _ => throw new ArgumentOutOfRangeException(nameof(activation)),
        };
        Randomize(network.Parameters, seed);
        return network;
    }

    /// <summary>The double network of <paramref name="activation"/>, with random biases too.</summary>
    internal static INetwork<double> DoubleNetwork(string activation, int seed = 1)
    {
        INetwork<double> network = activation switch
        {
            "Identity" => new OnnxIdentityDouble(),
            "Sigmoid" => new OnnxSigmoidDouble(),
            "Tanh" => new OnnxTanhDouble(),
            "ReLU" => new OnnxReLUDouble(),
            "LeakyReLU" => new OnnxLeakyReLUDouble(),
            "GELU" => new OnnxGELUDouble(),
            "SiLU" => new OnnxSiLUDouble(),
            "ELU" => new OnnxELUDouble(),
            "Softplus" => new OnnxSoftplusDouble(),
            _ => throw new ArgumentOutOfRangeException(nameof(activation)),
        };
        Randomize(network.Parameters, seed);
        return network;
    }

    private static void Randomize<T>(Span<T> parameters, int seed)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var random = new Random(seed);
        for (int i = 0; i < parameters.Length; i++)
        {
            parameters[i] = T.CreateChecked((random.NextDouble() * 2) - 1);
        }
    }
}
