using Backprop.Tests.Numerics;
using Backprop.Tests.Reference;
using Backprop.Tests.Registry;

namespace Backprop.Tests;

/// <summary>
/// The README's numerics: softmax subtracts the max logit, and the cross-entropies are computed from the logits, so
/// they stay finite for any finite input, even where y itself underflows to 0 or rounds to 1.
/// </summary>
public class NumericalStabilityTests
{
    /// <summary>The output layer's weights and biases are scaled by this, pushing the logits to thousands.</summary>
    private const double LogitScale = 10_000;

    public static TheoryData<string> CrossEntropyLossNames => new(
        NetworkRegistry.DoubleNetworks
            .Where(c => c.Architecture.Loss is Loss.CrossEntropy or Loss.BinaryCrossEntropy)
            .Select(c => c.Name));

    [Theory]
    [MemberData(nameof(CrossEntropyLossNames))]
    public void Cross_entropies_stay_finite_and_exact_for_extreme_logits(string name)
    {
        DoubleNetworkCase network = NetworkRegistry.GetDouble(name);
        Architecture architecture = network.Architecture;
        INetwork<double> instance = network.Create();
        (double[] parameters, IReadOnlyList<Sample> samples) = Samples.Setup(instance, architecture, seed: 71, count: 4);
        LayerLayout output = architecture.Layouts[^1];
        for (int i = output.WeightOffset; i < output.BiasOffset + output.Size; i++)
        {
            parameters[i] *= LogitScale;
        }

        parameters.CopyTo(instance.Parameters);
        var reference = new ReferenceNetwork(architecture, parameters);
        int naiveFailures = 0;
        foreach (Sample sample in samples)
        {
            double[] logits = reference.Run(sample.Input).PreActivations[^1];
            naiveFailures += double.IsFinite(reference.ComputeLoss(sample.Input, sample.Target)) ? 0 : 1;
            var gradient = new double[architecture.ParameterCount];

            double loss = instance.ComputeLoss(sample.Input, sample.Target);
            double backwardLoss = instance.Backward(sample.Input, sample.Target, gradient);
            var y = new double[architecture.OutputSize];
            instance.Forward(sample.Input, y);

            NumericAssert.Close(reference.ComputeLossFromLogits(sample.Input, sample.Target), loss, 1e-10, 1e-12, $"{network}: ComputeLoss at logits {string.Join(", ", logits)}");
            Assert.Equal(loss, backwardLoss);
            Assert.All(gradient, g => Assert.True(double.IsFinite(g), $"{network}: a gradient is {g}."));
            Assert.All(y, value => Assert.InRange(value, 0, 1));
        }

        Assert.True(naiveFailures > 0, $"{network}: the logits are not extreme enough: the loss by its definition from y stays finite.");
    }

    /// <summary>Inputs this large overflow a naive exp(z); every cross-entropy network must stay finite.</summary>
    private const double HugeInput = 1e30;

    [Theory]
    [MemberData(nameof(CrossEntropyLossNames))]
    public void Cross_entropies_stay_finite_for_inputs_of_plus_and_minus_1e30(string name)
    {
        DoubleNetworkCase network = NetworkRegistry.GetDouble(name);
        INetwork<double> instance = network.Create();
        Architecture architecture = network.Architecture;
        double[] target = TargetFor(architecture);
        foreach (double sign in new[] { 1.0, -1.0 })
        {
            double[] input = [.. Enumerable.Range(0, architecture.InputSize).Select(i => (i % 2 == 0 ? sign : -sign) * HugeInput)];
            var y = new double[architecture.OutputSize];
            var gradient = new double[architecture.ParameterCount];

            instance.Forward(input, y);
            double loss = instance.ComputeLoss(input, target);
            double backwardLoss = instance.Backward(input, target, gradient);

            Assert.All(y, value => Assert.InRange(value, 0, 1));
            Assert.True(double.IsFinite(loss), $"{network}: the loss at inputs ±1e30 is {loss}.");
            Assert.Equal(loss, backwardLoss);
            Assert.All(gradient, g => Assert.True(double.IsFinite(g), $"{network}: a gradient at inputs ±1e30 is {g}."));
        }
    }

    /// <summary>Networks whose every layer saturates (sigmoid, tanh, softmax): huge inputs pin them, never NaN.</summary>
    public static TheoryData<string> SaturatingNames => new(
        NetworkRegistry.AllNetworks
            .Where(c => c.Architecture.Layers.All(l => l.Activation is Activation.Sigmoid or Activation.Tanh or Activation.Softmax))
            .Select(c => c.Name));

    [Fact]
    public void There_are_saturating_networks_to_test()
        => Assert.True(SaturatingNames.Count >= 4, $"Only {SaturatingNames.Count} networks saturate in every layer.");

