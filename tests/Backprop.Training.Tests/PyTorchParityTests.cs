using System.Globalization;
using System.Numerics;
using Backprop.Interop;
using Backprop.Serialization;

namespace Backprop.Training.Tests;

/// <summary>
/// Parity with PyTorch without PyTorch (GitHub issue #14): each model that tools/pytorch-fixtures/make_fixtures.py
/// trained or initialised in PyTorch is loaded from its committed safetensors file, and from the ONNX file
/// <c>torch.onnx.export</c> wrote, into the network of the same architecture, and its outputs on the recorded rows
/// match PyTorch's to 1e-6 (float) or 1e-12 (double), relative to the output or to 1 (see <see cref="PyTorchFixtures"/>).
/// </summary>
public sealed class PyTorchParityTests(ITestOutputHelper output)
{
    /// <summary>The two formats a fixture is read from.</summary>
    public enum Format
    {
        SafeTensors,
        Onnx,
    }

    /// <summary>Every model fixture, with the check that loads it into its network and compares.</summary>
    private static readonly Dictionary<string, Func<string, Format, double>> Checks = new(StringComparer.Ordinal)
    {
        ["iris"] = Check<PyTorchIris, float>,
        ["iris_double"] = Check<PyTorchIrisDouble, double>,
        ["regression"] = Check<PyTorchRegression, double>,
        ["regression_float"] = Check<PyTorchRegressionFloat, float>,
        ["sigmoid_output_float"] = Check<PyTorchSigmoidOutputFloat, float>,
        ["sigmoid_output_double"] = Check<PyTorchSigmoidOutputDouble, double>,
        ["act_identity_float"] = Check<PyTorchIdentityFloat, float>,
        ["act_identity_double"] = Check<PyTorchIdentityDouble, double>,
        ["act_sigmoid_float"] = Check<PyTorchSigmoidFloat, float>,
        ["act_sigmoid_double"] = Check<PyTorchSigmoidDouble, double>,
        ["act_tanh_float"] = Check<PyTorchTanhFloat, float>,
        ["act_tanh_double"] = Check<PyTorchTanhDouble, double>,
        ["act_relu_float"] = Check<PyTorchReluFloat, float>,
        ["act_relu_double"] = Check<PyTorchReluDouble, double>,
        ["act_leakyrelu_float"] = Check<PyTorchLeakyReluFloat, float>,
        ["act_leakyrelu_double"] = Check<PyTorchLeakyReluDouble, double>,
        ["act_gelu_float"] = Check<PyTorchGeluFloat, float>,
        ["act_gelu_double"] = Check<PyTorchGeluDouble, double>,
        ["act_silu_float"] = Check<PyTorchSiluFloat, float>,
        ["act_silu_double"] = Check<PyTorchSiluDouble, double>,
        ["act_elu_float"] = Check<PyTorchEluFloat, float>,
        ["act_elu_double"] = Check<PyTorchEluDouble, double>,
        ["act_softplus_float"] = Check<PyTorchSoftplusFloat, float>,
        ["act_softplus_double"] = Check<PyTorchSoftplusDouble, double>,
    };

    public static TheoryData<string> Models => [.. Checks.Keys];

