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

    [Fact]
    public void Every_accepted_pair_has_double_networks_without_and_with_three_hidden_layers()
    {
        Assert.Equal(20, Declarable.AcceptedPairs.Count);
        foreach ((Activation output, Loss loss) in Declarable.AcceptedPairs)
        {
            Architecture[] networks = NetworkRegistry.DoubleNetworks
                .Select(c => c.Architecture)
                .Where(a => a.OutputActivation == output && a.Loss == loss)
                .ToArray();

            Assert.True(networks.Select(a => a.ToString()).Distinct().Count() >= 2, $"{output} · {loss}: fewer than two shapes.");
            Assert.True(networks.Any(a => a.HiddenLayerCount == 0), $"{output} · {loss}: no network without a hidden layer.");
            Assert.True(networks.Any(a => a.HiddenLayerCount == 3), $"{output} · {loss}: no network with three hidden layers.");
        }
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

    [Fact]
    public void Every_accepted_pair_has_a_float_twin()
    {
        foreach ((Activation output, Loss loss) in Declarable.AcceptedPairs)
        {
            Assert.Contains(NetworkRegistry.FloatNetworks, c => c.Architecture.OutputActivation == output && c.Architecture.Loss == loss);
        }

        Assert.All(NetworkRegistry.FloatNetworks, c => Assert.Same(c.Twin.Architecture, c.Architecture));
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
