using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Text;
using Backprop.Internal;

namespace Backprop.Serialization;

/// <summary>
/// Saves a network's parameters to a small binary model file and loads them back, refusing a file made for
/// another architecture or precision, or a damaged one, with a <see cref="ModelFormatException"/> that says which.
/// </summary>
/// <remarks>
/// <para>
/// The format (documented byte by byte in <c>docs/model-format.md</c>) is: magic bytes, format version, precision,
/// the network's <see cref="INetwork{T}.Architecture"/> as its fingerprint, the parameter count, the parameters as
/// little-endian IEEE 754 values, and a CRC-32 of everything before it.
/// </para>
/// <para>
/// Loading checks the whole file before it writes a single parameter: whatever is wrong, the network is left as it was.
/// Saving to a path writes a temporary file beside it and renames it over the target, so a crash or a full disk never
/// leaves a half-written model under the target's name.
/// </para>
/// </remarks>
/// <example>
/// <code>
/// NetworkSerializer.Save(network, "digits.bpn");
/// var restored = new DigitsNet();
/// NetworkSerializer.Load(restored, "digits.bpn");
/// </code>
/// </example>
public static class NetworkSerializer
{
    /// <summary>
    /// The newest format version this library writes and reads: 2, which adds key/value metadata after the architecture
    /// text. A file without metadata is written as version 1, byte for byte what earlier versions wrote, so they still
    /// read it; this version reads both.
    /// </summary>
    public const int FormatVersion = 2;

    /// <summary>The version of files without metadata, the first.</summary>
    private const int PlainVersion = 1;

    /// <summary>The largest architecture text a file may declare, a guard against damaged headers.</summary>
    private const int MaxArchitectureBytes = 1 << 20;

    private const int HeaderSize = 20;
    private const int ChecksumSize = 4;