    [Theory]
    [MemberData(nameof(SaturatingNames))]
    public void Saturated_sigmoid_and_tanh_layers_give_finite_outputs_losses_and_gradients(string name)
        => NetworkRegistry.Get(name).CreateAndRun(
            (network, architecture) => AssertSaturatesFinitely(network, architecture, name),
            (network, architecture) => AssertSaturatesFinitely(network, architecture, name));

    private static void AssertSaturatesFinitely<T>(INetwork<T> network, Architecture architecture, string name)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        T[] target = [.. TargetFor(architecture).Select(T.CreateTruncating)];
        foreach (double magnitude in new[] { 1e30, -1e30, 1e4, -1e4 })
        {
            T[] input = [.. Enumerable.Range(0, architecture.InputSize).Select(i => T.CreateTruncating(i % 2 == 0 ? magnitude : -magnitude))];
            var y = new T[architecture.OutputSize];
            var gradient = new T[architecture.ParameterCount];

            network.Forward(input, y);
            T loss = network.ComputeLoss(input, target);
            network.Backward(input, target, gradient);

            Assert.All(y, value => Assert.True(T.IsFinite(value) && T.Abs(value) <= T.One, $"{name}: output {value} at inputs ±{magnitude}."));
            Assert.True(T.IsFinite(loss), $"{name}: the loss at inputs ±{magnitude} is {loss}.");
            Assert.All(gradient, g => Assert.True(T.IsFinite(g), $"{name}: a gradient at inputs ±{magnitude} is {g}."));
        }
    }

    /// <summary>Networks with a GELU, SiLU, ELU or softplus layer: each computes an exponential (in Φ, σ, eᶻ − 1, ln(1 + eᶻ)).</summary>
    public static TheoryData<string> ExponentialActivationNames => new(
        NetworkRegistry.AllNetworks
            .Where(c => c.Architecture.Layers.Any(l => l.Activation is Activation.GELU or Activation.SiLU or Activation.ELU or Activation.Softplus))
            .Select(c => c.Name));

    /// <summary>
    /// Inputs of ±10³ and ±10⁴ drive the first layer's pre-activations far past where eᶻ and e⁻ᶻ overflow (|z| &gt; 88.7 in
    /// float, 709.8 in double): z·σ(z), z·Φ(z), eᶻ − 1, ln(1 + eᶻ) and their derivatives must still be finite there
    /// (an inf/inf or 0·inf in a formula would give NaN), while the outputs stay far below the overflow of their squares.
    /// </summary>
    [Theory]
    [MemberData(nameof(ExponentialActivationNames))]
    public void Exponential_activations_stay_finite_where_their_exponentials_overflow(string name)
        => NetworkRegistry.Get(name).CreateAndRun(
            (network, architecture) => AssertFiniteBeyondOverflow(network, architecture, name),
            (network, architecture) => AssertFiniteBeyondOverflow(network, architecture, name));

    private static void AssertFiniteBeyondOverflow<T>(INetwork<T> network, Architecture architecture, string name)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        T[] target = [.. TargetFor(architecture).Select(T.CreateTruncating)];
        foreach (double magnitude in new[] { 1e3, -1e3, 1e4, -1e4 })
        {
            T[] input = [.. Enumerable.Range(0, architecture.InputSize).Select(i => T.CreateTruncating(i % 2 == 0 ? magnitude : -magnitude))];
            var y = new T[architecture.OutputSize];
            var gradient = new T[architecture.ParameterCount];

            network.Forward(input, y);
            T loss = network.ComputeLoss(input, target);
            T backwardLoss = network.Backward(input, target, gradient);

            Assert.All(y, value => Assert.True(T.IsFinite(value), $"{name}: output {value} at inputs ±{magnitude}."));
            Assert.True(T.IsFinite(loss), $"{name}: the loss at inputs ±{magnitude} is {loss}.");
            Assert.Equal(loss, backwardLoss);
            Assert.All(gradient, g => Assert.True(T.IsFinite(g), $"{name}: a gradient at inputs ±{magnitude} is {g}."));
        }
    }

    /// <summary>
    /// A NaN input is garbage in: Forward, ComputeLoss and Backward give NaN out, never an exception, a hang or a
    /// plausible number; TrainStep, which would spread it into every parameter, refuses it and changes nothing.
    /// </summary>
    [Theory]
    [MemberData(nameof(NetworkRegistry.AllNames), MemberType = typeof(NetworkRegistry))]
    public void A_NaN_input_gives_NaN_outputs_and_losses_without_throwing_and_TrainStep_refuses_it(string name)
        => NetworkRegistry.Get(name).CreateAndRun(
            (network, architecture) => AssertNaNPropagates(network, architecture, name),
            (network, architecture) => AssertNaNPropagates(network, architecture, name));

    private static void AssertNaNPropagates<T>(INetwork<T> network, Architecture architecture, string name)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        T[] input = [.. Enumerable.Range(0, architecture.InputSize).Select(i => i == 0 ? T.NaN : T.CreateTruncating(0.25 * (i + 1)))];
        T[] target = [.. TargetFor(architecture).Select(T.CreateTruncating)];
        var y = new T[architecture.OutputSize];

        network.Forward(input, y);
        T loss = network.ComputeLoss(input, target);
        T backwardLoss = network.Backward(input, target, new T[architecture.ParameterCount]);
        T[] before = network.Parameters.ToArray();

        // What changes the parameters refuses the NaN instead of spreading it into every parameter.
        ArgumentException refused = Assert.Throws<ArgumentException>(() => network.TrainStep(input, target, T.CreateTruncating(0.01)));

        Assert.All(y, value => Assert.True(T.IsNaN(value), $"{name}: an output is {value}, not NaN."));
        Assert.True(T.IsNaN(loss) && T.IsNaN(backwardLoss), $"{name}: a loss is not NaN.");
        Assert.Equal("input", refused.ParamName);
        Assert.True(before.AsSpan().SequenceEqual(network.Parameters), $"{name}: TrainStep changed the parameters although it refused the row.");
    }

    public static TheoryData<string> BinaryCrossEntropyNames => new(
        NetworkRegistry.DoubleNetworks.Where(c => c.Architecture.Loss == Loss.BinaryCrossEntropy).Select(c => c.Name));

    /// <summary>
    /// The documented behaviour for binary cross-entropy targets outside [0, 1]: they are accepted, the loss
    /// is exactly Σₖ [softplus(zₖ) − tₖ·zₖ] and the gradient exactly δ = y − t, as for targets inside.
    /// </summary>
    [Theory]
    [MemberData(nameof(BinaryCrossEntropyNames))]
    public void Binary_cross_entropy_targets_outside_0_1_follow_the_documented_formula(string name)
    {
        DoubleNetworkCase network = NetworkRegistry.GetDouble(name);
        INetwork<double> instance = network.Create();
        Architecture architecture = network.Architecture;
        (double[] parameters, IReadOnlyList<Sample> samples) = Samples.Setup(instance, architecture, seed: 83, count: 2);
        var reference = new ReferenceNetwork(architecture, parameters);
        foreach (double outside in new[] { -0.5, 1.5, 3 })
        {
            double[] target = [.. Enumerable.Range(0, architecture.OutputSize).Select(k => k % 2 == 0 ? outside : 0.5)];
            foreach (Sample sample in samples)
            {
                double[] logits = reference.Run(sample.Input).PreActivations[^1];
                double expected = logits.Select((z, k) => Softplus(z) - (target[k] * z)).Sum();
                var gradient = new double[architecture.ParameterCount];

                NumericAssert.Close(expected, instance.ComputeLoss(sample.Input, target), 1e-12, 1e-12, $"{network}: loss for targets {outside}");
                instance.Backward(sample.Input, target, gradient);
                int[] checkedParameters = [.. ParameterSelection.For(architecture)];
                double[] numeric = FiniteDifferences.Gradient(instance, checkedParameters, sample.Input, target);
                for (int i = 0; i < checkedParameters.Length; i++)
                {
                    int index = checkedParameters[i];
                    NumericAssert.Close(numeric[i], gradient[index], 1e-6, OutsideTargetsFloor, $"{network}: ∂L/∂θ[{index}] for targets {outside}");
                }
            }
        }
    }

    /// <summary>
    /// Targets up to 3 make the loss several times larger, and with it the rounding in the finite differences
    /// (about 10⁻¹³·|L|), so gradients below 10⁻⁵ are compared to 10⁻¹¹ absolute instead of 10⁻¹².
    /// </summary>
    private const double OutsideTargetsFloor = 1e-5;

    private static double Softplus(double z) => Math.Max(z, 0) + Math.Log(1 + Math.Exp(-Math.Abs(z)));

    /// <summary>A valid target of the network's loss: a one-hot probability vector for cross-entropy, ½ for the others.</summary>
    private static double[] TargetFor(Architecture architecture) => architecture.Loss switch
    {
        Loss.CrossEntropy => [.. Enumerable.Range(0, architecture.OutputSize).Select(k => k == 0 ? 1.0 : 0.0)],
        Loss.BinaryCrossEntropy or Loss.SumSquaredError or Loss.HalfSumSquaredError or Loss.MeanSquaredError or Loss.Huber or Loss.MeanAbsoluteError
            => [.. Enumerable.Repeat(0.5, architecture.OutputSize)],
        _ => throw new ArgumentOutOfRangeException(nameof(architecture), architecture.Loss, "What is a valid target of this loss?"),
    };
}
