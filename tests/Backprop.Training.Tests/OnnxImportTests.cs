using System.Numerics;
using Backprop.Interop;
using Backprop.Interop.Formats;
using Backprop.Serialization;

namespace Backprop.Training.Tests;

/// <summary>
/// <see cref="Onnx.Load{T}(INetwork{T}, Stream)"/> on graphs written the way other exporters write them (tf2onnx's
/// MatMul + Add, Gemm without transB, GELU and SiLU spelled differently, Constant and Identity nodes), and on every
/// way a file can be wrong: another architecture or precision, an operator a dense network does not have, float16 or
/// external tensors, truncated and damaged bytes. Each failure is a <see cref="ModelFormatException"/> saying which,
/// with the network's parameters untouched.
/// </summary>
public sealed class OnnxImportTests
{
    [Fact]
    public void A_tf2onnx_graph_of_MatMul_and_Add_layers_loads()
    {
        var source = Randomized(new Classifier(), 1);
        float[] p = source.Parameters.ToArray();

        // Keras Dense layers through tf2onnx: kernel [in, out], MatMul then Add (bias first, as tf2onnx may write it).
        byte[] model = new OnnxGraphBuilder()
            .Input("dense_input", null, 4)
            .Node("MatMul", ["dense_input", "dense/kernel"], ["dense/MatMul"])
            .Node("Add", ["dense/bias", "dense/MatMul"], ["dense/BiasAdd"])
            .Node("Tanh", ["dense/BiasAdd"], ["dense/Tanh"])
            .Node("MatMul", ["dense/Tanh", "dense_1/kernel"], ["dense_1/MatMul"])
            .Node("Add", ["dense_1/MatMul", "dense_1/bias"], ["dense_1/BiasAdd"])
            .Node("Softmax", ["dense_1/BiasAdd"], ["dense_1"], ("axis", -1L))
            .Initializer("dense/kernel", [4, 8], Transposed(p, 0, 8, 4))
            .Initializer("dense/bias", [8], Slice(p, 32, 8))
            .Initializer("dense_1/kernel", [8, 3], Transposed(p, 40, 3, 8))
            .Initializer("dense_1/bias", [3], Slice(p, 64, 3))
            .Output("dense_1", null, 3)
            .Build();

        var loaded = new Classifier();
        Onnx.Load(loaded, new MemoryStream(model));

        Assert.Equal(p, loaded.Parameters.ToArray());
    }

    [Fact]
    public void A_Gemm_without_transB_and_an_opset_12_softmax_load()
    {
        var source = Randomized(new Classifier(), 2);
        float[] p = source.Parameters.ToArray();

        byte[] model = new OnnxGraphBuilder(opset: 12)
            .Input("x", null, 4)
            .Node("Identity", ["x"], ["x1"])
            .Node("Gemm", ["x1", "W0", "b0"], ["z0"])
            .Node("Tanh", ["z0"], ["a0"])
            .Node("Gemm", ["a0", "W1", "b1"], ["z1"], ("transB", 0L), ("alpha", 1f), ("beta", 1f))
            .Node("Softmax", ["z1"], ["y0"])
            .Node("Identity", ["y0"], ["y"])
            .Initializer("W0", [4, 8], Transposed(p, 0, 8, 4))
            .Initializer("b0", [1, 8], Slice(p, 32, 8))
            .Initializer("W1", [8, 3], Transposed(p, 40, 3, 8))
            .Initializer("b1", [3], Slice(p, 64, 3))
            .Output("y", null, 3)
            .Build();

        var loaded = new Classifier();
        Onnx.Load(loaded, new MemoryStream(model));

        Assert.Equal(p, loaded.Parameters.ToArray());
    }