    /// <summary>The first 8 bytes of every model file: 0x89 "BPN" CR LF 0x1A LF, in the manner of PNG.</summary>
    private static ReadOnlySpan<byte> Magic => [0x89, (byte)'B', (byte)'P', (byte)'N', 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>Writes the network's parameters to <paramref name="stream"/> as a model file, starting at its current position.</summary>
    /// <param name="network">The network to save.</param>
    /// <param name="stream">A writable stream. It is not closed.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is neither float nor double.</exception>
    /// <exception cref="ArgumentException">A parameter is NaN or infinite (named by its place; nothing is written).</exception>
    /// <param name="metadata">Key/value text to keep with the model (feature scaling, class labels), returned by <see cref="Load{T}(INetwork{T}, Stream)"/>; null or empty for none.</param>
    public static void Save<T>(INetwork<T> network, Stream stream, IReadOnlyDictionary<string, string>? metadata = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(stream);
        FiniteParameters.RequireForSave(network);
        Precision precision = NumericFormat.PrecisionOf<T>();
        byte[] architecture = Encoding.UTF8.GetBytes(network.Architecture);
        if (architecture.Length > MaxArchitectureBytes)
        {
            throw new NotSupportedException($"The network's Architecture text is {architecture.Length} bytes; a model file holds at most {MaxArchitectureBytes}.");
        }

        byte[]? metadataBlock = metadata is { Count: > 0 } ? ModelMetadata.Encode(metadata) : null;
        var crc = new Crc32();
        Span<byte> header = stackalloc byte[HeaderSize];
        Magic.CopyTo(header);
        BinaryPrimitives.WriteUInt16LittleEndian(header.Slice(8), (ushort)(metadataBlock is null ? PlainVersion : FormatVersion));
        header[10] = (byte)precision;
        header[11] = 0;
        BinaryPrimitives.WriteInt32LittleEndian(header.Slice(12), architecture.Length);
        BinaryPrimitives.WriteInt32LittleEndian(header.Slice(16), network.ParameterCount);
        Write(stream, header, ref crc);
        Write(stream, architecture, ref crc);
        if (metadataBlock is not null)
        {
            Write(stream, metadataBlock, ref crc);
        }

        ReadOnlySpan<T> parameters = network.Parameters;
        if (BitConverter.IsLittleEndian)
        {
            Write(stream, MemoryMarshal.AsBytes(parameters), ref crc);
        }
        else
        {
            Span<byte> chunk = stackalloc byte[4096];
            int size = NumericFormat.SizeOf(precision);
            int perChunk = chunk.Length / size;
            for (int start = 0; start < parameters.Length; start += perChunk)
            {
                ReadOnlySpan<T> part = parameters.Slice(start, Math.Min(perChunk, parameters.Length - start));
                MemoryMarshal.AsBytes(part).CopyTo(chunk);
                ByteOrder.ReverseEachValue(chunk.Slice(0, part.Length * size), size);
                Write(stream, chunk.Slice(0, part.Length * size), ref crc);
            }
        }

        Span<byte> checksum = stackalloc byte[ChecksumSize];
        BinaryPrimitives.WriteUInt32LittleEndian(checksum, crc.Value);
        stream.Write(checksum);
    }

    /// <summary>
    /// Saves the network's parameters to the file at <paramref name="path"/>, atomically: the model is written to a
    /// temporary file in the same directory, flushed to disk, then renamed over <paramref name="path"/>. Readers see
    /// the old file or the new one, never a part of either; if anything fails, the old file is left as it was.
    /// </summary>
    /// <param name="network">The network to save.</param>
    /// <param name="path">The file to create or replace. Its directory must exist.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty, or a parameter is NaN or infinite (named by its place; no file is touched).</exception>
    /// <exception cref="IOException">The file could not be written or replaced.</exception>
    /// <exception cref="UnauthorizedAccessException">The directory or the file is not writable.</exception>
    /// <param name="metadata">Key/value text to keep with the model, as for the <see cref="Stream"/> overload.</param>
    public static void Save<T>(INetwork<T> network, string path, IReadOnlyDictionary<string, string>? metadata = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        FiniteParameters.RequireForSave(network); // before any file is touched
        if (metadata is { Count: > 0 })
        {
            ModelMetadata.Encode(metadata); // its argument errors, too, before any file is touched
        }

        AtomicFile.Write(path, file => Save(network, file, metadata));
    }

    /// <summary>
    /// Reads a model file from <paramref name="stream"/>, from its current position to the end of the model, and sets
    /// the network's parameters to the ones it holds. Everything is checked first; if anything is wrong, the network is
    /// left unchanged.
    /// </summary>
    /// <param name="network">The network to load into; its architecture and precision must be the file's.</param>
    /// <param name="stream">A readable stream. It is not closed, and is left just after the model's checksum.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ModelFormatException">The data is not a model file, is of an unsupported version, truncated or corrupted, or was made for another architecture or precision. <see cref="ModelFormatException.Error"/> says which.</exception>
    /// <returns>The metadata the file was saved with; empty when it has none.</returns>
    public static IReadOnlyDictionary<string, string> Load<T>(INetwork<T> network, Stream stream)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(stream);
        (T[] parameters, IReadOnlyDictionary<string, string> metadata) = Read(network, stream, "The model data");
        parameters.CopyTo(network.Parameters);
        return metadata;
    }

