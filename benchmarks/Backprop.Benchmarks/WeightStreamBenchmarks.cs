using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using BenchmarkDotNet.Attributes;

namespace Backprop.Benchmarks;

/// <summary>
/// The memory floor: how long it takes just to read a network's weights once (<c>Read</c>), and to read and
/// write them back once (<c>ReadWrite</c>), with 512-bit loads and nothing else, measured in the same run as
/// the networks. Small networks' weights live in L1 and this is tiny; 784-128-10's 400 KB do not fit L1, so
/// every pass over them is bounded by L2 bandwidth, whatever the arithmetic costs. The ratio step builds each
/// operation's floor from these two (Forward reads W once; TrainStep reads it for the forward pass and reads
/// and writes it for the update; a batch row reads it twice, forward and δ, and adds into the gradient).
/// </summary>
[MemoryDiagnoser]
public class WeightStreamBenchmarks
{
    private float[] _weights = [];

    [Params("2-3-1", "4-8-3", "16-16-16-4", "64-32-10", "784-128-10")]
    public string Network { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        // Rounded up to whole 64-byte vectors: the floor may only be lower than the real work, never higher.
        _weights = new float[(Shape.Get(Network).TotalWeights + 15) / 16 * 16];
        _weights.AsSpan().Fill(1e-3f);
    }

    [Benchmark]
    public float Stream_Read()
    {
        ref float start = ref MemoryMarshal.GetArrayDataReference(_weights);
        Vector512<float> sum0 = Vector512<float>.Zero, sum1 = sum0;
        nuint length = (nuint)_weights.Length;
        nuint i = 0;
        for (; i + 32 <= length; i += 32)
        {
            sum0 += Vector512.LoadUnsafe(ref start, i);
            sum1 += Vector512.LoadUnsafe(ref start, i + 16);
        }

        for (; i < length; i += 16)
        {
            sum0 += Vector512.LoadUnsafe(ref start, i);
        }

        return Vector512.Sum(sum0 + sum1);
    }

    [Benchmark]
    public void Stream_ReadWrite()
    {
        ref float start = ref MemoryMarshal.GetArrayDataReference(_weights);
        Vector512<float> nothing = Vector512<float>.Zero;
        for (nuint i = 0; i < (nuint)_weights.Length; i += 16)
        {
            (Vector512.LoadUnsafe(ref start, i) + nothing).StoreUnsafe(ref start, i);
        }
    }
}
