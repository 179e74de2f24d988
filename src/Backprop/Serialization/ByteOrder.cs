using System;

namespace Backprop.Serialization;

/// <summary>The model formats store little-endian values; on a big-endian host each value's bytes are reversed.</summary>
internal static class ByteOrder
{
    /// <summary>Reverses the bytes of each <paramref name="size"/>-byte value in <paramref name="bytes"/>.</summary>
    public static void ReverseEachValue(Span<byte> bytes, int size)
    {
        for (int i = 0; i < bytes.Length; i += size)
        {
            bytes.Slice(i, size).Reverse();
        }
    }
}
