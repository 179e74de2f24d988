using Backprop.Tests.Networks;
using Backprop.Tests.Registry;

namespace Backprop.Tests;

/// <summary>
/// The planner vectorises a layer whose rows fill a SIMD vector (at least 4 inputs and 16 weights) and
/// unrolls the narrower ones (unless unrolling would push TrainStep past the JIT's budget, which no
/// registered network reaches). These tests read each generated file's header to prove which layers are
/// which, so the other tests demonstrably run the vectorised kernels, the unrolled code and the mix of both.
/// </summary>
public class LayerEmissionTests
{
    [Theory]
    [MemberData(nameof(NetworkRegistry.AllNames), MemberType = typeof(NetworkRegistry))]
    public void The_generated_header_states_the_expected_emission_of_every_layer(string name)
    {
        NetworkCase network = NetworkRegistry.Get(name);

        IReadOnlyList<GeneratedLayerRow> rows = GeneratedFileHeader.ReadLayers(network.Type);

        Assert.Equal(network.Architecture.Layers.Count, rows.Count);
        Assert.All(rows, row => Assert.StartsWith(
            IsWide(network, row.Number) ? "vectorised: SIMD kernels" : "unrolled (too narrow for SIMD)",
            row.EmittedAs));
    }

    [Fact]
    public void The_registry_runs_vectorised_unrolled_and_mixed_networks()
    {
        bool[][] wide = [.. NetworkRegistry.AllNetworks.Select(n => Enumerable.Range(1, n.Architecture.Layers.Count).Select(l => IsWide(n, l)).ToArray())];

        Assert.Contains(wide, layers => layers.All(w => w));
        Assert.Contains(wide, layers => layers.All(w => !w));
        Assert.Contains(wide, layers => layers.Distinct().Count() == 2);
    }

    private static bool IsWide(NetworkCase network, int layerNumber)
    {
        int inputs = layerNumber == 1 ? network.Architecture.InputSize : network.Architecture.Layers[layerNumber - 2].Size;
        return inputs >= 4 && inputs * network.Architecture.Layers[layerNumber - 1].Size >= 16;
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
}