    [Theory]
    [MemberData(nameof(Models))]
    public void The_safetensors_file_loads_and_the_outputs_match_PyTorchs(string name)
    {
        double worst = Checks[name](name, Format.SafeTensors);

        output.WriteLine($"{name}: largest relative error {worst.ToString("G3", CultureInfo.InvariantCulture)}");
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void The_onnx_file_loads_and_the_outputs_match_PyTorchs(string name)
    {
        double worst = Checks[name](name, Format.Onnx);

        output.WriteLine($"{name}: largest relative error {worst.ToString("G3", CultureInfo.InvariantCulture)}");
    }

    [Fact]
    public void Both_formats_give_the_same_parameters_bit_for_bit()
    {
        foreach (string name in new[] { "iris", "act_gelu_double", "act_silu_float", "regression" })
        {
            Assert.Equal(Parameters(name, Format.SafeTensors), Parameters(name, Format.Onnx));
        }
    }

    [Fact]
    public void Every_fixture_in_the_directory_is_checked()
    {
        Assert.Equal(Checks.Keys.Order(StringComparer.Ordinal), PyTorchFixtures.ModelNames());
        foreach (string name in Checks.Keys)
        {
            Assert.True(File.Exists(PyTorchFixtures.OnnxPath(name)));
            Assert.True(File.Exists(PyTorchFixtures.SafeTensorsPath(name)));
        }
    }

    [Fact]
    public void Saving_a_loaded_fixture_writes_the_same_bytes_as_the_script()
    {
        // The script writes safetensors itself (there is no safetensors package beside its PyTorch), in the layout the
        // library writes too: the same header, byte for byte, and the same data.
        foreach (string name in new[] { "iris", "regression" })
        {
            string path = PyTorchFixtures.SafeTensorsPath(name);
            using var saved = new MemoryStream();
            if (name == "iris")
            {
                var network = new PyTorchIris();
                SafeTensors.Load(network, path);
                SafeTensors.Save(network, saved);
            }
            else
            {
                var network = new PyTorchRegression();
                SafeTensors.Load(network, path);
                SafeTensors.Save(network, saved);
            }

            Assert.Equal(File.ReadAllBytes(path), saved.ToArray());
        }
    }

    [Fact]
    public void A_float_fixture_does_not_load_into_the_double_network()
    {
        var network = new PyTorchIrisDouble();
        network.InitializeParameters(seed: 14);
        double[] before = network.Parameters.ToArray();

        var exception = Assert.Throws<ModelFormatException>(() => SafeTensors.Load(network, PyTorchFixtures.SafeTensorsPath("iris")));

        Assert.Equal(ModelFormatError.PrecisionMismatch, exception.Error);
        Assert.Contains("0.weight", exception.Message, StringComparison.Ordinal);
        Assert.Equal(before.Select(BitConverter.DoubleToInt64Bits), network.Parameters.ToArray().Select(BitConverter.DoubleToInt64Bits));
    }

    [Fact]
    public void A_double_fixture_does_not_load_into_the_float_network()
    {
        var network = new PyTorchIris();
        network.InitializeParameters(seed: 14);
        float[] before = network.Parameters.ToArray();

        var exception = Assert.Throws<ModelFormatException>(() => SafeTensors.Load(network, PyTorchFixtures.SafeTensorsPath("iris_double")));

        Assert.Equal(ModelFormatError.PrecisionMismatch, exception.Error);
        Assert.Equal(before.Select(BitConverter.SingleToInt32Bits), network.Parameters.ToArray().Select(BitConverter.SingleToInt32Bits));
    }

    /// <summary>Loads the fixture in <paramref name="format"/> into a new <typeparamref name="TNetwork"/> and compares its outputs to PyTorch's.</summary>
    private static double Check<TNetwork, T>(string name, Format format)
        where TNetwork : INetwork<T>, new()
        where T : unmanaged, IFloatingPointIeee754<T>
        => PyTorchFixtures.AssertMatches(Load<TNetwork, T>(name, format), PyTorchFixtures.Read(name));

    private static TNetwork Load<TNetwork, T>(string name, Format format)
        where TNetwork : INetwork<T>, new()
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var network = new TNetwork();
        network.Parameters.Fill(T.NaN); // every parameter must come from the file
        if (format == Format.Onnx)
        {
            Onnx.Load(network, PyTorchFixtures.OnnxPath(name));
        }
        else
        {
            SafeTensors.Load(network, PyTorchFixtures.SafeTensorsPath(name));
        }

        Assert.DoesNotContain(network.Parameters.ToArray(), T.IsNaN);
        return network;
    }

    /// <summary>The fixture's parameters as read from <paramref name="format"/>, as the bits of doubles.</summary>
    private static long[] Parameters(string name, Format format) => name switch
    {
        "iris" => [.. Load<PyTorchIris, float>(name, format).Parameters.ToArray().Select(v => (long)BitConverter.SingleToInt32Bits(v))],
        "act_silu_float" => [.. Load<PyTorchSiluFloat, float>(name, format).Parameters.ToArray().Select(v => (long)BitConverter.SingleToInt32Bits(v))],
        "act_gelu_double" => [.. Load<PyTorchGeluDouble, double>(name, format).Parameters.ToArray().Select(BitConverter.DoubleToInt64Bits)],
        "regression" => [.. Load<PyTorchRegression, double>(name, format).Parameters.ToArray().Select(BitConverter.DoubleToInt64Bits)],
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };
}