    [Fact]
    public void Gelu_and_silu_are_read_in_other_spellings()
    {
        // GELU as ½z · (1 + erf(z · 1/√2)), SiLU as σ(z) · z: the operand orders and constants tf2onnx and others use.
        INetwork<float> gelu = OnnxExportTests.FloatNetwork("GELU", seed: 3);
        float[] g = gelu.Parameters.ToArray();
        var builder = new OnnxGraphBuilder().Input("x", null, 3);
        string previous = "x";
        int offset = 0;
        foreach ((int inputs, int outputs, int k) in new[] { (3, 5, 0), (5, 2, 1) })
        {
            builder
                .Node("MatMul", [previous, $"W{k}"], [$"m{k}"])
                .Node("Add", [$"m{k}", $"b{k}"], [$"z{k}"])
                .Node("Mul", [$"z{k}", "half"], [$"h{k}"])
                .Node("Mul", [$"z{k}", "rsqrt2"], [$"s{k}"])
                .Node("Erf", [$"s{k}"], [$"e{k}"])
                .Node("Add", ["one", $"e{k}"], [$"p{k}"])
                .Node("Mul", [$"h{k}", $"p{k}"], [$"a{k}"])
                .Initializer($"W{k}", [inputs, outputs], Transposed(g, offset, outputs, inputs))
                .Initializer($"b{k}", [outputs], Slice(g, offset + (inputs * outputs), outputs));
            offset += (inputs + 1) * outputs;
            previous = $"a{k}";
        }

        builder.Initializer("half", [], [0.5]).Initializer("rsqrt2", [1], [1 / Math.Sqrt(2)]).Initializer("one", [], [1]).Output("a1", null, 2);
        INetwork<float> loadedGelu = OnnxExportTests.FloatNetwork("GELU", seed: 4);
        Onnx.Load(loadedGelu, new MemoryStream(builder.Build()));
        Assert.Equal(g, loadedGelu.Parameters.ToArray());

        INetwork<float> silu = OnnxExportTests.FloatNetwork("SiLU", seed: 5);
        float[] s = silu.Parameters.ToArray();
        byte[] siluModel = new OnnxGraphBuilder()
            .Input("x", null, 3)
            .Node("Gemm", ["x", "W0", "b0"], ["z0"], ("transB", 1L))
            .Node("Sigmoid", ["z0"], ["s0"])
            .Node("Mul", ["s0", "z0"], ["a0"])
            .Node("Gemm", ["a0", "W1", "b1"], ["z1"], ("transB", 1L))
            .Node("Sigmoid", ["z1"], ["s1"])
            .Node("Mul", ["s1", "z1"], ["y"])
            .Initializer("W0", [5, 3], Slice(s, 0, 15))
            .Initializer("b0", [5], Slice(s, 15, 5))
            .Initializer("W1", [2, 5], Slice(s, 20, 10))
            .Initializer("b1", [2], Slice(s, 30, 2))
            .Output("y", null, 2)
            .Build();
        INetwork<float> loadedSilu = OnnxExportTests.FloatNetwork("SiLU", seed: 6);
        Onnx.Load(loadedSilu, new MemoryStream(siluModel));
        Assert.Equal(s, loadedSilu.Parameters.ToArray());
    }

    [Fact]
    public void A_Flatten_before_the_first_layer_reads_the_input_as_one_row()
    {
        // nn.Sequential(nn.Flatten(), nn.Linear(4, 8), …) on [batch, 1, 2, 2] images: the network reads 4 values per row.
        var source = Randomized(new Classifier(), 9);
        float[] p = source.Parameters.ToArray();
        byte[] model = new OnnxGraphBuilder()
            .Input("image", null, 1, 2, 2)
            .Node("Flatten", ["image"], ["flat"], ("axis", 1L))
            .Node("Gemm", ["flat", "W0", "b0"], ["z0"], ("transB", 1L))
            .Node("Tanh", ["z0"], ["a0"])
            .Node("Gemm", ["a0", "W1", "b1"], ["z1"], ("transB", 1L))
            .Node("Softmax", ["z1"], ["y"], ("axis", -1L))
            .Initializer("W0", [8, 4], Slice(p, 0, 32)).Initializer("b0", [8], Slice(p, 32, 8))
            .Initializer("W1", [3, 8], Slice(p, 40, 24)).Initializer("b1", [3], Slice(p, 64, 3))
            .Output("y", null, 3)
            .Build();

        var loaded = new Classifier();
        Onnx.Load(loaded, new MemoryStream(model));

        Assert.Equal(p, loaded.Parameters.ToArray());
    }

