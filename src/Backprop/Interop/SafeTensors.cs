using System;
using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Text.Json;
using Backprop.Interop.Formats;
using Backprop.Internal;
using Backprop.Serialization;

namespace Backprop.Interop;

/// <summary>
/// Saves a network's weights as a safetensors file (the format of Hugging Face and of PyTorch's
/// <c>safetensors.torch.save_file</c>) and loads them from one, with PyTorch <c>state_dict</c> names.
/// </summary>
/// <remarks>
/// <para>
/// The file is an 8-byte little-endian header length, a JSON header naming each tensor's dtype, shape and byte range,
/// then the tensors' bytes, little-endian and row-major. Layer k (from 0) has two tensors: its weights W, shape
/// <c>[out, in]</c> as in <c>nn.Linear</c> (which is this library's layout), and its bias b, shape <c>[out]</c>.
/// </para>
/// <para>
/// Their names are by default those of an <c>nn.Sequential</c> that alternates <c>Linear</c> and activation modules:
/// <c>0.weight</c>, <c>0.bias</c>, <c>2.weight</c>, <c>2.bias</c>, … (layer k's <c>Linear</c> is module 2k; an
/// identity layer counts its <c>nn.Identity()</c>). Pass <c>layerNames</c> for a model whose layers have names of
/// their own: <c>["fc1", "fc2"]</c> gives <c>fc1.weight</c>, <c>fc1.bias</c>, <c>fc2.weight</c>, <c>fc2.bias</c>.
/// </para>
/// <para>
/// float networks read and write F32, double networks F64. Loading checks everything before it changes anything: the
/// header, every tensor's name, dtype, shape and byte range, that no tensor is missing or left over and that the bytes
/// are exactly the tensors'. A mismatch throws <see cref="ModelFormatException"/> naming the first difference, and
/// the network keeps its parameters.
/// </para>
/// </remarks>
public static class SafeTensors
{
    /// <summary>
    /// Writes the network's weights to <paramref name="stream"/> as a safetensors file, from its current position.
    /// </summary>
    /// <param name="network">The network to save.</param>
    /// <param name="stream">A writable stream; it is not closed.</param>
    /// <param name="layerNames">The name of each layer (see the remarks of <see cref="SafeTensors"/>); null for <c>nn.Sequential</c>'s.</param>
    /// <exception cref="ArgumentNullException"><paramref name="network"/> or <paramref name="stream"/> is null.</exception>
    /// <exception cref="ArgumentException">The layer names are not one distinct, non-empty name per layer, or the network's architecture does not describe dense layers.</exception>
    public static void Save<T>(INetwork<T> network, Stream stream, IReadOnlyList<string>? layerNames = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(stream);
        FiniteParameters.RequireForSave(network);
        DenseLayerLayout layout = DenseLayerLayout.Of(network);
        List<Tensor> tensors = Tensors(layout, layerNames);
        string dtype = DType<T>();
        int size = Marshal.SizeOf<T>();

        var header = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(header))
        {
            json.WriteStartObject();
            json.WriteStartObject("__metadata__");
            json.WriteString("format", "pt");
            json.WriteEndObject();
            long begin = 0;
            foreach (Tensor tensor in tensors)
            {
                long end = begin + ((long)tensor.Length * size);
                json.WriteStartObject(tensor.Name);
                json.WriteString("dtype", dtype);
                json.WriteStartArray("shape");
                foreach (int dimension in tensor.Shape)
                {
                    json.WriteNumberValue(dimension);
                }

                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(begin);
                json.WriteNumberValue(end);
                json.WriteEndArray();
                json.WriteEndObject();
                begin = end;
            }

            json.WriteEndObject();
        }

