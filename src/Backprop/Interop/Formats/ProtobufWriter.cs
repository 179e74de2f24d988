using System;
using System.Buffers.Binary;
using System.IO;
using System.Text;

namespace Backprop.Interop.Formats;

/// <summary>
/// Writes the protocol-buffer wire format field by field: varints, strings, packed bytes and nested messages (each
/// written whole, then copied behind its length). Enough for the ONNX model <c>Onnx.Save</c> writes.
/// </summary>
internal sealed class ProtobufWriter
{
    private readonly MemoryStream _bytes = new();

    public void WriteVarint(int field, long value)
    {
        WriteKey(field, WireType.Varint);
        WriteRawVarint(unchecked((ulong)value));
    }

    public void WriteString(int field, string value) => WriteBytes(field, Encoding.UTF8.GetBytes(value));

    public void WriteBytes(int field, ReadOnlySpan<byte> value)
    {
        WriteKey(field, WireType.LengthDelimited);
        WriteRawVarint((ulong)value.Length);
        _bytes.Write(value);
    }

    public void WriteSingle(int field, float value)
    {
        WriteKey(field, WireType.Fixed32);
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteSingleLittleEndian(bytes, value);
        _bytes.Write(bytes);
    }

    /// <summary>A nested message: <paramref name="write"/> writes its fields.</summary>
    public void WriteMessage(int field, Action<ProtobufWriter> write)
    {
        var nested = new ProtobufWriter();
        write(nested);
        WriteBytes(field, nested.WrittenSpan);
    }

    public ReadOnlySpan<byte> WrittenSpan => _bytes.GetBuffer().AsSpan(0, (int)_bytes.Length);

    private void WriteKey(int field, WireType type) => WriteRawVarint(((ulong)field << 3) | (ulong)type);

    private void WriteRawVarint(ulong value)
    {
        while (value >= 0x80)
        {
            _bytes.WriteByte((byte)(value | 0x80));
            value >>= 7;
        }

        _bytes.WriteByte((byte)value);
    }
}