    /// <summary>
    /// Reads the model file at <paramref name="path"/> and sets the network's parameters to the ones it holds.
    /// Everything is checked first; if anything is wrong, the network is left unchanged.
    /// </summary>
    /// <param name="network">The network to load into; its architecture and precision must be the file's.</param>
    /// <param name="path">The model file.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty.</exception>
    /// <exception cref="FileNotFoundException">There is no such file.</exception>
    /// <exception cref="ModelFormatException">The file is not a model file, is of an unsupported version, truncated or corrupted, has data after its end, or was made for another architecture or precision. <see cref="ModelFormatException.Error"/> says which.</exception>
    /// <returns>The metadata the file was saved with; empty when it has none.</returns>
    public static IReadOnlyDictionary<string, string> Load<T>(INetwork<T> network, string path)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentException.ThrowIfNullOrEmpty(path);
        T[] parameters;
        IReadOnlyDictionary<string, string> metadata;
        using (var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16, FileOptions.SequentialScan))
        {
            string subject = $"The model file '{path}'";
            (parameters, metadata) = Read(network, file, subject);
            long extra = file.Length - file.Position;
            if (extra > 0)
            {
                throw new ModelFormatException(
                    ModelFormatError.Corrupted,
                    $"{subject} is corrupted: {extra.ToString(CultureInfo.InvariantCulture)} unexpected byte(s) follow the checksum that ends the model.");
            }
        }

        parameters.CopyTo(network.Parameters);
        return metadata;
    }

    /// <summary>Reads and checks one model; returns its parameters without touching the network's.</summary>
    private static (T[] Parameters, IReadOnlyDictionary<string, string> Metadata) Read<T>(INetwork<T> network, Stream stream, string subject)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Precision expectedPrecision = NumericFormat.PrecisionOf<T>();
        var crc = new Crc32();

        Span<byte> header = stackalloc byte[HeaderSize];
        int magicRead = stream.ReadAtLeast(header.Slice(0, Magic.Length), Magic.Length, throwOnEndOfStream: false);
        if (!header.Slice(0, magicRead).SequenceEqual(Magic.Slice(0, magicRead)))
        {
            throw new ModelFormatException(
                ModelFormatError.NotAModelFile,
                $"{subject} is not a Backprop model file: it does not start with the magic bytes 89 42 50 4E 0D 0A 1A 0A (\\x89BPN\\r\\n\\x1A\\n) but with {Hex(header.Slice(0, Math.Min(magicRead, Magic.Length)))}.");
        }

        if (magicRead < Magic.Length)
        {
            throw Truncated(subject, magicRead == 0 ? "it is empty" : $"it ends after {magicRead} of the 8 magic bytes");
        }

        ReadPart(stream, header.Slice(8, 2), subject, "in the format version");
        int version = BinaryPrimitives.ReadUInt16LittleEndian(header.Slice(8));
        if (version is not (PlainVersion or FormatVersion))
        {
            throw new ModelFormatException(
                ModelFormatError.UnsupportedVersion,
                $"{subject} is in model format version {version}, but this library reads versions {PlainVersion} and {FormatVersion}{(version > FormatVersion ? " (the file was written by a newer Backprop.Generator)" : "")}.");
        }

        ReadPart(stream, header.Slice(10), subject, "in the header");
        crc.Append(header);
        byte precisionCode = header[10];
        int architectureLength = BinaryPrimitives.ReadInt32LittleEndian(header.Slice(12));
        int parameterCount = BinaryPrimitives.ReadInt32LittleEndian(header.Slice(16));
        if (precisionCode > (byte)Precision.Double || architectureLength is < 0 or > MaxArchitectureBytes || parameterCount < 0)
        {
            throw new ModelFormatException(
                ModelFormatError.Corrupted,
                $"{subject} is corrupted: its header declares precision code {precisionCode}, {architectureLength} bytes of architecture and {parameterCount} parameters, which no writer produces.");
        }

        var precision = (Precision)precisionCode;
        int elementSize = NumericFormat.SizeOf(precision);

        byte[] architectureBytes = new byte[architectureLength];
        ReadPart(stream, architectureBytes, subject, "in the architecture text");
        crc.Append(architectureBytes);

        byte[]? metadataBytes = null;
        if (version == FormatVersion)
        {
            Span<byte> lengthBytes = stackalloc byte[4];
            ReadPart(stream, lengthBytes, subject, "in the metadata length");
            crc.Append(lengthBytes);
            int metadataLength = BinaryPrimitives.ReadInt32LittleEndian(lengthBytes);
            if (metadataLength is < 4 or > ModelMetadata.MaxBytes)
            {
                throw new ModelFormatException(
                    ModelFormatError.Corrupted,
                    $"{subject} is corrupted: it declares {metadataLength} bytes of metadata, where a writer writes 4 to {ModelMetadata.MaxBytes}.");
            }

            metadataBytes = new byte[metadataLength];
            ReadPart(stream, metadataBytes, subject, "in the metadata");
            crc.Append(metadataBytes);
        }

        // Decode straight into the result when it can be used; otherwise only hash the bytes, so a file for another
        // architecture is still checked for damage before it is reported as such.
        bool usable = precision == expectedPrecision && parameterCount == network.ParameterCount;
        T[] parameters = usable ? new T[parameterCount] : [];
        long payloadLength = (long)parameterCount * elementSize;
        if (usable)
        {
            Span<byte> bytes = MemoryMarshal.AsBytes(parameters.AsSpan());
            ReadPart(stream, bytes, subject, "in the parameters");
            crc.Append(bytes);
            if (!BitConverter.IsLittleEndian)
            {
                ByteOrder.ReverseEachValue(bytes, elementSize);
            }
        }
        else
        {
            Span<byte> chunk = stackalloc byte[4096];
            for (long remaining = payloadLength; remaining > 0; remaining -= chunk.Length)
            {
                Span<byte> part = chunk.Slice(0, (int)Math.Min(remaining, chunk.Length));
                ReadPart(stream, part, subject, "in the parameters");
                crc.Append(part);
            }
        }

        Span<byte> checksumBytes = stackalloc byte[ChecksumSize];
        ReadPart(stream, checksumBytes, subject, "in the checksum");
        uint checksum = BinaryPrimitives.ReadUInt32LittleEndian(checksumBytes);
        if (checksum != crc.Value)
        {
            throw new ModelFormatException(
                ModelFormatError.Corrupted,
                $"{subject} is corrupted: its CRC-32 checksum is 0x{checksum:X8}, but its contents hash to 0x{crc.Value:X8}.");
        }

        // Decoded only once the checksum holds, so damage is reported as damage, not as whatever it broke.
        IReadOnlyDictionary<string, string> metadata = metadataBytes is null ? NoMetadata : ModelMetadata.Decode(metadataBytes, subject);
        string architecture = DecodeArchitecture(architectureBytes, subject);
        if (precision != expectedPrecision)
        {
            throw new ModelFormatException(
                ModelFormatError.PrecisionMismatch,
                $"{subject} holds {NumericFormat.Describe(precision)} parameters, but the network computes in {NumericFormat.Describe(expectedPrecision)}. File: {architecture}. Network: {network.Architecture}.");
        }

        if (!usable || !string.Equals(architecture, network.Architecture, StringComparison.Ordinal))
        {
            throw new ModelFormatException(
                ModelFormatError.ArchitectureMismatch,
                $"{subject} was saved from another architecture. File: {architecture}. Network: {network.Architecture}."
                + (parameterCount == network.ParameterCount ? "" : $" The file holds {parameterCount} parameters, the network has {network.ParameterCount}."));
        }

        if (FiniteParameters.FirstNonFinite<T>(parameters) is int bad)
        {
            throw new ModelFormatException(
                ModelFormatError.Corrupted,
                $"{subject} holds {parameters[bad].ToString(null, CultureInfo.InvariantCulture)} as {FiniteParameters.Describe(network.Architecture, bad)}. A model with a value that is not a finite number computes nothing useful; it was saved from a diverged training run by a version that allowed it, or damaged.");
        }

        return (parameters, metadata);
    }

    private static readonly IReadOnlyDictionary<string, string> NoMetadata = new Dictionary<string, string>();

    private static string DecodeArchitecture(byte[] bytes, string subject)
    {
        try
        {
            return new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (DecoderFallbackException e)
        {
            throw new ModelFormatException($"{subject} is corrupted: its architecture text is not valid UTF-8.", e);
        }
    }

    private static void ReadPart(Stream stream, Span<byte> buffer, string subject, string where)
    {
        int read = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        if (read < buffer.Length)
        {
            throw Truncated(subject, $"it ends {where}, {buffer.Length - read} byte(s) short");
        }
    }

    private static ModelFormatException Truncated(string subject, string detail)
        => new(ModelFormatError.Truncated, $"{subject} is truncated: {detail}. It may be an incomplete copy or download.");

    private static void Write(Stream stream, ReadOnlySpan<byte> bytes, ref Crc32 crc)
    {
        crc.Append(bytes);
        stream.Write(bytes);
    }

    private static string Hex(ReadOnlySpan<byte> bytes)
        => bytes.IsEmpty ? "nothing (it is empty)" : Convert.ToHexString(bytes);
}