        // The header is padded with spaces to a multiple of 8 bytes, as the reference writer does, so the data that
        // follows is aligned for any dtype.
        int padding = (8 - (header.WrittenCount % 8)) % 8;
        Span<byte> length = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)(header.WrittenCount + padding));
        stream.Write(length);
        stream.Write(header.WrittenSpan);
        for (int i = 0; i < padding; i++)
        {
            stream.WriteByte((byte)' ');
        }

        ReadOnlySpan<T> parameters = network.Parameters;
        foreach (Tensor tensor in tensors)
        {
            ReadOnlySpan<byte> bytes = MemoryMarshal.AsBytes(parameters.Slice(tensor.Offset, tensor.Length));
            if (BitConverter.IsLittleEndian)
            {
                stream.Write(bytes);
            }
            else
            {
                byte[] swapped = bytes.ToArray();
                ByteOrder.ReverseEachValue(swapped, size);
                stream.Write(swapped);
            }
        }
    }

    /// <summary>
    /// Saves the network's weights to the safetensors file at <paramref name="path"/>, atomically: readers see the old
    /// file or the new one, never a part of either.
    /// </summary>
    /// <param name="network">The network to save.</param>
    /// <param name="path">The file to create or replace. Its directory must exist.</param>
    /// <param name="layerNames">The name of each layer (see the remarks of <see cref="SafeTensors"/>); null for <c>nn.Sequential</c>'s.</param>
    /// <exception cref="ArgumentNullException"><paramref name="network"/> or <paramref name="path"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty, or as for the <see cref="Stream"/> overload.</exception>
    /// <exception cref="IOException">The file could not be written or replaced.</exception>
    public static void Save<T>(INetwork<T> network, string path, IReadOnlyList<string>? layerNames = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentException.ThrowIfNullOrEmpty(path);
        FiniteParameters.RequireForSave(network);
        Tensors(DenseLayerLayout.Of(network), layerNames); // the argument errors before any file is touched
        AtomicFile.Write(path, file => Save(network, file, layerNames));
    }

    /// <summary>
    /// Reads a safetensors file from <paramref name="stream"/>, from its current position to the end of its last
    /// tensor, and sets the network's parameters to the tensors it holds. Everything is checked first; if anything is
    /// wrong, the network is left unchanged.
    /// </summary>
    /// <param name="network">The network to load into.</param>
    /// <param name="stream">A readable stream; it is not closed.</param>
    /// <param name="layerNames">The name of each layer (see the remarks of <see cref="SafeTensors"/>); null for <c>nn.Sequential</c>'s.</param>
    /// <exception cref="ArgumentNullException"><paramref name="network"/> or <paramref name="stream"/> is null.</exception>
    /// <exception cref="ArgumentException">As for <see cref="Save{T}(INetwork{T}, Stream, IReadOnlyList{string}?)"/>.</exception>
    /// <exception cref="ModelFormatException">The data is not a safetensors file, is truncated or corrupted, or its tensors do not fit the network (a name, dtype or shape). <see cref="ModelFormatException.Error"/> says which.</exception>
    public static void Load<T>(INetwork<T> network, Stream stream, IReadOnlyList<string>? layerNames = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(stream);
        T[] parameters = Read(network, stream, layerNames, "The safetensors data", fileLength: null);
        parameters.CopyTo(network.Parameters);
    }

    /// <summary>
    /// Reads the safetensors file at <paramref name="path"/> and sets the network's parameters to the tensors it holds.
    /// Everything is checked first; if anything is wrong, the network is left unchanged.
    /// </summary>
    /// <param name="network">The network to load into.</param>
    /// <param name="path">The safetensors file.</param>
    /// <param name="layerNames">The name of each layer (see the remarks of <see cref="SafeTensors"/>); null for <c>nn.Sequential</c>'s.</param>
    /// <exception cref="ArgumentNullException"><paramref name="network"/> or <paramref name="path"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty, or as for the <see cref="Stream"/> overload.</exception>
    /// <exception cref="FileNotFoundException">There is no such file.</exception>
    /// <exception cref="ModelFormatException">As for the <see cref="Stream"/> overload, or bytes follow the last tensor.</exception>
    public static void Load<T>(INetwork<T> network, string path, IReadOnlyList<string>? layerNames = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentException.ThrowIfNullOrEmpty(path);
        T[] parameters;
        using (var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16, FileOptions.SequentialScan))
        {
            parameters = Read(network, file, layerNames, $"The safetensors file '{path}'", file.Length);
        }

        parameters.CopyTo(network.Parameters);
    }

    /// <summary>One tensor the network has: its name, shape, and where its values lie in the parameters.</summary>
    private readonly record struct Tensor(string Name, int[] Shape, int Offset, int Length);

    private static List<Tensor> Tensors(DenseLayerLayout layout, IReadOnlyList<string>? layerNames)
    {
        int layers = layout.Layers.Count;
        if (layerNames is not null)
        {
            if (layerNames.Count != layers)
            {
                throw new ArgumentException(
                    $"{layerNames.Count} layer name(s) were given for a network of {layers} layer(s) ({layout.Architecture}).", nameof(layerNames));
            }

            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (string name in layerNames)
            {
                if (string.IsNullOrEmpty(name) || !seen.Add(name))
                {
                    throw new ArgumentException(
                        $"Layer names must be non-empty and distinct; '{name}' is {(string.IsNullOrEmpty(name) ? "empty" : "repeated")}.", nameof(layerNames));
                }
            }
        }

        var tensors = new List<Tensor>(2 * layers);
        for (int k = 0; k < layers; k++)
        {
            DenseLayerLayout.Layer layer = layout.Layers[k];
            string prefix = layerNames?[k] ?? (2 * k).ToString(CultureInfo.InvariantCulture);
            tensors.Add(new Tensor(prefix + ".weight", [layer.Outputs, layer.Inputs], layer.WeightOffset, layer.Outputs * layer.Inputs));
            tensors.Add(new Tensor(prefix + ".bias", [layer.Outputs], layer.BiasOffset, layer.Outputs));
        }

        return tensors;
    }

    private static T[] Read<T>(INetwork<T> network, Stream stream, IReadOnlyList<string>? layerNames, string subject, long? fileLength)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        DenseLayerLayout layout = DenseLayerLayout.Of(network);
        List<Tensor> tensors = Tensors(layout, layerNames);
        try
        {
            return Read(network, stream, layout, tensors, subject, fileLength);
        }
        catch (InvalidModelException exception)
        {
            throw ModelFormat.From(exception);
        }
    }

    /// <summary>
    /// Reads the file piece by piece through the shared <see cref="SafeTensorsFile"/> checks: the header, then every
    /// tensor against the network, then the byte ranges, then the data.
    /// </summary>
    private static T[] Read<T>(INetwork<T> network, Stream stream, DenseLayerLayout layout, List<Tensor> tensors, string subject, long? fileLength)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Span<byte> lengthBytes = stackalloc byte[SafeTensorsFile.PrefixLength];
        int read = stream.ReadAtLeast(lengthBytes, lengthBytes.Length, throwOnEndOfStream: false);
        long available = fileLength is long total ? total - SafeTensorsFile.PrefixLength : long.MaxValue;
        long headerLength = SafeTensorsFile.HeaderLength(lengthBytes.Slice(0, read), subject, available);
        byte[] headerBytes = ReadExactly(stream, headerLength, subject, "the header");
        var entries = new Dictionary<string, SafeTensorsEntry>(StringComparer.Ordinal);
        foreach (SafeTensorsEntry entry in SafeTensorsFile.ParseHeader(headerBytes, subject))
        {
            entries.Add(entry.Name, entry);
        }

        // Every tensor the network has, in the dtype and shape it needs; none the network has no place for.
        string dtype = DType<T>();
        int size = Marshal.SizeOf<T>();
        foreach (Tensor tensor in tensors)
        {
            if (!entries.TryGetValue(tensor.Name, out SafeTensorsEntry? entry))
            {
                throw new ModelFormatException(
                    ModelFormatError.ArchitectureMismatch,
                    $"{subject} has no tensor '{tensor.Name}', which the network ({layout.Architecture}) needs; it holds {Names(entries.Keys)}.");
            }

            if (entry.DType != dtype)
            {
                throw new ModelFormatException(
                    ModelFormatError.PrecisionMismatch,
                    $"{subject} holds '{tensor.Name}' as {entry.DType}; this network reads {dtype} ({(size == 4 ? "float" : "double")}).");
            }

            if (!Same(entry.Shape, tensor.Shape))
            {
                throw new ModelFormatException(
                    ModelFormatError.ArchitectureMismatch,
                    $"{subject} holds '{tensor.Name}' with shape {entry.DescribeShape()}; the network ({layout.Architecture}) needs {Shape(tensor.Shape)}.");
            }
        }

        if (entries.Count > tensors.Count)
        {
            var expected = new HashSet<string>(StringComparer.Ordinal);
            foreach (Tensor tensor in tensors)
            {
                expected.Add(tensor.Name);
            }

            foreach (string name in entries.Keys)
            {
                if (!expected.Contains(name))
                {
                    throw new ModelFormatException(
                        ModelFormatError.ArchitectureMismatch,
                        $"{subject} holds a tensor '{name}' that the network ({layout.Architecture}) has no place for.");
                }
            }
        }

        // The byte ranges: each as long as its tensor, together covering the data exactly, with no gap or overlap.
        long dataLength = SafeTensorsFile.DataLength(entries.Values, subject);
        if (fileLength is long length)
        {
            SafeTensorsFile.CheckDataBytes(length - SafeTensorsFile.PrefixLength - headerLength, dataLength, subject);
        }

        byte[] data = ReadExactly(stream, dataLength, subject, "the tensors");
        if (!BitConverter.IsLittleEndian)
        {
            ByteOrder.ReverseEachValue(data, size);
        }

        var parameters = new T[network.ParameterCount];
        foreach (Tensor tensor in tensors)
        {
            SafeTensorsEntry entry = entries[tensor.Name];
            Span<T> values = parameters.AsSpan(tensor.Offset, tensor.Length);
            MemoryMarshal.Cast<byte, T>(data.AsSpan((int)entry.Begin, (int)(entry.End - entry.Begin))).CopyTo(values);
            for (int i = 0; i < values.Length; i++)
            {
                if (!T.IsFinite(values[i]))
                {
                    string place = tensor.Shape.Length == 2 ? $"[{i / tensor.Shape[1]}, {i % tensor.Shape[1]}]" : $"[{i}]";
                    throw new ModelFormatException(
                        ModelFormatError.Corrupted,
                        $"{subject} holds {values[i].ToString(null, CultureInfo.InvariantCulture)} in '{tensor.Name}'{place}. A model with a value that is not a finite number computes nothing useful; it comes from a diverged training run or a damaged file.");
                }
            }
        }

        return parameters;
    }

    /// <summary>Reads <paramref name="count"/> bytes, allocating only as they arrive, so an absurd length costs no memory.</summary>
    private static byte[] ReadExactly(Stream stream, long count, string subject, string what)
    {
        const int Chunk = 1 << 20;
        if (count <= Chunk)
        {
            byte[] small = new byte[count];
            int got = stream.ReadAtLeast(small, small.Length, throwOnEndOfStream: false);
            return got == small.Length ? small : throw TruncatedIn(subject, what, count, got);
        }

        using var collected = new MemoryStream();
        byte[] buffer = new byte[Chunk];
        long remaining = count;
        while (remaining > 0)
        {
            int got = stream.Read(buffer, 0, (int)Math.Min(Chunk, remaining));
            if (got == 0)
            {
                throw TruncatedIn(subject, what, count, count - remaining);
            }

            collected.Write(buffer, 0, got);
            remaining -= got;
        }

        return collected.ToArray();
    }

    private static ModelFormatException TruncatedIn(string subject, string what, long expected, long got)
        => new(
            ModelFormatError.Truncated,
            $"{subject} is truncated: {what} should be {expected.ToString(CultureInfo.InvariantCulture)} bytes, and only {got.ToString(CultureInfo.InvariantCulture)} follow. It may be an incomplete copy or download.");

    private static string DType<T>()
        => typeof(T) == typeof(float) ? "F32"
            : typeof(T) == typeof(double) ? "F64"
            : throw new NotSupportedException($"safetensors files hold float or double networks, not {typeof(T).Name}.");

    private static bool Same(long[] shape, int[] expected)
    {
        if (shape.Length != expected.Length)
        {
            return false;
        }

        for (int i = 0; i < shape.Length; i++)
        {
            if (shape[i] != expected[i])
            {
                return false;
            }
        }

        return true;
    }

    private static string Shape(int[] shape) => "[" + string.Join(", ", shape) + "]";

    private static string Names(IEnumerable<string> names)
    {
        var list = new List<string>(names);
        return list.Count == 0 ? "no tensor" : "'" + string.Join("', '", list) + "'";
    }
}
