using System;
using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using Backprop.Interop.Formats;
using Backprop.Serialization;

namespace Backprop.Generator.Weights;

/// <summary>
/// Reads a whole model file of <c>NetworkSerializer</c> (docs/model-format.md) from memory, with the checks its
/// <c>Load</c> makes, in its order: the magic, the version, the header's values, the length, the CRC-32, and bytes after
/// the checksum. The precision and the architecture text are compared by the caller, as the runtime does last.
/// </summary>
/// <remarks>
/// The runtime's reader stays its own: it reads a stream piece by piece, stops right after the checksum (so models can
/// follow each other in one stream) and never allocates what a damaged header claims, which a reader of bytes in memory
/// cannot be without changing it. The tests prove this one reads what <c>NetworkSerializer.Save</c> writes.
/// </remarks>
internal sealed class BackpropModelFile
{
    /// <summary>The newest format version this reader knows, NetworkSerializer.FormatVersion; it reads version 1 too.</summary>
    public const int FormatVersion = 2;

    private const int MaxArchitectureBytes = 1 << 20;
    private const int MaxMetadataBytes = 1 << 24;
    private const int HeaderSize = 20;
    private const int ChecksumSize = 4;

    private static readonly byte[] Magic = [0x89, (byte)'B', (byte)'P', (byte)'N', 0x0D, 0x0A, 0x1A, 0x0A];

    private BackpropModelFile(bool isDouble, string architecture, double[] parameters)
    {
        IsDouble = isDouble;
        Architecture = architecture;
        Parameters = parameters;
    }

    /// <summary>Precision.Double (true) or Precision.Single.</summary>
    public bool IsDouble { get; }

    /// <summary>The Architecture text of the network that was saved.</summary>
    public string Architecture { get; }

    /// <summary>The parameters, each converted to double (exact for float).</summary>
    public double[] Parameters { get; }

    /// <exception cref="InvalidModelException">The bytes are not a model file, or a damaged one.</exception>
    public static BackpropModelFile Read(ReadOnlySpan<byte> bytes, string subject)
    {
        int magicRead = Math.Min(bytes.Length, Magic.Length);
        if (!bytes.Slice(0, magicRead).SequenceEqual(Magic.AsSpan(0, magicRead)))
        {
            throw new InvalidModelException(
                ModelProblem.NotAModel,
                $"{subject} is not a Backprop model file: it does not start with the magic bytes 89 42 50 4E 0D 0A 1A 0A (\\x89BPN\\r\\n\\x1A\\n) but with {Hex(bytes.Slice(0, magicRead))}.");
        }

        if (magicRead < Magic.Length)
        {
            throw Truncated(subject, magicRead == 0 ? "it is empty" : $"it ends after {magicRead} of the 8 magic bytes");
        }

        Need(bytes, 10, subject, "in the format version");
        int version = BinaryPrimitives.ReadUInt16LittleEndian(bytes.Slice(8));
        if (version is not (1 or FormatVersion))
        {
            throw new InvalidModelException(
                ModelProblem.Unsupported,
                $"{subject} is in model format version {version}, but this library reads versions 1 and {FormatVersion}{(version > FormatVersion ? " (the file was written by a newer Backprop.Generator)" : "")}.");
        }

        Need(bytes, HeaderSize, subject, "in the header");
        byte precisionCode = bytes[10];
        int architectureLength = BinaryPrimitives.ReadInt32LittleEndian(bytes.Slice(12));
        int parameterCount = BinaryPrimitives.ReadInt32LittleEndian(bytes.Slice(16));
        if (precisionCode > 1 || architectureLength is < 0 or > MaxArchitectureBytes || parameterCount < 0)
        {
            throw new InvalidModelException(
                ModelProblem.Corrupted,
                $"{subject} is corrupted: its header declares precision code {precisionCode}, {architectureLength} bytes of architecture and {parameterCount} parameters, which no writer produces.");
        }

        bool isDouble = precisionCode == 1;
        int elementSize = isDouble ? 8 : 4;
        long architectureEnd = HeaderSize + (long)architectureLength;
        Need(bytes, architectureEnd, subject, "in the architecture text");

        // Version 2 puts key/value metadata after the architecture text: a 4-byte length, then that many bytes, which
        // the checksum covers and compiled-in weights do not need.
        long parametersStart = architectureEnd;
        if (version == FormatVersion)
        {
            Need(bytes, architectureEnd + 4, subject, "in the metadata length");
            int metadataLength = BinaryPrimitives.ReadInt32LittleEndian(bytes.Slice((int)architectureEnd));
            if (metadataLength is < 4 or > MaxMetadataBytes)
            {
                throw new InvalidModelException(
                    ModelProblem.Corrupted,
                    $"{subject} is corrupted: it declares {metadataLength} bytes of metadata, where a writer writes 4 to {MaxMetadataBytes}.");
            }

            parametersStart = architectureEnd + 4 + metadataLength;
            Need(bytes, parametersStart, subject, "in the metadata");
        }

        long parametersEnd = parametersStart + ((long)parameterCount * elementSize);
        Need(bytes, parametersEnd, subject, "in the parameters");
        Need(bytes, parametersEnd + ChecksumSize, subject, "in the checksum");

        var crc = new Crc32();
        crc.Append(bytes.Slice(0, (int)parametersEnd));
        uint checksum = BinaryPrimitives.ReadUInt32LittleEndian(bytes.Slice((int)parametersEnd));
        if (checksum != crc.Value)
        {
            throw new InvalidModelException(
                ModelProblem.Corrupted,
                $"{subject} is corrupted: its CRC-32 checksum is 0x{checksum:X8}, but its contents hash to 0x{crc.Value:X8}.");
        }

        long extra = bytes.Length - (parametersEnd + ChecksumSize);
        if (extra > 0)
        {
            throw new InvalidModelException(
                ModelProblem.Corrupted,
                $"{subject} is corrupted: {extra.ToString(CultureInfo.InvariantCulture)} unexpected byte(s) follow the checksum that ends the model.");
        }

        string architecture;
        try
        {
            architecture = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true)
                .GetString(bytes.Slice(HeaderSize, architectureLength).ToArray());
        }
        catch (DecoderFallbackException)
        {
            throw new InvalidModelException(ModelProblem.Corrupted, $"{subject} is corrupted: its architecture text is not valid UTF-8.");
        }

        ReadOnlySpan<byte> payload = bytes.Slice((int)parametersStart, parameterCount * elementSize);
        var parameters = new double[parameterCount];
        for (int i = 0; i < parameters.Length; i++)
        {
            parameters[i] = isDouble ? LittleEndian.ReadDouble(payload.Slice(8 * i)) : LittleEndian.ReadSingle(payload.Slice(4 * i));
        }

        return new BackpropModelFile(isDouble, architecture, parameters);
    }

    private static void Need(ReadOnlySpan<byte> bytes, long length, string subject, string where)
    {
        if (bytes.Length < length)
        {
            throw Truncated(subject, $"it ends {where}, {(length - bytes.Length).ToString(CultureInfo.InvariantCulture)} byte(s) short");
        }
    }

    private static InvalidModelException Truncated(string subject, string detail)
        => new(ModelProblem.Truncated, $"{subject} is truncated: {detail}. It may be an incomplete copy or download.");

    private static string Hex(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty)
        {
            return "nothing (it is empty)";
        }

        var text = new StringBuilder(bytes.Length * 2);
        foreach (byte b in bytes)
        {
            text.Append(b.ToString("X2", CultureInfo.InvariantCulture));
        }

        return text.ToString();
    }
}
