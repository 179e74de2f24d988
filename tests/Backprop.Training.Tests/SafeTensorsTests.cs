using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using Backprop.Interop;
using Backprop.Serialization;

namespace Backprop.Training.Tests;

/// <summary>
/// safetensors files: round trips in float and double, the header and data byte by byte, a file laid out the way
/// PyTorch's writer lays it out, and one test per way a file can be wrong, each proving the network is untouched.
/// </summary>
public sealed class SafeTensorsTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("backprop-safetensors-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Float_round_trip_through_a_stream()
    {
        var saved = Initialized<Classifier>(1);
        var loaded = Initialized<Classifier>(99);
        using var stream = new MemoryStream();

        SafeTensors.Save(saved, stream);
        stream.Position = 0;
        SafeTensors.Load(loaded, stream);

        Assert.Equal(saved.Parameters.ToArray(), loaded.Parameters.ToArray());
        Assert.Equal(stream.Length, stream.Position);
    }

    [Fact]
    public void Double_round_trip_through_a_file_with_named_layers()
    {
        var saved = new RegressorDouble();
        saved.InitializeParameters(5);
        saved.Parameters[0] = double.Epsilon;
        saved.Parameters[1] = -0.0;
        saved.Parameters[2] = Math.PI;
        var loaded = new RegressorDouble();
        string path = Path.Combine(_directory, "regressor.safetensors");

        SafeTensors.Save(saved, path, ["fc1", "fc2"]);
        SafeTensors.Load(loaded, path, ["fc1", "fc2"]);

        Assert.Equal(
            saved.Parameters.ToArray().Select(BitConverter.DoubleToInt64Bits),
            loaded.Parameters.ToArray().Select(BitConverter.DoubleToInt64Bits));
        Assert.Equal(["fc1.bias", "fc1.weight", "fc2.bias", "fc2.weight"], Header(File.ReadAllBytes(path)).Tensors.Keys.Order());
    }

    [Fact]
    public void The_file_is_the_documented_layout()
    {
        var network = Initialized<Classifier>(3);
        byte[] bytes = Bytes(network);

        (int headerLength, Dictionary<string, (string DType, long[] Shape, long[] Offsets)> tensors, JsonElement root) = Header(bytes);
        Assert.Equal(0, headerLength % 8);
        Assert.Equal("pt", root.GetProperty("__metadata__").GetProperty("format").GetString());
        Assert.Equal(("F32", "8,4", "0,128"), Plain(tensors["0.weight"]));
        Assert.Equal(("F32", "8", "128,160"), Plain(tensors["0.bias"]));
        Assert.Equal(("F32", "3,8", "160,256"), Plain(tensors["2.weight"]));
        Assert.Equal(("F32", "3", "256,268"), Plain(tensors["2.bias"]));
        Assert.Equal(8 + headerLength + 268, bytes.Length);

        // The data: every parameter, little-endian, in the layer order W1, b1, W2, b2 that Parameters has too.
        float[] data = new float[Classifier.ParameterCount];
        for (int i = 0; i < data.Length; i++)
        {
            data[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(8 + headerLength + (4 * i)));
        }

        Assert.Equal(network.Parameters.ToArray(), data);
    }

    [Fact]
    public void A_file_laid_out_as_PyTorchs_writer_does_loads()
    {
        // safetensors' own writer orders the header's keys and the data as it likes, and other writers add fields:
        // only the names, dtypes, shapes and offsets count.
        var source = Initialized<Classifier>(7);
        float[] p = source.Parameters.ToArray();
        byte[] file = Build(
            [
                ("2.bias", "F32", [3], p[64..67]),
                ("0.weight", "F32", [8, 4], p[0..32]),
                ("2.weight", "F32", [3, 8], p[40..64]),
                ("0.bias", "F32", [8], p[32..40]),
            ],
            metadata: """{"format":"pt","note":"from torch"}""",
            extraField: true);
        var loaded = Initialized<Classifier>(99);

        SafeTensors.Load(loaded, new MemoryStream(file));

        Assert.Equal(p, loaded.Parameters.ToArray());
    }

    [Fact]
    public void Layer_names_must_be_one_distinct_non_empty_name_per_layer()
    {
        var network = Initialized<Classifier>(1);
        string path = Path.Combine(_directory, "never.safetensors");

        Assert.Throws<ArgumentException>(() => SafeTensors.Save(network, path, ["fc1"]));
        Assert.Throws<ArgumentException>(() => SafeTensors.Save(network, path, ["fc", "fc"]));
        Assert.Throws<ArgumentException>(() => SafeTensors.Save(network, path, ["fc1", ""]));
        Assert.False(File.Exists(path));
        Assert.Throws<ArgumentException>(() => SafeTensors.Load(network, new MemoryStream(Bytes(network)), ["a", "b", "c"]));
    }

    public static TheoryData<string, ModelFormatError, string> BadFiles => new()
    {
        { "shorter than the header length", ModelFormatError.Truncated, "fewer than the 8" },
        { "an absurd header length", ModelFormatError.NotAModelFile, "not a safetensors file" },
        { "a header longer than the file", ModelFormatError.Truncated, "only" },
        { "a header that is not JSON", ModelFormatError.Corrupted, "not valid JSON" },
        { "a header that is not an object", ModelFormatError.Corrupted, "not a JSON object" },
        { "a tensor without offsets", ModelFormatError.Corrupted, "lacks its dtype, shape or data offsets" },
        { "the data cut short", ModelFormatError.Truncated, "truncated" },
        { "bytes after the last tensor", ModelFormatError.Corrupted, "follow the last tensor" },
        { "overlapping tensors", ModelFormatError.Corrupted, "claims bytes" },
        { "a gap between tensors", ModelFormatError.Corrupted, "claims bytes" },
        { "double tensors", ModelFormatError.PrecisionMismatch, "as F64" },
        { "float16 tensors", ModelFormatError.PrecisionMismatch, "as F16" },
        { "a missing tensor", ModelFormatError.ArchitectureMismatch, "no tensor '2.bias'" },
        { "a tensor the network has no place for", ModelFormatError.ArchitectureMismatch, "'4.weight'" },
        { "another layer size", ModelFormatError.ArchitectureMismatch, "'0.weight' with shape [9, 4]" },
        { "other layer names", ModelFormatError.ArchitectureMismatch, "no tensor '0.weight'" },
    };

    [Theory]
    [MemberData(nameof(BadFiles))]
    public void A_bad_file_is_refused_and_the_network_is_untouched(string what, ModelFormatError error, string message)
    {
        byte[] file = BadFile(what);
        string path = Path.Combine(_directory, "bad.safetensors");
        File.WriteAllBytes(path, file);
        var network = Initialized<Classifier>(11);
        float[] before = network.Parameters.ToArray();

        var fromFile = Assert.Throws<ModelFormatException>(() => SafeTensors.Load(network, path));
        Assert.Equal(error, fromFile.Error);
        Assert.Contains(message, fromFile.Message, StringComparison.Ordinal);
        Assert.Contains(path, fromFile.Message, StringComparison.Ordinal);
        Assert.Equal(before, network.Parameters.ToArray());

        if (what != "bytes after the last tensor")
        {
            // A stream has no length to check: the same file is refused for the same reason.
            var fromStream = Assert.Throws<ModelFormatException>(() => SafeTensors.Load(network, new MemoryStream(file)));
            Assert.Equal(error, fromStream.Error);
            Assert.Equal(before, network.Parameters.ToArray());
        }
    }

    [Fact]
    public void A_value_that_is_not_finite_is_refused_naming_its_tensor_and_place()
    {
        byte[] bytes = Bytes(Initialized<Classifier>(6));
        int headerLength = (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        int at = 8 + headerLength + (4 * (32 + 8)) + (4 * ((2 * 8) + 5)); // 2.weight[2, 5], after 0.weight and 0.bias
        BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(at), float.NaN);
        var network = Initialized<Classifier>(7);
        float[] before = network.Parameters.ToArray();

        var exception = Assert.Throws<ModelFormatException>(() => SafeTensors.Load(network, new MemoryStream(bytes)));

        Assert.Equal(ModelFormatError.Corrupted, exception.Error);
        Assert.Contains("holds NaN in '2.weight'[2, 5]", exception.Message, StringComparison.Ordinal);
        Assert.Equal(before, network.Parameters.ToArray());
    }

    [Fact]
    public void Damaged_files_load_or_are_refused_and_nothing_else()
    {
        // Random byte flips and truncations of a valid file: each either loads (a flipped data byte is a valid file)
        // or throws ModelFormatException with the network untouched; nothing else escapes, nothing hangs.
        var source = Initialized<Classifier>(2);
        byte[] valid = Bytes(source);
        var random = new Random(1234);
        var network = new Classifier();
        int refused = 0;
        for (int trial = 0; trial < 2000; trial++)
        {
            byte[] damaged = trial % 4 == 0 ? valid[..random.Next(valid.Length)] : (byte[])valid.Clone();
            if (trial % 4 != 0)
            {
                for (int flips = random.Next(1, 4); flips > 0; flips--)
                {
                    damaged[random.Next(damaged.Length)] ^= (byte)(1 << random.Next(8));
                }
            }

            network.InitializeParameters(trial);
            float[] before = network.Parameters.ToArray();
            try
            {
                SafeTensors.Load(network, new MemoryStream(damaged));
            }
            catch (ModelFormatException)
            {
                refused++;
                Assert.Equal(before, network.Parameters.ToArray());
            }
        }

        Assert.InRange(refused, 500, 2000);
    }

    private static byte[] BadFile(string what)
    {
        var network = Initialized<Classifier>(5);
        float[] p = network.Parameters.ToArray();
        (string, string, long[], float[])[] tensors =
        [
            ("0.weight", "F32", [8, 4], p[0..32]),
            ("0.bias", "F32", [8], p[32..40]),
            ("2.weight", "F32", [3, 8], p[40..64]),
            ("2.bias", "F32", [3], p[64..67]),
        ];
        byte[] valid = Bytes(network);
        switch (what)
        {
            case "shorter than the header length":
                return valid[..5];
            case "an absurd header length":
                byte[] absurd = (byte[])valid.Clone();
                BinaryPrimitives.WriteUInt64LittleEndian(absurd, 1UL << 60);
                return absurd;
            case "a header longer than the file":
                byte[] longer = (byte[])valid.Clone();
                BinaryPrimitives.WriteUInt64LittleEndian(longer, (ulong)valid.Length);
                return longer;
            case "a header that is not JSON":
                return WithHeader("{\"0.weight\": {\"dtype\": \"F32\", ", valid);
            case "a header that is not an object":
                return WithHeader("[1, 2, 3]", valid);
            case "a tensor without offsets":
                return WithHeader("{\"0.weight\": {\"dtype\": \"F32\", \"shape\": [8, 4]}}", valid);
            case "the data cut short":
                return valid[..^3];
            case "bytes after the last tensor":
                return [.. valid, 0, 0, 0, 0];
            case "overlapping tensors":
                return Build(tensors, offsets: [(0, 128), (124, 156), (156, 252), (252, 264)]);
            case "a gap between tensors":
                return Build(tensors, offsets: [(0, 128), (132, 164), (164, 260), (260, 272)], dataBytes: 272);
            case "double tensors":
                var doubles = new ClassifierDouble();
                doubles.InitializeParameters(1);
                return Bytes(doubles);
            case "float16 tensors":
                return Build([.. tensors.Select(t => (t.Item1, "F16", t.Item3, t.Item4))], elementSize: 2);
            case "a missing tensor":
                return Build(tensors[..3]);
            case "a tensor the network has no place for":
                return Build([.. tensors, ("4.weight", "F32", [1, 3], new float[3])]);
            case "another layer size":
                return Bytes(Initialized<ClassifierOtherSize>(1));
            case "other layer names":
                using (var stream = new MemoryStream())
                {
                    SafeTensors.Save(network, stream, ["fc1", "fc2"]);
                    return stream.ToArray();
                }

            default:
                throw new ArgumentOutOfRangeException(nameof(what), what, null);
        }
    }

    /// <summary>
    /// A safetensors file written by hand: the tensors' data in the order given, each at the offsets given (or one after
    /// the other), each value <paramref name="elementSize"/> bytes (a float's bits, or its first bytes).
    /// </summary>
    private static byte[] Build(
        (string Name, string DType, long[] Shape, float[] Values)[] tensors,
        (long Begin, long End)[]? offsets = null,
        int elementSize = 4,
        string? metadata = null,
        bool extraField = false,
        long? dataBytes = null)
    {
        var header = new StringBuilder("{");
        if (metadata is not null)
        {
            header.Append("\"__metadata__\":").Append(metadata).Append(',');
        }

        var data = new List<byte>();
        for (int i = 0; i < tensors.Length; i++)
        {
            var (name, dtype, shape, values) = tensors[i];
            long begin = offsets?[i].Begin ?? data.Count;
            long end = offsets?[i].End ?? begin + (values.Length * elementSize);
            header.Append($"\"{name}\":{{\"dtype\":\"{dtype}\",\"shape\":[{string.Join(",", shape)}],\"data_offsets\":[{begin},{end}]");
            header.Append(extraField ? ",\"comment\":[1,{\"x\":2}]}" : "}");
            header.Append(i + 1 < tensors.Length ? "," : "");
            foreach (float value in values)
            {
                byte[] bits = BitConverter.GetBytes(value);
                data.AddRange(bits[..elementSize]);
            }
        }

        header.Append('}');
        while (data.Count < (dataBytes ?? 0))
        {
            data.Add(0);
        }

        byte[] json = Encoding.UTF8.GetBytes(header.ToString());
        byte[] file = new byte[8 + json.Length + data.Count];
        BinaryPrimitives.WriteUInt64LittleEndian(file, (ulong)json.Length);
        json.CopyTo(file, 8);
        data.CopyTo(file, 8 + json.Length);
        return file;
    }

    /// <summary><paramref name="valid"/>'s data behind another header.</summary>
    private static byte[] WithHeader(string json, byte[] valid)
    {
        int oldLength = (int)BinaryPrimitives.ReadUInt64LittleEndian(valid);
        byte[] header = Encoding.UTF8.GetBytes(json);
        byte[] file = new byte[8 + header.Length + (valid.Length - 8 - oldLength)];
        BinaryPrimitives.WriteUInt64LittleEndian(file, (ulong)header.Length);
        header.CopyTo(file, 8);
        valid.AsSpan(8 + oldLength).CopyTo(file.AsSpan(8 + header.Length));
        return file;
    }

    private static (int Length, Dictionary<string, (string DType, long[] Shape, long[] Offsets)> Tensors, JsonElement Root) Header(byte[] file)
    {
        int length = checked((int)BinaryPrimitives.ReadUInt64LittleEndian(file));
        JsonElement root = JsonDocument.Parse(file.AsMemory(8, length)).RootElement.Clone();
        var tensors = root.EnumerateObject()
            .Where(p => p.Name != "__metadata__")
            .ToDictionary(
                p => p.Name,
                p => (p.Value.GetProperty("dtype").GetString()!,
                      p.Value.GetProperty("shape").EnumerateArray().Select(e => e.GetInt64()).ToArray(),
                      p.Value.GetProperty("data_offsets").EnumerateArray().Select(e => e.GetInt64()).ToArray()));
        return (length, tensors, root);
    }

    private static (string, string, string) Plain((string DType, long[] Shape, long[] Offsets) tensor)
        => (tensor.DType, string.Join(",", tensor.Shape), string.Join(",", tensor.Offsets));

    private static byte[] Bytes<T>(INetwork<T> network)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        using var stream = new MemoryStream();
        SafeTensors.Save(network, stream);
        return stream.ToArray();
    }

    private static TNetwork Initialized<TNetwork>(int seed)
        where TNetwork : INetwork<float>, new()
    {
        var network = new TNetwork();
        network.InitializeParameters(seed);
        return network;
    }
}
