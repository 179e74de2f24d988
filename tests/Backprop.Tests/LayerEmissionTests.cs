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

    /// <summary>
    /// Forward and TrainStep have a form in registers exactly when every layer is vectorised, every layer's input
    /// fills one 128-, 256- or 512-bit vector and the output layer has at most 64 neurons; the header names the
    /// widest vector it needs.
    /// </summary>
    [Theory]
    [MemberData(nameof(NetworkRegistry.AllNames), MemberType = typeof(NetworkRegistry))]
    public void The_generated_header_states_whether_Forward_and_TrainStep_run_in_registers(string name)
    {
        NetworkCase network = NetworkRegistry.Get(name);

        Assert.Equal(RegisterWidthBits(network), GeneratedFileHeader.ReadRegisterWidthBits(network.Type));
    }

    [Fact]
    public void The_registry_runs_the_register_form_at_every_width_in_both_precisions()
    {
        NetworkCase[] inRegisters = [.. NetworkRegistry.AllNetworks.Where(n => RegisterWidthBits(n) != 0)];
        int[] inputBits = [.. inRegisters.SelectMany(n => Enumerable.Range(1, n.Architecture.Layers.Count).Select(l => InputBits(n, l))).Distinct()];

        Assert.Equal([128, 256, 512], inputBits.Order());
        Assert.Contains(inRegisters, n => n is DoubleNetworkCase);
        Assert.Contains(inRegisters, n => n is FloatNetworkCase);
        Assert.Contains(inRegisters, n => n.Architecture.Layers.Count == 1);
        Assert.Contains(inRegisters, n => n.Architecture.OutputSize % (n is DoubleNetworkCase ? 2 : 4) != 0);
        Assert.Equal(
            Enum.GetValues<Activation>().Where(a => a != Activation.Softmax),
            inRegisters.SelectMany(n => n.Architecture.Layers.SkipLast(1).Select(l => l.Activation)).Distinct().Order());
        Assert.Equal(
            Enum.GetValues<OutputKind>(),
            inRegisters.Select(n => KindOf(n)).Distinct().Order());
    }

    /// <summary>The output δ rules of the README's table, which the register form shares with the kernel form.</summary>
    private enum OutputKind
    {
        /// <summary>Softmax · cross-entropy, fused: δₖ = yₖ·Σⱼtⱼ − tₖ.</summary>
        SoftmaxCrossEntropy,

        /// <summary>Sigmoid · binary cross-entropy, fused: δₖ = yₖ − tₖ.</summary>
        SigmoidBinaryCrossEntropy,

        /// <summary>Softmax with any loss of the outputs (the squared errors, Huber's, the mean absolute error), through its full Jacobian.</summary>
        SoftmaxJacobian,

        /// <summary>An element-wise output activation with a loss of the outputs: δₖ = ∂L/∂yₖ · g′ₖ.</summary>
        ChainRule,
    }

    private static OutputKind KindOf(NetworkCase network) => (network.Architecture.Layers[^1].Activation, network.Architecture.Loss) switch
    {
        (Activation.Softmax, Loss.CrossEntropy) => OutputKind.SoftmaxCrossEntropy,
        (Activation.Sigmoid, Loss.BinaryCrossEntropy) => OutputKind.SigmoidBinaryCrossEntropy,
        (_, Loss.CrossEntropy or Loss.BinaryCrossEntropy) => throw new InvalidOperationException($"{network}: the generator rejects this pair."),
        (Activation.Softmax, _) => OutputKind.SoftmaxJacobian,
        _ => OutputKind.ChainRule,
    };

    /// <summary>How a layer is emitted: unrolled, vectorised in the kernel form, or vectorised in a network with the register form.</summary>
    private enum LayerForm
    {
        Unrolled,
        Kernel,
        Register,
    }

    private static LayerForm FormOf(NetworkCase network, int layerNumber)
        => !IsWide(network, layerNumber) ? LayerForm.Unrolled : RegisterWidthBits(network) != 0 ? LayerForm.Register : LayerForm.Kernel;

    /// <summary>
    /// Every activation is run in layers of every form, and every activation, every loss and every output δ rule
    /// in output layers of every form, so no emitted path of any of them goes unchecked by the registry-driven tests.
    /// </summary>
    [Fact]
    public void The_registry_runs_every_activation_loss_and_delta_rule_in_every_form()
    {
        (NetworkCase Network, int Layer, LayerForm Form)[] layers =
        [
            .. from network in NetworkRegistry.AllNetworks
               from number in Enumerable.Range(1, network.Architecture.Layers.Count)
               select (network, number, FormOf(network, number)),
        ];
        var missing = new List<string>();
        foreach (LayerForm form in Enum.GetValues<LayerForm>())
        {
            var inForm = layers.Where(l => l.Form == form).ToArray();
            var outputs = inForm.Where(l => l.Layer == l.Network.Architecture.Layers.Count).ToArray();
            missing.AddRange(Enum.GetValues<Activation>()
                .Where(a => !inForm.Any(l => l.Network.Architecture.Layers[l.Layer - 1].Activation == a))
                .Select(a => $"{a} in a layer of the {form} form"));
            missing.AddRange(Enum.GetValues<Activation>()
                .Where(a => !outputs.Any(l => l.Network.Architecture.OutputActivation == a))
                .Select(a => $"{a} on an output layer of the {form} form"));
            missing.AddRange(Enum.GetValues<Loss>()
                .Where(loss => !outputs.Any(l => l.Network.Architecture.Loss == loss))
                .Select(loss => $"{loss} on an output layer of the {form} form"));
            missing.AddRange(Enum.GetValues<OutputKind>()
                .Where(kind => !outputs.Any(l => KindOf(l.Network) == kind))
                .Select(kind => $"{kind} on an output layer of the {form} form"));
        }

        Assert.True(missing.Count == 0, "Not covered: " + string.Join("; ", missing));
    }

    private static int InputBits(NetworkCase network, int layerNumber)
    {
        int inputs = layerNumber == 1 ? network.Architecture.InputSize : network.Architecture.Layers[layerNumber - 2].Size;
        return inputs * (network is DoubleNetworkCase ? 64 : 32);
    }

    private static int RegisterWidthBits(NetworkCase network)
    {
        IReadOnlyList<Layer> layers = network.Architecture.Layers;
        // The output layer's z is one vector of 128, 256 or 512 bits, its lanes past the outputs padding.
        int outputBits = 128;
        while (outputBits < layers[^1].Size * (network is DoubleNetworkCase ? 64 : 32))
        {
            outputBits *= 2;
        }

        bool eligible = Enumerable.Range(1, layers.Count).All(l => IsWide(network, l) && InputBits(network, l) is 128 or 256 or 512)
            && outputBits <= 512;
        return eligible ? Math.Max(outputBits, Enumerable.Range(1, layers.Count).Max(l => InputBits(network, l))) : 0;
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