    [Fact]
    public void Values_in_float_data_and_double_data_read_as_raw_data_does()
    {
        INetwork<float> single = OnnxExportTests.FloatNetwork("ReLU", seed: 10);
        INetwork<double> twin = OnnxExportTests.DoubleNetwork("ReLU", seed: 10);
        foreach ((int type, double[] p) in new[]
        {
            (OnnxSchema.DataType.Float, single.Parameters.ToArray().Select(v => (double)v).ToArray()),
            (OnnxSchema.DataType.Double, twin.Parameters.ToArray()),
        })
        {
            byte[] model = new OnnxGraphBuilder(type)
                .Input("x", null, 3)
                .Node("Gemm", ["x", "W0", "b0"], ["z0"], ("transB", 1L))
                .Node("Relu", ["z0"], ["a0"])
                .Node("Gemm", ["a0", "W1", "b1"], ["z1"], ("transB", 1L))
                .Node("Relu", ["z1"], ["y"])
                .TypedInitializer("W0", [5, 3], p[..15]).TypedInitializer("b0", [5], p[15..20])
                .TypedInitializer("W1", [2, 5], p[20..30]).TypedInitializer("b1", [2], p[30..32])
                .Output("y", null, 2)
                .Build();

            if (type == OnnxSchema.DataType.Float)
            {
                INetwork<float> loaded = OnnxExportTests.FloatNetwork("ReLU", seed: 11);
                Onnx.Load(loaded, new MemoryStream(model));
                Assert.Equal(single.Parameters.ToArray(), loaded.Parameters.ToArray());
            }
            else
            {
                INetwork<double> loaded = OnnxExportTests.DoubleNetwork("ReLU", seed: 11);
                Onnx.Load(loaded, new MemoryStream(model));
                Assert.Equal(twin.Parameters.ToArray(), loaded.Parameters.ToArray());
            }
        }
    }

    [Fact]
    public void A_MatMul_without_Add_is_a_layer_with_zero_biases()
    {
        var source = Randomized(new Classifier(), 7);
        float[] p = source.Parameters.ToArray();
        byte[] model = new OnnxGraphBuilder()
            .Input("x", null, 4)
            .Node("MatMul", ["x", "W0"], ["z0"])
            .Node("Tanh", ["z0"], ["a0"])
            .Node("Gemm", ["a0", "W1"], ["z1"], ("transB", 1L))
            .Node("Softmax", ["z1"], ["y"], ("axis", 1L))
            .Initializer("W0", [4, 8], Transposed(p, 0, 8, 4))
            .Initializer("W1", [3, 8], Slice(p, 40, 24))
            .Output("y", null, 3)
            .Build();

        var loaded = Randomized(new Classifier(), 8);
        Onnx.Load(loaded, new MemoryStream(model));

        float[] expected = [.. p];
        Array.Clear(expected, 32, 8);
        Array.Clear(expected, 64, 3);
        Assert.Equal(expected, loaded.Parameters.ToArray());
    }

