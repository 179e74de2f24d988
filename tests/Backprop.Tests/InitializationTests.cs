using System.Numerics;
using Backprop.Tests.Registry;

namespace Backprop.Tests;

/// <summary>
/// InitializeParameters: deterministic per seed, biases 0, weights uniform within the Glorot limit
/// √(6/(fanIn + fanOut)) or, for the ReLU-like layers (ReLU, LeakyReLU, GELU, SiLU, ELU, softplus), the He limit √(6/fanIn).
/// </summary>
public class InitializationTests
{
    /// <summary>Layers with at least this many weights are large enough to check the spread, not just the bound.</summary>
    private const int WeightsForStatistics = 500;

    [Theory]
    [MemberData(nameof(NetworkRegistry.AllNames), MemberType = typeof(NetworkRegistry))]
    public void The_same_seed_gives_the_same_parameters_whatever_was_there_before(string name)
        => NetworkRegistry.Get(name).CreateAndRun(AssertSameSeedSameParameters, AssertSameSeedSameParameters);

    [Theory]
    [MemberData(nameof(NetworkRegistry.AllNames), MemberType = typeof(NetworkRegistry))]
    public void Different_seeds_give_different_weights_in_every_layer(string name)
        => NetworkRegistry.Get(name).CreateAndRun(AssertDifferentSeedsDiffer, AssertDifferentSeedsDiffer);

    [Theory]
    [MemberData(nameof(NetworkRegistry.AllNames), MemberType = typeof(NetworkRegistry))]
    public void Biases_are_zero_and_weights_lie_within_the_layers_limit(string name)
        => NetworkRegistry.Get(name).CreateAndRun(AssertBiasesZeroWeightsWithinLimit, AssertBiasesZeroWeightsWithinLimit);

    [Theory]
    [MemberData(nameof(NetworkRegistry.AllNames), MemberType = typeof(NetworkRegistry))]
    public void A_new_network_starts_from_seed_0(string name)
        => NetworkRegistry.Get(name).CreateAndRun(AssertNewNetworkStartsFromSeedZero, AssertNewNetworkStartsFromSeedZero);

    /// <summary>
    /// The limit r of U(−r, r) for a layer: He for the units that pass about half their inputs (the ReLU family,
    /// GELU, SiLU, ELU and softplus), Glorot for the saturating and linear ones (identity, sigmoid, tanh, softmax).
    /// </summary>
    public static double WeightLimit(LayerLayout layer) => layer.Activation switch
    {
        Activation.ReLU or Activation.LeakyReLU or Activation.GELU or Activation.SiLU or Activation.ELU or Activation.Softplus
            => Math.Sqrt(6.0 / layer.FanIn),
        Activation.Identity or Activation.Sigmoid or Activation.Tanh or Activation.Softmax
            => Math.Sqrt(6.0 / (layer.FanIn + layer.Size)),
        _ => throw new ArgumentOutOfRangeException(nameof(layer), layer.Activation, "Which initializer does this activation get?"),
    };

    private static void AssertSameSeedSameParameters<T>(INetwork<T> network, Architecture architecture)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        network.InitializeParameters(1234);
        T[] first = network.Parameters.ToArray();
        network.Parameters.Fill(T.NaN);

        network.InitializeParameters(1234);

        Assert.Equal(first, network.Parameters.ToArray());
    }

    private static void AssertDifferentSeedsDiffer<T>(INetwork<T> network, Architecture architecture)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        network.InitializeParameters(1);
        T[] seed1 = network.Parameters.ToArray();
        network.InitializeParameters(2);
        T[] seed2 = network.Parameters.ToArray();

        foreach (LayerLayout layer in architecture.Layouts)
        {
            int differing = Enumerable.Range(layer.WeightOffset, layer.WeightCount).Count(i => seed1[i] != seed2[i]);
            Assert.True(differing == layer.WeightCount, $"Layer {layer.Number}: only {differing} of {layer.WeightCount} weights differ between seeds 1 and 2.");
        }
    }

    private static void AssertBiasesZeroWeightsWithinLimit<T>(INetwork<T> network, Architecture architecture)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        foreach (int seed in new[] { 0, 1, -7, int.MaxValue })
        {
            network.InitializeParameters(seed);
            double[] parameters = network.Parameters.ToArray().Select(double.CreateChecked).ToArray();
            foreach (LayerLayout layer in architecture.Layouts)
            {
                string where = $"seed {seed}, layer {layer.Number} ({layer.FanIn} → {layer.Size} {layer.Activation})";
                Assert.All(Enumerable.Range(layer.BiasOffset, layer.Size), i => Assert.True(parameters[i] == 0, $"{where}: b[{i - layer.BiasOffset}] = {parameters[i]}"));

                double limit = WeightLimit(layer);
                double[] weights = parameters.AsSpan(layer.WeightOffset, layer.WeightCount).ToArray();
                double largest = weights.Max(Math.Abs);

                // A float weight may round up past the double limit by half an ulp.
                Assert.True(largest <= limit * (1 + 1e-7), $"{where}: |w| reaches {largest}, beyond the limit {limit}.");
                Assert.True(largest > 0, $"{where}: every weight is 0.");
                if (layer.WeightCount >= WeightsForStatistics)
                {
                    // U(−r, r) has root mean square r/√3 and comes close to r: together they pin the limit used.
                    // The ±5% band tells He from Glorot in every large ReLU-family layer registered (their limits
                    // differ by 7.8% or more there).
                    double rootMeanSquare = Math.Sqrt(weights.Average(w => w * w));
                    Assert.InRange(rootMeanSquare / (limit / Math.Sqrt(3)), 0.95, 1.05);
                    Assert.True(largest > 0.99 * limit, $"{where}: |w| only reaches {largest} of the limit {limit}.");
                    Assert.InRange(weights.Average() / limit, -0.05, 0.05);
                }
            }
        }
    }

    private static void AssertNewNetworkStartsFromSeedZero<T>(INetwork<T> network, Architecture architecture)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T[] fresh = network.Parameters.ToArray();

        network.InitializeParameters(0);

        Assert.Equal(fresh, network.Parameters.ToArray());
    }
}
