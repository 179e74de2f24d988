using System;

namespace Backprop.Internal;

/// <summary>
/// SplitMix64 (Steele, Lea and Flood, 2014): a tiny generator whose sequence is defined by this code alone,
/// so a seed shuffles rows the same way on every platform and .NET version (unlike <see cref="Random"/>,
/// whose algorithm is an implementation detail).
/// </summary>
internal struct SplitMix64
{
    private ulong _state;

    public SplitMix64(int seed) => _state = unchecked((ulong)(uint)seed * 0xD1342543DE82EF95UL + 0x2545F4914F6CDD1DUL);

    public ulong Next()
    {
        ulong z = unchecked(_state += 0x9E3779B97F4A7C15UL);
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in [0, <paramref name="bound"/>) without modulo bias (Lemire, 2019).</summary>
    public int NextInt(int bound)
    {
        ulong range = (ulong)bound;
        ulong product = (Next() >> 32) * range;
        if ((uint)product < range)
        {
            ulong threshold = (0x1_0000_0000UL - range) % range;
            while ((uint)product < threshold)
            {
                product = (Next() >> 32) * range;
            }
        }

        return (int)(product >> 32);
    }

    /// <summary>Fisher–Yates shuffle of <paramref name="values"/> in place.</summary>
    public void Shuffle(Span<int> values)
    {
        for (int i = values.Length - 1; i > 0; i--)
        {
            int j = NextInt(i + 1);
            (values[i], values[j]) = (values[j], values[i]);
        }
    }
}
