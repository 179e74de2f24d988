using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;

namespace Backprop.Serialization;

/// <summary>
/// The key/value metadata a version-2 model file carries after the architecture text (feature scaling, class labels,
/// anything a program needs beside the weights): a 4-byte little-endian length, then that many bytes holding the entry
/// count and, per entry in ordinal key order, the key's and the value's UTF-8 bytes, each after its 4-byte length.
/// </summary>
internal static class ModelMetadata
{
    /// <summary>The largest metadata block a file may declare: 16 MB, a guard against damaged lengths.</summary>
    public const int MaxBytes = 1 << 24;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The block for <paramref name="metadata"/>, its length prefix included.</summary>
    /// <exception cref="ArgumentException">A key is empty, or a key or value is null, or the whole is larger than <see cref="MaxBytes"/>.</exception>
    public static byte[] Encode(IReadOnlyDictionary<string, string> metadata)
    {
        var keys = new List<string>(metadata.Keys);
        keys.Sort(StringComparer.Ordinal);
        using var block = new MemoryStream();
        WriteLength(block, 0); // the block's length, set below
        WriteLength(block, keys.Count);
        foreach (string key in keys)
        {
            string? value = metadata[key];
            if (string.IsNullOrEmpty(key) || value is null)
            {
                throw new ArgumentException("Metadata keys must be non-empty and values non-null.", nameof(metadata));
            }

            foreach (string text in new[] { key, value })
            {
                byte[] bytes = Encoding.UTF8.GetBytes(text);
                WriteLength(block, bytes.Length);
                block.Write(bytes);
            }
        }

        if (block.Length - 4 > MaxBytes)
        {
            throw new ArgumentException($"The metadata take {block.Length - 4} bytes; a model file holds at most {MaxBytes}.", nameof(metadata));
        }

        byte[] result = block.ToArray();
        BinaryPrimitives.WriteInt32LittleEndian(result, result.Length - 4);
        return result;
    }

    /// <summary>The entries of a block's body (the bytes after its length prefix), every length checked against what remains.</summary>
    /// <exception cref="ModelFormatException">The body is not a well-formed metadata block.</exception>
    public static IReadOnlyDictionary<string, string> Decode(byte[] body, string subject)
    {
        int count = body.Length >= 4 ? BinaryPrimitives.ReadInt32LittleEndian(body) : -1;
        if (count < 0 || count > body.Length / 8)
        {
            throw Corrupted(subject, $"its metadata declare {count.ToString(CultureInfo.InvariantCulture)} entries in {body.Length.ToString(CultureInfo.InvariantCulture)} bytes");
        }

        int position = 4;
        var entries = new SortedDictionary<string, string>(StringComparer.Ordinal);
        for (int i = 0; i < count; i++)
        {
            string key = ReadText(body, ref position, subject, "a key");
            string value = ReadText(body, ref position, subject, $"the value of '{key}'");
            if (key.Length == 0 || !entries.TryAdd(key, value))
            {
                throw Corrupted(subject, key.Length == 0 ? "its metadata hold an empty key" : $"its metadata hold the key '{key}' twice");
            }
        }

        if (position != body.Length)
        {
            throw Corrupted(subject, $"{(body.Length - position).ToString(CultureInfo.InvariantCulture)} byte(s) follow the last metadata entry");
        }

        return entries;
    }

    private static void WriteLength(MemoryStream block, int value)
    {
        Span<byte> number = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(number, value);
        block.Write(number);
    }

    /// <summary>A length-prefixed UTF-8 text at <paramref name="position"/>, which it moves past.</summary>
    private static string ReadText(byte[] body, ref int position, string subject, string what)
    {
        if (body.Length - position < 4)
        {
            throw Corrupted(subject, $"its metadata end inside {what}");
        }

        int length = BinaryPrimitives.ReadInt32LittleEndian(body.AsSpan(position));
        position += 4;
        if (length < 0 || length > body.Length - position)
        {
            throw Corrupted(subject, $"its metadata declare {length.ToString(CultureInfo.InvariantCulture)} bytes for {what}, and {(body.Length - position).ToString(CultureInfo.InvariantCulture)} remain");
        }

        try
        {
            return StrictUtf8.GetString(body, position, length);
        }
        catch (DecoderFallbackException)
        {
            throw Corrupted(subject, $"{what} in its metadata is not valid UTF-8");
        }
        finally
        {
            position += length;
        }
    }

    private static ModelFormatException Corrupted(string subject, string problem)
        => new(ModelFormatError.Corrupted, $"{subject} is corrupted: {problem}.");
}
