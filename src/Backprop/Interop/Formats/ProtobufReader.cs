using System;
using System.Buffers.Binary;

namespace Backprop.Interop.Formats;

/// <summary>
/// Reads the protocol-buffer wire format field by field over bytes in memory: enough of it for the ONNX messages this
/// library reads, with every length checked against what is left, so damaged bytes end in an
/// <see cref="InvalidModelException"/>, never in an out-of-range read or an allocation of the size they claim.
/// </summary>
/// <remarks>
/// Shared by the runtime and the generator (which compiles for .NET Standard 2.0), so it uses nothing newer than
/// <c>System.Memory</c>.
/// </remarks>
internal ref struct ProtobufReader
{
    private readonly ReadOnlySpan<byte> _bytes;
    private readonly string _subject;
    private int _position;

    /// <param name="bytes">One message's bytes.</param>
    /// <param name="subject">What the bytes are, for messages: "The ONNX file 'iris.onnx'".</param>
    public ProtobufReader(ReadOnlySpan<byte> bytes, string subject)
    {
        _bytes = bytes;
        _subject = subject;
        _position = 0;
    }

    /// <summary>Reads the next field's key; false at the end of the message.</summary>
    public bool TryReadField(out int number, out WireType type)
    {
        if (_position == _bytes.Length)
        {
            number = 0;
            type = default;
            return false;
        }

        ulong key = ReadVarint();
        number = (int)(key >> 3);
        type = (WireType)(key & 7);
        if (number < 1 || key >> 3 > int.MaxValue || type is not (WireType.Varint or WireType.Fixed64 or WireType.LengthDelimited or WireType.Fixed32))
        {
            throw Corrupted($"a field key ({key}) names no valid field and wire type");
        }

        return true;
    }

    /// <summary>A varint field's value.</summary>
    public ulong ReadVarint()
    {
        ulong value = 0;
        for (int shift = 0; shift < 64; shift += 7)
        {
            if (_position == _bytes.Length)
            {
                throw Truncated("a variable-length integer");
            }

            byte b = _bytes[_position++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return value;
            }
        }

        throw Corrupted("a variable-length integer runs past 10 bytes");
    }

    /// <summary>A varint field read as a signed 64-bit integer (protobuf's <c>int64</c>, two's complement).</summary>
    public long ReadInt64() => unchecked((long)ReadVarint());

    /// <summary>The next value of a packed run of varints; false at its end.</summary>
    public bool TryReadPacked(out long value)
    {
        if (_position == _bytes.Length)
        {
            value = 0;
            return false;
        }

        value = ReadInt64();
        return true;
    }

    /// <summary>A length-delimited field's bytes: a nested message, a string, or packed values.</summary>
    public ReadOnlySpan<byte> ReadBytes()
    {
        ulong length = ReadVarint();
        if (length > (ulong)(_bytes.Length - _position))
        {
            throw Truncated($"a field of {length} bytes (only {_bytes.Length - _position} remain)");
        }

        ReadOnlySpan<byte> bytes = _bytes.Slice(_position, (int)length);
        _position += (int)length;
        return bytes;
    }

    /// <summary>A length-delimited field as UTF-8 text.</summary>
    public string ReadString()
    {
        ReadOnlySpan<byte> bytes = ReadBytes();
        try
        {
            return Utf8.GetString(bytes.ToArray());
        }
        catch (ArgumentException)
        {
            throw Corrupted("a string is not valid UTF-8");
        }
    }

    /// <summary>A fixed 32-bit field (protobuf's <c>float</c>).</summary>
    public float ReadSingle()
    {
        ReadOnlySpan<byte> bytes = Fixed(4);
        return LittleEndian.ReadSingle(bytes);
    }

    /// <summary>A fixed 64-bit field (protobuf's <c>double</c>).</summary>
    public double ReadDouble() => LittleEndian.ReadDouble(Fixed(8));

    /// <summary>Skips a field of <paramref name="type"/> whose key has just been read.</summary>
    public void Skip(WireType type)
    {
        switch (type)
        {
            case WireType.Varint:
                ReadVarint();
                break;
            case WireType.Fixed64:
                Fixed(8);
                break;
            case WireType.LengthDelimited:
                ReadBytes();
                break;
            case WireType.Fixed32:
                Fixed(4);
                break;
            default:
                throw Corrupted($"wire type {(int)type} cannot be skipped");
        }
    }

    /// <summary>Checks that a field has the wire type its number calls for.</summary>
    public void Expect(WireType actual, WireType expected, string field)
    {
        if (actual != expected)
        {
            throw Corrupted($"{field} has wire type {(int)actual}, not {(int)expected}");
        }
    }

    private ReadOnlySpan<byte> Fixed(int size)
    {
        if (_bytes.Length - _position < size)
        {
            throw Truncated($"a {8 * size}-bit value");
        }

        ReadOnlySpan<byte> bytes = _bytes.Slice(_position, size);
        _position += size;
        return bytes;
    }

    private readonly InvalidModelException Truncated(string what)
        => new(ModelProblem.Truncated, $"{_subject} is truncated or corrupted: it ends inside {what}.");

    private readonly InvalidModelException Corrupted(string what)
        => new(ModelProblem.Corrupted, $"{_subject} is corrupted: {what}.");

    private static readonly System.Text.UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
}

/// <summary>The protocol-buffer wire types (groups, 3 and 4, are obsolete and refused).</summary>
internal enum WireType
{
    Varint = 0,
    Fixed64 = 1,
    LengthDelimited = 2,
    Fixed32 = 5,
}

/// <summary>Little-endian IEEE 754 values, on a host of either byte order, in .NET Standard 2.0 as in .NET 8.</summary>
internal static class LittleEndian
{
    public static float ReadSingle(ReadOnlySpan<byte> bytes)
    {
        int bits = BinaryPrimitives.ReadInt32LittleEndian(bytes);
        return System.Runtime.CompilerServices.Unsafe.As<int, float>(ref bits);
    }

    public static double ReadDouble(ReadOnlySpan<byte> bytes)
        => BitConverter.Int64BitsToDouble(BinaryPrimitives.ReadInt64LittleEndian(bytes));
}
