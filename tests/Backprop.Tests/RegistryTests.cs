using System.Reflection;
using Backprop.Tests.Registry;

namespace Backprop.Tests;

/// <summary>
/// The registry is complete, restates each declaration faithfully, agrees with the generated counts,
/// and covers what the runtime test list asks for.
/// </summary>
public class RegistryTests
{
    [Theory]
    [MemberData(nameof(NetworkRegistry.AllNames), MemberType = typeof(NetworkRegistry))]
    public void The_generated_counts_match_the_registered_architecture(string name)
    {
        NetworkCase network = NetworkRegistry.Get(name);
        network.CreateAndRun(AssertCounts, AssertCounts);

        Assert.Equal(network.Architecture.InputSize, ConstantOf(network.Type, "InputCount"));
        Assert.Equal(network.Architecture.OutputSize, ConstantOf(network.Type, "OutputCount"));
        Assert.Equal(network.Architecture.ParameterCount, ConstantOf(network.Type, "ParameterCount"));
    }

    /// <summary>
    /// Reads the declaration's attributes back through reflection (not through anything generated) and
    /// compares them with the registry, so a slip in the hand-written registry cannot pass for a generator bug.
    /// </summary>
    [Theory]
    [MemberData(nameof(NetworkRegistry.AllNames), MemberType = typeof(NetworkRegistry))]
    public void The_registry_restates_the_declaration(string name)
    {
        NetworkCase network = NetworkRegistry.Get(name);
        NetworkAttribute declared = network.Type.GetCustomAttribute<NetworkAttribute>()!;
        Layer[] layers = network.Type.GetCustomAttributes<DenseAttribute>().Select(d => new Layer(d.Size, d.Activation)).ToArray();

        Assert.Equal(network.Architecture.Loss, declared.Loss);
        Assert.Equal(network.Precision, declared.Precision);
        Assert.Equal(network.Architecture.InputSize, network.Type.GetCustomAttribute<InputAttribute>()!.Size);
        Assert.Equal(network.Architecture.Layers, layers);
    }

    [Fact]
    public void Every_network_declared_in_this_project_is_registered_once()
    {
        Type[] declared = typeof(RegistryTests).Assembly.GetTypes()
            .Where(t => t.GetCustomAttribute<NetworkAttribute>() is not null)
            .OrderBy(t => t.FullName)
            .ToArray();
        Type[] registered = NetworkRegistry.AllNetworks.Select(c => c.Type).OrderBy(t => t.FullName).ToArray();

        Assert.Equal(declared, registered);
        Assert.Equal(registered.Length, NetworkRegistry.AllNetworks.Select(c => c.Name).Distinct().Count());
    }

    /// <summary>
    /// The pairs checked in depth, each with two shapes or more, one without a hidden layer and one with three:
    /// the six output activations Identity to Softmax with the three squared errors, and the two cross-entropies.
    /// The other 32 pairs (GELU, SiLU, ELU and softplus outputs; Huber's loss and mean absolute error) have a
    /// network each, and that depth per output activation and per loss instead: two networks for each of the 52
    /// pairs would be over a hundred more networks to generate and compile.
    /// </summary>
    private static readonly (Activation Output, Loss Loss)[] PairsInDepth =
    [
        .. from output in new[] { Activation.Identity, Activation.Sigmoid, Activation.Tanh, Activation.ReLU, Activation.LeakyReLU, Activation.Softmax }
           from loss in new[] { Loss.SumSquaredError, Loss.HalfSumSquaredError, Loss.MeanSquaredError }
           select (output, loss),
        (Activation.Softmax, Loss.CrossEntropy),
        (Activation.Sigmoid, Loss.BinaryCrossEntropy),
    ];

    [Fact]
    public void Every_accepted_pair_has_a_double_network()
    {
        Assert.Equal(52, Declarable.AcceptedPairs.Count);
        Assert.Equal(
            Enum.GetValues<Activation>().Order(),
            Declarable.AcceptedPairs.Select(p => p.Output).Distinct().Order());
        Assert.Equal(
            Enum.GetValues<Loss>().Order(),
            Declarable.AcceptedPairs.Select(p => p.Loss).Distinct().Order());
        foreach ((Activation output, Loss loss) in Declarable.AcceptedPairs)
        {
            Assert.True(
                NetworkRegistry.DoubleNetworks.Any(c => c.Architecture.OutputActivation == output && c.Architecture.Loss == loss),
                $"{output} · {loss}: no double network.");
        }
    }

    [Fact]
    public void The_pairs_in_depth_have_double_networks_without_and_with_three_hidden_layers()
    {
        Assert.Subset(Declarable.AcceptedPairs.ToHashSet(), PairsInDepth.ToHashSet());
        foreach ((Activation output, Loss loss) in PairsInDepth)
        {
            AssertDepth(NetworkRegistry.DoubleNetworks.Where(c => c.Architecture.OutputActivation == output && c.Architecture.Loss == loss), $"{output} · {loss}");
        }
    }

