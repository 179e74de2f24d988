using System.Buffers.Binary;
using System.Text;
using Backprop.Serialization;

namespace Backprop.Training.Tests;

/// <summary>
/// The model file: round trips in float and double, the documented layout byte by byte, and one test per way a file
/// can be wrong, each proving the network's parameters are untouched.
/// </summary>
public sealed class SerializationTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("backprop-serialization-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Float_round_trip_through_a_stream()
    {
        var saved = Trained<Classifier>(seed: 1);
        var loaded = new Classifier();
        loaded.InitializeParameters(99);

        using var stream = new MemoryStream();
        NetworkSerializer.Save(saved, stream);
        stream.Position = 0;
        NetworkSerializer.Load(loaded, stream);

        Assert.Equal(saved.Parameters.ToArray(), loaded.Parameters.ToArray());
        Assert.Equal(stream.Length, stream.Position);
    }

    [Fact]
    public void Double_round_trip_through_a_file()
    {
        var saved = new DeepDouble();
        saved.InitializeParameters(5);
        saved.Parameters[0] = double.Epsilon;
        saved.Parameters[1] = -0.0;
        saved.Parameters[2] = Math.PI;
        var loaded = new DeepDouble();
        string path = Path.Combine(_directory, "deep.bpn");

        NetworkSerializer.Save(saved, path);
        NetworkSerializer.Load(loaded, path);

        Assert.Equal(
            saved.Parameters.ToArray().Select(BitConverter.DoubleToInt64Bits),
            loaded.Parameters.ToArray().Select(BitConverter.DoubleToInt64Bits));
    }

    [Fact]
    public void Models_can_follow_each_other_in_one_stream()
    {
        var first = Trained<Classifier>(seed: 1);
        var second = new BinaryClassifier();
        second.InitializeParameters(4);
        using var stream = new MemoryStream();
        NetworkSerializer.Save(first, stream);
        NetworkSerializer.Save(second, stream);
        stream.Position = 0;

        var loadedFirst = new Classifier();
        var loadedSecond = new BinaryClassifier();
        NetworkSerializer.Load(loadedFirst, stream);
        NetworkSerializer.Load(loadedSecond, stream);

        Assert.Equal(first.Parameters.ToArray(), loadedFirst.Parameters.ToArray());
        Assert.Equal(second.Parameters.ToArray(), loadedSecond.Parameters.ToArray());
    }

    [Fact]
    public void The_layout_is_the_documented_one()
    {
        var network = Trained<Classifier>(seed: 2);
        byte[] file = Bytes(network);
        byte[] architecture = Encoding.UTF8.GetBytes(Classifier.Architecture);
        int parametersAt = 20 + architecture.Length;

        Assert.Equal(new byte[] { 0x89, 0x42, 0x50, 0x4E, 0x0D, 0x0A, 0x1A, 0x0A }, file[..8]);
        Assert.Equal(1, BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(8)));
        Assert.Equal(0, file[10]);
        Assert.Equal(0, file[11]);
        Assert.Equal(architecture.Length, BinaryPrimitives.ReadInt32LittleEndian(file.AsSpan(12)));
        Assert.Equal(Classifier.ParameterCount, BinaryPrimitives.ReadInt32LittleEndian(file.AsSpan(16)));
        Assert.Equal(architecture, file[20..parametersAt]);
        for (int i = 0; i < Classifier.ParameterCount; i++)
        {
            Assert.Equal(network.Parameters[i], BinaryPrimitives.ReadSingleLittleEndian(file.AsSpan(parametersAt + 4 * i)));
        }

        int checksumAt = parametersAt + 4 * Classifier.ParameterCount;
        Assert.Equal(checksumAt + 4, file.Length);
        Assert.Equal(BitwiseCrc32(file.AsSpan(0, checksumAt)), BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(checksumAt)));
        Assert.Equal(1, Bytes(new ClassifierDouble())[10]);
    }

    [Fact]
    public void The_Iris_shaped_float_model_is_393_bytes_as_the_format_document_says()
        => Assert.Equal(393, Bytes(new Classifier()).Length);

    [Fact]
    public void Crc32_is_the_standard_one()
        => Assert.Equal(0xCBF43926u, BitwiseCrc32("123456789"u8));

    public static TheoryData<string> OtherArchitectures => new() { "loss", "activation", "size" };

    [Theory]
    [MemberData(nameof(OtherArchitectures))]
    public void Another_architecture_is_refused_naming_both(string difference)
    {
        INetwork<float> other = difference switch
        {
            "loss" => new ClassifierOtherLoss(),
            "activation" => new ClassifierOtherActivation(),
            _ => new ClassifierOtherSize(),
        };
        byte[] file = Bytes(other);

        ModelFormatException error = AssertRefused(file, ModelFormatError.ArchitectureMismatch);

        Assert.Contains(other.Architecture, error.Message);
        Assert.Contains(Classifier.Architecture, error.Message);
    }

    [Fact]
    public void Another_precision_is_refused()
    {
        byte[] file = Bytes(new ClassifierDouble());

        ModelFormatException error = AssertRefused(file, ModelFormatError.PrecisionMismatch);

        Assert.Contains("double (Precision.Double)", error.Message);
        Assert.Contains("float (Precision.Single)", error.Message);
    }

    [Fact]
    public void A_float_file_is_refused_by_a_double_network()
    {
        var network = new ClassifierDouble();
        double[] before = network.Parameters.ToArray();

        var error = Assert.Throws<ModelFormatException>(() => NetworkSerializer.Load(network, new MemoryStream(Bytes(new Classifier()))));

        Assert.Equal(ModelFormatError.PrecisionMismatch, error.Error);
        Assert.Equal(before, network.Parameters.ToArray());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    [InlineData(8)]
    [InlineData(9)]
    [InlineData(19)]
    [InlineData(40)]
    [InlineData(-5)]
    [InlineData(-1)]
    public void A_truncated_file_is_refused(int cut)
    {
        byte[] file = Bytes(Trained<Classifier>(seed: 3));
        byte[] truncated = file[..(cut >= 0 ? cut : file.Length + cut)];

        ModelFormatException error = AssertRefused(truncated, ModelFormatError.Truncated);

        Assert.Contains("truncated", error.Message);
    }

    [Theory]
    [InlineData("parameters")]
    [InlineData("architecture")]
    [InlineData("checksum")]
    [InlineData("parameter count")]
    public void A_corrupted_file_is_refused_by_its_checksum(string where)
    {
        byte[] file = Bytes(Trained<Classifier>(seed: 4));
        int at = where switch
        {
            "parameters" => file.Length - 30,
            "architecture" => 25,
            "checksum" => file.Length - 2,
            _ => 16,
        };
        file[at] ^= 0x01;

        // A smaller parameter count (67 → 66) reads a shorter payload; the checksum still catches it.
        ModelFormatException error = AssertRefused(file, ModelFormatError.Corrupted);

        Assert.Contains("checksum", error.Message);
    }

    [Fact]
    public void A_larger_parameter_count_reads_past_the_end_and_is_refused_as_truncated()
    {
        byte[] file = Bytes(new Classifier());
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(16), int.MaxValue);

        ModelFormatException error = AssertRefused(file, ModelFormatError.Truncated);

        Assert.Contains("in the parameters", error.Message);
    }

    [Fact]
    public void A_header_no_writer_produces_is_refused_as_corrupted()
    {
        byte[] file = Bytes(new Classifier());
        file[10] = 7;

        ModelFormatException error = AssertRefused(file, ModelFormatError.Corrupted);

        Assert.Contains("precision code 7", error.Message);
    }

    [Fact]
    public void Something_else_is_refused_as_not_a_model_file()
    {
        ModelFormatException error = AssertRefused("sepal_length,sepal_width\n5.1,3.5\n"u8.ToArray(), ModelFormatError.NotAModelFile);

        Assert.Contains("not a Backprop model file", error.Message);
    }

    [Fact]
    public void Another_format_version_is_refused()
    {
        byte[] file = Bytes(new Classifier());
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(8), 3);

        ModelFormatException error = AssertRefused(file, ModelFormatError.UnsupportedVersion);

        Assert.Contains("version 3", error.Message);
        Assert.Contains("newer", error.Message);
    }

    [Fact]
    public void Metadata_round_trip_in_a_version_2_file_and_a_file_without_stays_version_1()
    {
        var network = Trained<Classifier>(seed: 8);
        var metadata = new Dictionary<string, string>
        {
            ["classes"] = "setosa,versicolor,virginica",
            ["feature.mean"] = "5.84,3.06,3.76,1.20",
            ["note"] = "π ≈ 3.14159 — UTF-8 ✓",
            ["empty"] = "",
        };
        string path = Path.Combine(_directory, "with-metadata.bpn");

        NetworkSerializer.Save(network, path, metadata);
        var loaded = new Classifier();
        IReadOnlyDictionary<string, string> read = NetworkSerializer.Load(loaded, path);

        Assert.Equal(metadata.OrderBy(e => e.Key, StringComparer.Ordinal), read);
        Assert.Equal(network.Parameters.ToArray(), loaded.Parameters.ToArray());
        Assert.Equal(2, BinaryPrimitives.ReadUInt16LittleEndian(File.ReadAllBytes(path).AsSpan(8)));

        byte[] plain = Bytes(network);
        Assert.Equal(1, BinaryPrimitives.ReadUInt16LittleEndian(plain.AsSpan(8)));
        Assert.Empty(NetworkSerializer.Load(new Classifier(), new MemoryStream(plain)));
        using var empty = new MemoryStream();
        NetworkSerializer.Save(network, empty, new Dictionary<string, string>());
        Assert.Equal(plain, empty.ToArray());
    }

    [Fact]
    public void Metadata_keys_must_be_non_empty_and_nothing_is_written_otherwise()
    {
        string path = Path.Combine(_directory, "bad-metadata.bpn");
        var exception = Assert.Throws<ArgumentException>(() => NetworkSerializer.Save(Trained<Classifier>(seed: 9), path, new Dictionary<string, string> { [""] = "x" }));
        Assert.Equal("metadata", exception.ParamName);
        Assert.False(File.Exists(path));
    }

    [Theory]
    [InlineData("an entry count past the block", 0, 1000)]
    [InlineData("a key length past the block", 4, 1000)]
    [InlineData("a negative value length", 4 + 4 + 7, -1)]
    public void A_damaged_metadata_block_with_a_valid_checksum_is_refused(string what, int offsetInBlock, int value)
    {
        _ = what;
        var network = Trained<Classifier>(seed: 10);
        using var stream = new MemoryStream();
        NetworkSerializer.Save(network, stream, new Dictionary<string, string> { ["classes"] = "a,b,c" });
        byte[] file = stream.ToArray();
        int architectureLength = BinaryPrimitives.ReadInt32LittleEndian(file.AsSpan(12));
        int blockBody = 20 + architectureLength + 4;
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(blockBody + offsetInBlock), value);
        var crc = new Crc32();
        crc.Append(file.AsSpan(0, file.Length - 4));
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(file.Length - 4), crc.Value);

        ModelFormatException error = AssertRefused(file, ModelFormatError.Corrupted);

        Assert.Contains("metadata", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_metadata_length_no_writer_writes_is_refused_before_anything_is_allocated()
    {
        using var stream = new MemoryStream();
        NetworkSerializer.Save(Trained<Classifier>(seed: 11), stream, new Dictionary<string, string> { ["k"] = "v" });
        byte[] file = stream.ToArray();
        int architectureLength = BinaryPrimitives.ReadInt32LittleEndian(file.AsSpan(12));
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(20 + architectureLength), int.MaxValue);

        ModelFormatException error = AssertRefused(file, ModelFormatError.Corrupted);

        Assert.Contains($"declares {int.MaxValue} bytes of metadata", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bytes_after_the_checksum_of_a_file_are_refused()
    {
        string path = Path.Combine(_directory, "extra.bpn");
        File.WriteAllBytes(path, [.. Bytes(Trained<Classifier>(seed: 1)), 0, 0, 0]);
        var network = new Classifier();
        float[] before = network.Parameters.ToArray();

        var error = Assert.Throws<ModelFormatException>(() => NetworkSerializer.Load(network, path));

        Assert.Equal(ModelFormatError.Corrupted, error.Error);
        Assert.Contains("3 unexpected byte(s)", error.Message);
        Assert.Contains(path, error.Message);
        Assert.Equal(before, network.Parameters.ToArray());
    }

    [Fact]
    public void Saving_over_a_file_replaces_it_and_leaves_nothing_else()
    {
        string path = Path.Combine(_directory, "model.bpn");
        NetworkSerializer.Save(Trained<Classifier>(seed: 1), path);
        var second = Trained<Classifier>(seed: 2);

        NetworkSerializer.Save(second, path);

        Assert.Equal([path], Directory.GetFiles(_directory));
        Assert.Equal(Bytes(second), File.ReadAllBytes(path));
    }

    [Fact]
    public void A_save_that_fails_midway_leaves_the_old_file_and_no_temporary_file()
    {
        string path = Path.Combine(_directory, "model.bpn");
        NetworkSerializer.Save(Trained<Classifier>(seed: 1), path);
        byte[] before = File.ReadAllBytes(path);

        Assert.Throws<IOException>(() => NetworkSerializer.Save(new FailingNetwork(), path));

        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Equal([path], Directory.GetFiles(_directory));
    }

    [Fact]
    public void Every_writer_refuses_a_network_with_a_parameter_that_is_not_finite_and_touches_no_file()
    {
        var network = Trained<Classifier>(seed: 3);
        network.Parameters[40 + 5] = float.NaN; // W2[0, 5]
        string path = Path.Combine(_directory, "diverged.model");
        File.WriteAllText(path, "an older model");
        Action[] saves =
        [
            () => NetworkSerializer.Save(network, new MemoryStream()),
            () => NetworkSerializer.Save(network, path),
            () => Backprop.Interop.SafeTensors.Save(network, new MemoryStream()),
            () => Backprop.Interop.SafeTensors.Save(network, path),
            () => Backprop.Interop.Onnx.Save(network, new MemoryStream()),
            () => Backprop.Interop.Onnx.Save(network, path),
        ];

        foreach (Action save in saves)
        {
            var exception = Assert.Throws<ArgumentException>(save);
            Assert.Equal("network", exception.ParamName);
            Assert.StartsWith("The network's parameter W2[0, 5] (layer 2: Dense(3, Softmax), the weight of neuron 0 for a1[5]) is NaN", exception.Message, StringComparison.Ordinal);
        }

        Assert.Equal("an older model", File.ReadAllText(path));
        Assert.Equal([path], Directory.GetFiles(_directory));
    }

    [Fact]
    public void A_file_whose_parameters_are_not_finite_is_refused_even_with_a_valid_checksum()
    {
        // A file an older version wrote from a diverged network: the checksum is right, the model is not.
        byte[] file = Bytes(Trained<Classifier>(seed: 4));
        int parameters = file.Length - 4 - (4 * Classifier.ParameterCount);
        BinaryPrimitives.WriteSingleLittleEndian(file.AsSpan(parameters + (4 * 66)), float.PositiveInfinity); // b2[2], the last parameter
        var crc = new Crc32();
        crc.Append(file.AsSpan(0, file.Length - 4));
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(file.Length - 4), crc.Value);

        ModelFormatException error = AssertRefused(file, ModelFormatError.Corrupted);

        Assert.Contains("holds Infinity as b2[2] (layer 2: Dense(3, Softmax), the bias of neuron 2)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Saving_into_a_directory_that_does_not_exist_names_the_file_asked_for()
    {
        string path = Path.Combine(_directory, "missing", "model.bpn");
        var network = Trained<Classifier>(seed: 12);
        Action[] saves =
        [
            () => NetworkSerializer.Save(network, path),
            () => Backprop.Interop.Onnx.Save(network, path),
            () => Backprop.Interop.SafeTensors.Save(network, path),
        ];

        foreach (Action save in saves)
        {
            var exception = Assert.Throws<DirectoryNotFoundException>(save);
            Assert.Contains($"Cannot save '{path}'", exception.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(".tmp", exception.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Loading_a_missing_file_throws_FileNotFoundException()
        => Assert.Throws<FileNotFoundException>(() => NetworkSerializer.Load(new Classifier(), Path.Combine(_directory, "missing.bpn")));

    private static ModelFormatException AssertRefused(byte[] file, ModelFormatError expected)
    {
        var network = Trained<Classifier>(seed: 42);
        float[] before = network.Parameters.ToArray();

        var error = Assert.Throws<ModelFormatException>(() => NetworkSerializer.Load(network, new MemoryStream(file)));

        Assert.True(expected == error.Error, $"Expected {expected}, got {error.Error}: {error.Message}");
        Assert.Equal(before, network.Parameters.ToArray());
        return error;
    }

    private static byte[] Bytes<T>(INetwork<T> network)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        using var stream = new MemoryStream();
        NetworkSerializer.Save(network, stream);
        return stream.ToArray();
    }

    private static TNetwork Trained<TNetwork>(int seed)
        where TNetwork : INetwork<float>, new()
    {
        var network = new TNetwork();
        network.InitializeParameters(seed);
        return network;
    }

    /// <summary>CRC-32 one bit at a time, straight from the definition (reflected 0xEDB88320), independent of the library's table.</summary>
    private static uint BitwiseCrc32(ReadOnlySpan<byte> bytes)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in bytes)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++)
            {
                crc = (crc >> 1) ^ (0xEDB88320 & (0 - (crc & 1)));
            }
        }

        return ~crc;
    }

    /// <summary>A network whose parameters cannot be read, as if the disk failed mid-save.</summary>
    private sealed class FailingNetwork : INetwork<float>
    {
        private readonly Classifier _inner = new();

        public int InputCount => Classifier.InputCount;

        public int OutputCount => Classifier.OutputCount;

        public int ParameterCount => Classifier.ParameterCount;

        public string Architecture => Classifier.Architecture;

        public Span<float> Parameters => throw new IOException("Simulated failure while writing the parameters.");

        public void InitializeParameters(int seed) => _inner.InitializeParameters(seed);

        public void Forward(ReadOnlySpan<float> input, Span<float> output) => _inner.Forward(input, output);

        public float ComputeLoss(ReadOnlySpan<float> input, ReadOnlySpan<float> target) => _inner.ComputeLoss(input, target);

        public float Backward(ReadOnlySpan<float> input, ReadOnlySpan<float> target, Span<float> gradient) => _inner.Backward(input, target, gradient);

        public float TrainStep(ReadOnlySpan<float> input, ReadOnlySpan<float> target, float learningRate) => _inner.TrainStep(input, target, learningRate);

        public float TrainBatch(ReadOnlySpan<float> inputs, ReadOnlySpan<float> targets, float learningRate) => _inner.TrainBatch(inputs, targets, learningRate);
    }
}