    [Fact]
    public void Another_layer_size_is_an_architecture_mismatch_naming_it()
    {
        var exception = AssertRefused(new ClassifierOtherSize(), PyTorchFixtures.OnnxPath("iris"), ModelFormatError.ArchitectureMismatch);
        Assert.Contains("layer 1 is Dense(8, Tanh), and the network's is Dense(9, Tanh)", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Another_activation_is_an_architecture_mismatch_naming_it()
    {
        var exception = AssertRefused(new ClassifierOtherActivation(), PyTorchFixtures.OnnxPath("iris"), ModelFormatError.ArchitectureMismatch);
        Assert.Contains("layer 1 is Dense(8, Tanh), and the network's is Dense(8, ReLU)", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Another_input_size_or_depth_is_an_architecture_mismatch()
    {
        AssertRefused(new Regressor(), PyTorchFixtures.OnnxPath("iris"), ModelFormatError.ArchitectureMismatch);
        var exception = AssertRefused(new DeepDouble(), PyTorchFixtures.OnnxPath("iris_double"), ModelFormatError.ArchitectureMismatch);
        Assert.Contains("it takes 4 input(s), and the network 3", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_other_precision_is_a_precision_mismatch()
    {
        AssertRefused(new ClassifierDouble(), PyTorchFixtures.OnnxPath("iris"), ModelFormatError.PrecisionMismatch);
        var exception = AssertRefused(new Classifier(), PyTorchFixtures.OnnxPath("iris_double"), ModelFormatError.PrecisionMismatch);
        Assert.Contains("double network; this network computes in float", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("unsupported_dropout", "Dropout", "eval mode")]
    [InlineData("unsupported_batchnorm", "BatchNormalization", "fold it")]
    [InlineData("unsupported_conv", "Conv", "convolutions")]
    public void An_operator_a_dense_network_does_not_have_is_unsupported_and_named(string fixture, string op, string advice)
    {
        var exception = AssertRefused(new Classifier(), PyTorchFixtures.OnnxPath(fixture), ModelFormatError.Unsupported);
        Assert.Contains(op, exception.Message, StringComparison.Ordinal);
        Assert.Contains(advice, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Float16_tensors_are_unsupported()
    {
        byte[] model = Linear(new OnnxGraphBuilder(), weightsType: OnnxSchema.DataType.Float16).Build();
        var exception = AssertRefused(new OnnxIdentityFloat(), model, ModelFormatError.Unsupported);
        Assert.Contains("float16", exception.Message, StringComparison.Ordinal);

        byte[] halfInput = Linear(new OnnxGraphBuilder(OnnxSchema.DataType.Float16)).Build();
        Assert.Contains("float16", AssertRefused(new OnnxIdentityFloat(), halfInput, ModelFormatError.Unsupported).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void External_tensor_data_is_unsupported()
    {
        byte[] model = new OnnxGraphBuilder()
            .Input("x", null, 3)
            .Node("Gemm", ["x", "W", "b"], ["y"], ("transB", 1L))
            .RawInitializer("W", [2, 3], OnnxSchema.DataType.Float, [], external: true)
            .Initializer("b", [2], [0, 0])
            .Output("y", null, 2)
            .Build();
        Assert.Contains("external data", AssertRefused(new Regressor(), model, ModelFormatError.Unsupported).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Graphs_that_are_not_a_chain_of_dense_layers_are_unsupported()
    {
        // Two inputs.
        byte[] twoInputs = Linear(new OnnxGraphBuilder()).Input("extra", null, 3).Build();
        Assert.Contains("more than one graph input", AssertRefused(new OnnxIdentityFloat(), twoInputs, ModelFormatError.Unsupported).Message, StringComparison.Ordinal);

        // An element-wise function that is no activation of the library: z · 2.
        byte[] doubled = new OnnxGraphBuilder()
            .Input("x", null, 3)
            .Node("Gemm", ["x", "W0", "b0"], ["z0"], ("transB", 1L))
            .Node("Mul", ["z0", "two"], ["a0"])
            .Node("Gemm", ["a0", "W1", "b1"], ["y"], ("transB", 1L))
            .Initializer("W0", [5, 3], new double[15]).Initializer("b0", [5], new double[5])
            .Initializer("W1", [2, 5], new double[10]).Initializer("b1", [2], new double[2])
            .Initializer("two", [], [2])
            .Output("y", null, 2)
            .Build();
        var exception = AssertRefused(new OnnxIdentityFloat(), doubled, ModelFormatError.Unsupported);
        Assert.Contains("(Mul) compute no activation this library has (at z = 1 they give 2)", exception.Message, StringComparison.Ordinal);

        // An operator the library has no activation for.
        byte[] hardSigmoid = new OnnxGraphBuilder()
            .Input("x", null, 3)
            .Node("Gemm", ["x", "W0", "b0"], ["z0"], ("transB", 1L))
            .Node("HardSigmoid", ["z0"], ["y"])
            .Initializer("W0", [2, 3], new double[6]).Initializer("b0", [2], new double[2])
            .Output("y", null, 2)
            .Build();
        Assert.Contains("HardSigmoid", AssertRefused(new OnnxIdentityFloat(), hardSigmoid, ModelFormatError.Unsupported).Message, StringComparison.Ordinal);

        // A skip connection: the input is read by two nodes.
        byte[] skip = new OnnxGraphBuilder()
            .Input("x", null, 3)
            .Node("Gemm", ["x", "W0", "b0"], ["z0"], ("transB", 1L))
            .Node("Add", ["z0", "x"], ["y"])
            .Initializer("W0", [3, 3], new double[9]).Initializer("b0", [3], new double[3])
            .Output("y", null, 3)
            .Build();
        AssertRefused(new OnnxIdentityFloat(), skip, ModelFormatError.Unsupported);
    }

    [Fact]
    public void A_weight_that_is_not_finite_is_refused_naming_it()
    {
        double[] weights = new double[15];
        weights[7] = double.NaN;
        byte[] model = new OnnxGraphBuilder()
            .Input("x", null, 3)
            .Node("Gemm", ["x", "W0", "b0"], ["z0"], ("transB", 1L))
            .Node("Gemm", ["z0", "W1", "b1"], ["y"], ("transB", 1L))
            .Initializer("W0", [5, 3], weights).Initializer("b0", [5], new double[5])
            .Initializer("W1", [2, 5], new double[10]).Initializer("b1", [2], [0, double.PositiveInfinity])
            .Output("y", null, 2)
            .Build();

        var exception = AssertRefused(new OnnxIdentityFloat(), model, ModelFormatError.Corrupted);
        Assert.Contains("W1[2, 1] (layer 1, neuron 2, input 1) is NaN", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bytes_that_are_no_onnx_model_are_refused()
    {
        Assert.Equal(ModelFormatError.NotAModelFile, AssertRefused(new Classifier(), Array.Empty<byte>(), null).Error);
        AssertRefused(new Classifier(), "not a model at all"u8.ToArray(), null);
        AssertRefused(new Classifier(), File.ReadAllBytes(PyTorchFixtures.SafeTensorsPath("iris")), null);
    }

    [Fact]
    public void Every_truncation_of_a_model_is_refused_or_loads_the_same_weights()
    {
        byte[] bytes = File.ReadAllBytes(PyTorchFixtures.OnnxPath("iris"));
        var reference = new PyTorchIris();
        Onnx.Load(reference, new MemoryStream(bytes));
        float[] weights = reference.Parameters.ToArray();

        for (int length = 0; length < bytes.Length; length++)
        {
            var network = Randomized(new PyTorchIris(), length);
            float[] before = network.Parameters.ToArray();
            try
            {
                Onnx.Load(network, new MemoryStream(bytes, 0, length));
                Assert.Equal(weights, network.Parameters.ToArray()); // cut after the graph: only the opset import is lost
            }
            catch (ModelFormatException)
            {
                Assert.Equal(before, network.Parameters.ToArray());
            }
        }
    }

    [Fact]
    public void Damaged_bytes_are_refused_with_the_network_untouched_or_load_as_a_valid_model()
    {
        // Flip random bytes of valid models, float and double: every outcome is a ModelFormatException with the
        // parameters untouched, or a load (a flip inside a weight is a valid model with another weight) — never another
        // exception, a hang or an allocation of a size the damaged bytes claim.
        var random = new Random(14);
        (string Name, Func<INetwork<float>> Create)[] floatModels = [("iris", () => new PyTorchIris()), ("act_gelu_float", () => new PyTorchGeluFloat())];
        (string Name, Func<INetwork<double>> Create)[] doubleModels = [("regression", () => new PyTorchRegression()), ("act_silu_double", () => new PyTorchSiluDouble())];
        int refused = 0, loaded = 0;
        for (int trial = 0; trial < 1000; trial++)
        {
            bool ok = trial % 2 == 0
                ? Damage(floatModels[trial / 2 % 2], random)
                : Damage(doubleModels[trial / 2 % 2], random);
            _ = ok ? loaded++ : refused++;
        }

        Assert.True(refused > 100 && loaded > 100, $"{refused} refused and {loaded} loaded: the damage should produce both.");
    }

    private static bool Damage<T>((string Name, Func<INetwork<T>> Create) model, Random random)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        byte[] bytes = File.ReadAllBytes(PyTorchFixtures.OnnxPath(model.Name));
        int flips = random.Next(1, 5);
        for (int i = 0; i < flips; i++)
        {
            bytes[random.Next(bytes.Length)] ^= (byte)random.Next(1, 256);
        }

        if (random.Next(4) == 0)
        {
            Array.Resize(ref bytes, random.Next(bytes.Length));
        }

        INetwork<T> network = model.Create();
        network.InitializeParameters(random.Next());
        T[] before = network.Parameters.ToArray();
        try
        {
            Onnx.Load(network, new MemoryStream(bytes));
            return true;
        }
        catch (ModelFormatException)
        {
            Assert.Equal(before, network.Parameters.ToArray());
            return false;
        }
    }

    /// <summary>3 → Gemm → 2, no activation: the smallest model, with its weights or its input of another type.</summary>
    private static OnnxGraphBuilder Linear(OnnxGraphBuilder builder, int? weightsType = null)
        => builder
            .Input("x", null, 3)
            .Node("Gemm", ["x", "W0", "b0"], ["z0"], ("transB", 1L))
            .Node("Gemm", ["z0", "W1", "b1"], ["y"], ("transB", 1L))
            .Initializer("W0", [5, 3], new double[15], weightsType)
            .Initializer("b0", [5], new double[5], weightsType)
            .Initializer("W1", [2, 5], new double[10], weightsType)
            .Initializer("b1", [2], new double[2], weightsType)
            .Output("y", null, 2);

    private static ModelFormatException AssertRefused<T>(INetwork<T> network, string path, ModelFormatError? error)
        where T : unmanaged, IFloatingPointIeee754<T>
        => AssertRefused(network, File.ReadAllBytes(path), error);

    private static ModelFormatException AssertRefused<T>(INetwork<T> network, byte[] model, ModelFormatError? error)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        network.InitializeParameters(21);
        T[] before = network.Parameters.ToArray();

        var exception = Assert.Throws<ModelFormatException>(() => Onnx.Load(network, new MemoryStream(model)));

        if (error is not null)
        {
            Assert.Equal(error, exception.Error);
        }

        Assert.Equal(before, network.Parameters.ToArray());
        return exception;
    }

    private static TNetwork Randomized<TNetwork>(TNetwork network, int seed)
        where TNetwork : INetwork<float>
    {
        var random = new Random(seed);
        for (int i = 0; i < network.Parameters.Length; i++)
        {
            network.Parameters[i] = (float)((random.NextDouble() * 2) - 1);
        }

        return network;
    }

    private static double[] Slice(float[] values, int offset, int count) => [.. values.AsSpan(offset, count).ToArray().Select(v => (double)v)];

    /// <summary>W [rows, columns] at <paramref name="offset"/>, written as [columns, rows] (Keras's kernel layout).</summary>
    private static double[] Transposed(float[] values, int offset, int rows, int columns)
    {
        var transposed = new double[rows * columns];
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < columns; c++)
            {
                transposed[(c * rows) + r] = values[offset + (r * columns) + c];
            }
        }

        return transposed;
    }
}