    [Fact]
    public void Every_output_activation_and_every_loss_has_double_networks_without_and_with_three_hidden_layers()
    {
        foreach (Activation output in Enum.GetValues<Activation>())
        {
            AssertDepth(NetworkRegistry.DoubleNetworks.Where(c => c.Architecture.OutputActivation == output), $"{output} output");
        }

        foreach (Loss loss in Enum.GetValues<Loss>())
        {
            AssertDepth(NetworkRegistry.DoubleNetworks.Where(c => c.Architecture.Loss == loss), $"{loss}");
        }
    }

    private static void AssertDepth(IEnumerable<DoubleNetworkCase> cases, string what)
    {
        Architecture[] networks = [.. cases.Select(c => c.Architecture)];
        Assert.True(networks.Select(a => a.ToString()).Distinct().Count() >= 2, $"{what}: fewer than two shapes.");
        Assert.True(networks.Any(a => a.HiddenLayerCount == 0), $"{what}: no network without a hidden layer.");
        Assert.True(networks.Any(a => a.HiddenLayerCount == 3), $"{what}: no network with three hidden layers.");
    }

    [Fact]
    public void No_network_pairs_an_output_activation_and_a_loss_the_generator_rejects()
    {
        Assert.All(NetworkRegistry.AllNetworks, c => Assert.Contains((c.Architecture.OutputActivation, c.Architecture.Loss), Declarable.AcceptedPairs));
    }

    [Fact]
    public void Every_hidden_activation_appears_in_at_least_two_networks()
    {
        foreach (Activation activation in Declarable.HiddenActivations)
        {
            int networks = NetworkRegistry.DoubleNetworks.Count(c => c.Architecture.HiddenLayers.Any(l => l.Activation == activation));
            Assert.True(networks >= 2, $"{activation} is a hidden activation in only {networks} double networks.");
        }
    }

    [Fact]
    public void Output_sizes_include_one_and_several_and_softmax_always_has_two_or_more()
    {
        Architecture[] architectures = NetworkRegistry.DoubleNetworks.Select(c => c.Architecture).ToArray();

        Assert.Contains(architectures, a => a.OutputSize == 1);
        Assert.Contains(architectures, a => a.OutputSize > 1 && a.OutputActivation != Activation.Softmax);
        Assert.All(architectures.Where(a => a.OutputActivation == Activation.Softmax), a => Assert.True(a.OutputSize >= 2, a.ToString()));
    }

    /// <summary>
    /// Float twins: of every pair in depth, and of networks with every output activation, every loss and every
    /// hidden activation (the other pairs share their output activation's and their loss's float code).
    /// </summary>
    [Fact]
    public void Every_pair_in_depth_every_activation_and_every_loss_has_a_float_twin()
    {
        FloatNetworkCase[] twins = [.. NetworkRegistry.FloatNetworks];
        foreach ((Activation output, Loss loss) in PairsInDepth)
        {
            Assert.True(twins.Any(c => c.Architecture.OutputActivation == output && c.Architecture.Loss == loss), $"{output} · {loss}: no float twin.");
        }

        foreach (Activation output in Enum.GetValues<Activation>())
        {
            Assert.True(twins.Any(c => c.Architecture.OutputActivation == output), $"{output}: no float twin has it as output activation.");
        }

        foreach (Loss loss in Enum.GetValues<Loss>())
        {
            Assert.True(twins.Any(c => c.Architecture.Loss == loss), $"{loss}: no float twin.");
        }

        foreach (Activation hidden in Declarable.HiddenActivations)
        {
            Assert.True(twins.Any(c => c.Architecture.HiddenLayers.Any(l => l.Activation == hidden)), $"{hidden}: no float twin has it in a hidden layer.");
        }

        Assert.All(twins, c => Assert.Same(c.Twin.Architecture, c.Architecture));
    }

    private static void AssertCounts<T>(INetwork<T> network, Architecture architecture)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        Assert.Equal(architecture.InputSize, network.InputCount);
        Assert.Equal(architecture.OutputSize, network.OutputCount);
        Assert.Equal(architecture.ParameterCount, network.ParameterCount);
        Assert.Equal(architecture.ParameterCount, network.Parameters.Length);
    }

    /// <summary>The value of a public const int field, read through reflection.</summary>
    private static int ConstantOf(Type type, string name)
    {
        FieldInfo field = type.GetField(name, BindingFlags.Public | BindingFlags.Static)
            ?? throw new InvalidOperationException($"{type} has no public static field {name}.");
        Assert.True(field.IsLiteral, $"{type}.{name} is not a const.");
        return (int)field.GetRawConstantValue()!;
    }
}
