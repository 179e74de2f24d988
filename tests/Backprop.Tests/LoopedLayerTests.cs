using Backprop.Tests.Networks;
using Backprop.Tests.Registry;

namespace Backprop.Tests;

/// <summary>
/// The planner loops a layer once unrolling it would push TrainStep past the JIT's budget. These tests
/// read each generated file's header to prove which layers of which networks are looped, so the other
/// tests demonstrably run the looped code paths as well as the unrolled ones.
/// </summary>
public class LoopedLayerTests
{
    /// <summary>The networks declared to be looped, and which of their layers loop (1 = first dense layer).</summary>
    private static readonly Dictionary<Type, int[]> ExpectedLoopedLayers = new()
    {
        [typeof(LoopedCrossEntropy48To24To4)] = [1],
        [typeof(LoopedCrossEntropy48To24To4Float)] = [1],
        [typeof(LoopedCrossEntropy784To128To10)] = [1, 2],
        [typeof(LoopedCrossEntropy784To128To10Float)] = [1, 2],
        [typeof(LoopedBinaryCrossEntropy300To64To12)] = [1, 2],
        [typeof(LoopedSoftmaxMse300To64To12)] = [1, 2],
        [typeof(LoopedTanhHalfSse300To64To12)] = [1, 2],
        [typeof(MixedUnrolledAndLooped4To6To8To200To3)] = [3, 4],
        [typeof(LoopedRentedScratch8To1100To2)] = [1, 2],
    };

    [Theory]
    [MemberData(nameof(NetworkRegistry.AllNames), MemberType = typeof(NetworkRegistry))]
    public void The_generated_header_states_the_expected_emission_of_every_layer(string name)
    {
        NetworkCase network = NetworkRegistry.Get(name);
        int[] expectedLooped = ExpectedLoopedLayers.GetValueOrDefault(network.Type, []);

        IReadOnlyList<GeneratedLayerRow> rows = GeneratedFileHeader.ReadLayers(network.Type);

        Assert.Equal(network.Architecture.Layers.Count, rows.Count);
        Assert.Equal(expectedLooped, rows.Where(r => r.IsLooped).Select(r => r.Number));
        Assert.All(rows.Where(r => !r.IsLooped), r => Assert.StartsWith("unrolled", r.EmittedAs));
    }

    /// <summary>The header's parameter table is the documented layout the reference implementation reads.</summary>
    [Theory]
    [MemberData(nameof(NetworkRegistry.AllNames), MemberType = typeof(NetworkRegistry))]
    public void The_generated_header_states_the_documented_layout(string name)
    {
        NetworkCase network = NetworkRegistry.Get(name);

        IReadOnlyList<GeneratedLayerRow> rows = GeneratedFileHeader.ReadLayers(network.Type);

        Assert.Equal(
            network.Architecture.Layouts.Select(l => (l.Number, l.Size, l.Activation.ToString(), l.WeightOffset, l.WeightCount, l.BiasOffset, l.Size)),
            rows.Select(r => (r.Number, r.Size, r.Activation, r.WeightOffset, r.WeightCount, r.BiasOffset, r.BiasCount)));
    }

    [Fact]
    public void Every_network_expected_to_loop_is_registered()
    {
        Assert.All(ExpectedLoopedLayers.Keys, type => Assert.Contains(NetworkRegistry.AllNetworks, c => c.Type == type));
    }
}
