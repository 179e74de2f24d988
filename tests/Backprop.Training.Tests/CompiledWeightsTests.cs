using System.Numerics;
using Backprop.Interop;
using Backprop.Serialization;

namespace Backprop.Training.Tests;

/// <summary>
/// Weights compiled in (GitHub issue #14), through a real build: this project lists the fixtures as AdditionalFiles and
/// imports src/Backprop/build/Backprop.Generator.targets, as the package does for its users, so the generator reads each
/// file at compile time. A new network starts with exactly the parameters the runtime's own loaders read from the same
/// file, bit for bit, computes PyTorch's outputs, and <c>ResetToCompiledWeights</c> returns to them after
/// <c>InitializeParameters</c>.
/// </summary>
public sealed class CompiledWeightsTests
{
    [Fact]
    public void An_onnx_file_compiles_into_the_float_network()
    {
        var loaded = new PyTorchIris();
        Onnx.Load(loaded, PyTorchFixtures.OnnxPath("iris"));

        var compiled = new CompiledIrisOnnx();
        AssertCompiledIn(compiled, loaded, "iris", compiled.ResetToCompiledWeights);
    }

    [Fact]
    public void A_safetensors_file_compiles_into_the_float_network()
    {
        var loaded = new PyTorchIris();
        SafeTensors.Load(loaded, PyTorchFixtures.SafeTensorsPath("iris"));

        var compiled = new CompiledIrisSafeTensors();
        AssertCompiledIn(compiled, loaded, "iris", compiled.ResetToCompiledWeights);
    }

    [Fact]
    public void An_onnx_file_compiles_into_the_double_network()
    {
        var loaded = new PyTorchRegression();
        Onnx.Load(loaded, PyTorchFixtures.OnnxPath("regression"));

        var compiled = new CompiledRegressionOnnx();
        AssertCompiledIn(compiled, loaded, "regression", compiled.ResetToCompiledWeights);
    }

    [Fact]
    public void A_model_file_compiles_into_the_network_it_was_saved_from()
    {
        // Fixtures/Models/iris.bpn is NetworkSerializer.Save of a PyTorchIris-shaped network (4 → 8 Tanh → 3 Softmax,
        // cross-entropy, float) after Onnx.Load of Fixtures/PyTorch/iris.onnx: PyTorch's trained Iris weights in the
        // library's own format (393 bytes, as docs/model-format.md works out). Made once by a throwaway console
        // program referencing the library; A_model_file_fixture_is_what_NetworkSerializer_writes proves it still is.
        var loaded = new PyTorchIris();
        NetworkSerializer.Load(loaded, ModelFixture);

        var compiled = new CompiledIrisModelFile();
        AssertCompiledIn(compiled, loaded, "iris", compiled.ResetToCompiledWeights);
    }

    [Fact]
    public void A_model_file_fixture_is_what_NetworkSerializer_writes()
    {
        var network = new PyTorchIris();
        Onnx.Load(network, PyTorchFixtures.OnnxPath("iris"));
        using var saved = new MemoryStream();
        NetworkSerializer.Save(network, saved);

        Assert.Equal(File.ReadAllBytes(ModelFixture), saved.ToArray());
    }

    [Fact]
    public void Every_network_starts_with_the_compiled_weights_and_they_are_shared_by_none()
    {
        // Two instances start alike, and training one leaves the other (and the compiled weights) untouched.
        var first = new CompiledIrisOnnx();
        var second = new CompiledIrisOnnx();
        float[] compiled = first.Parameters.ToArray();

        first.TrainStep([5.1f, 3.5f, 1.4f, 0.2f], [1f, 0f, 0f], learningRate: 0.5f);

        Assert.NotEqual(compiled, first.Parameters.ToArray());
        Assert.Equal(Bits(compiled), Bits(second.Parameters.ToArray()));
        Assert.Equal(Bits(compiled), Bits(new CompiledIrisOnnx().Parameters.ToArray()));
    }

    [Fact]
    public void The_compiled_networks_describe_their_declarations()
    {
        Assert.Equal(PyTorchIris.Architecture, CompiledIrisOnnx.Architecture);
        Assert.Equal(PyTorchRegression.Architecture, CompiledRegressionOnnx.Architecture);
    }

    private static string ModelFixture => Path.Combine(AppContext.BaseDirectory, "Fixtures", "Models", "iris.bpn");

    /// <summary>
    /// The compiled network's parameters are the loader's bit for bit; it computes PyTorch's outputs; InitializeParameters
    /// changes them and ResetToCompiledWeights restores them, bit for bit.
    /// </summary>
    private static void AssertCompiledIn<T>(INetwork<T> compiled, INetwork<T> loaded, string fixture, Action resetToCompiledWeights)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T[] expected = loaded.Parameters.ToArray();
        Assert.Equal(Bits(expected), Bits(compiled.Parameters.ToArray()));
        PyTorchFixtures.AssertMatches(compiled, PyTorchFixtures.Read(fixture));

        compiled.InitializeParameters(seed: 3);
        Assert.NotEqual(Bits(expected), Bits(compiled.Parameters.ToArray()));

        resetToCompiledWeights();
        Assert.Equal(Bits(expected), Bits(compiled.Parameters.ToArray()));
    }

    private static long[] Bits<T>(T[] values)
        where T : unmanaged, IFloatingPointIeee754<T>
        => [.. values.Select(v => typeof(T) == typeof(float) ? BitConverter.SingleToInt32Bits(float.CreateChecked(v)) : BitConverter.DoubleToInt64Bits(double.CreateChecked(v)))];
}

// The networks of CompiledWeightsTests: the fixtures' architectures, each starting with a fixture's weights.

/// <summary><c>iris</c> (4 → 8 tanh → 3 softmax, float) compiled in from its ONNX export.</summary>
[Network(Loss.CrossEntropy, Weights = "Fixtures/PyTorch/iris.onnx")]
[Input(4)]
[Dense(8, Activation.Tanh)]
[Dense(3, Activation.Softmax)]
public partial class CompiledIrisOnnx;

/// <summary><c>iris</c> compiled in from its safetensors file (nn.Sequential names, the declaration's activations).</summary>
[Network(Loss.CrossEntropy, Weights = "Fixtures/PyTorch/iris.safetensors")]
[Input(4)]
[Dense(8, Activation.Tanh)]
[Dense(3, Activation.Softmax)]
public partial class CompiledIrisSafeTensors;

/// <summary><c>regression</c> (2 → 16 tanh → 16 tanh → 1 identity, double) compiled in from its ONNX export.</summary>
[Network(Loss.MeanSquaredError, Precision = Precision.Double, Weights = "Fixtures/PyTorch/regression.onnx")]
[Input(2)]
[Dense(16, Activation.Tanh)]
[Dense(16, Activation.Tanh)]
[Dense(1, Activation.Identity)]
public partial class CompiledRegressionOnnx;

/// <summary><c>iris</c> compiled in from a model file of NetworkSerializer, named by the end of its path.</summary>
[Network(Loss.CrossEntropy, Weights = "Models/iris.bpn")]
[Input(4)]
[Dense(8, Activation.Tanh)]
[Dense(3, Activation.Softmax)]
public partial class CompiledIrisModelFile;
