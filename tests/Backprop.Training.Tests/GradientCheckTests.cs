using System.Numerics;
using Backprop.Diagnostics;

namespace Backprop.Training.Tests;

public class GradientCheckTests
{
    public static TheoryData<string> DoubleNetworks => new() { nameof(ClassifierDouble), nameof(RegressorDouble), nameof(DeepDouble), nameof(WideDouble) };

    public static TheoryData<string> FloatNetworks => new() { nameof(Classifier), nameof(Regressor), nameof(BinaryClassifier) };

    [Theory]
    [MemberData(nameof(DoubleNetworks))]
    public void Generated_double_networks_pass(string name)
    {
        INetwork<double> network = name switch
        {
            nameof(ClassifierDouble) => new ClassifierDouble(),
            nameof(RegressorDouble) => new RegressorDouble(),
            nameof(DeepDouble) => new DeepDouble(),
            _ => new WideDouble(),
        };

        for (int sample = 0; sample < 3; sample++)
        {
            GradientCheckResult result = Check(network, sample);

            Assert.True(result.IsWithin(1e-6), $"{name}, sample {sample}: {result}");
            Assert.Equal(network.ParameterCount, result.ParameterCount);
        }
    }

    [Theory]
    [MemberData(nameof(FloatNetworks))]
    public void Generated_float_networks_pass_at_float_tolerance(string name)
    {
        INetwork<float> network = name switch
        {
            nameof(Classifier) => new Classifier(),
            nameof(Regressor) => new Regressor(),
            _ => new BinaryClassifier(),
        };

        for (int sample = 0; sample < 3; sample++)
        {
            GradientCheckResult result = Check(network, sample);

            Assert.True(result.IsWithin(1e-2), $"{name}, sample {sample}: {result}");
        }
    }

    [Fact]
    public void The_parameters_are_restored_bit_for_bit()
    {
        var network = new Classifier();
        network.InitializeParameters(8);
        float[] before = network.Parameters.ToArray();

        GradientCheck.Run(network, [0.1f, -0.2f, 0.3f, 0.9f], [0, 1, 0]);

        Assert.Equal(before.Select(BitConverter.SingleToInt32Bits), network.Parameters.ToArray().Select(BitConverter.SingleToInt32Bits));
    }

    [Fact]
    public void A_correct_hand_written_network_passes()
    {
        GradientCheckResult result = GradientCheck.Run(new HandWrittenLinear(HandWrittenLinear.Bug.None), [0.3, -0.7], [0.25]);

        Assert.True(result.IsWithin(1e-8), result.ToString());
    }

    [Fact]
    public void A_wrong_weight_gradient_is_caught_and_located()
    {
        // The bug: ∂L/∂W[0, 1] uses x₀ instead of x₁.
        GradientCheckResult result = GradientCheck.Run(new HandWrittenLinear(HandWrittenLinear.Bug.WeightUsesWrongInput), [0.3, -0.7], [0.25]);

        Assert.False(result.IsWithin(1e-2), result.ToString());
        Assert.True(result.MaxRelativeError > 0.5, result.ToString());
        Assert.Equal(1, result.ParameterIndex);
        Assert.StartsWith("W1[0, 1] (layer 1: Dense(1, Identity), the weight of neuron 0 for x[1])", result.Parameter);
        Assert.Equal(result.NumericGradient * 0.3 / -0.7, result.AnalyticGradient, 1e-6);
    }

    [Fact]
    public void A_wrong_bias_gradient_sign_is_caught_and_located()
    {
        GradientCheckResult result = GradientCheck.Run(new HandWrittenLinear(HandWrittenLinear.Bug.BiasSign), [0.3, -0.7], [0.25]);

        Assert.Equal(2, result.ParameterIndex);
        Assert.StartsWith("b1[0]", result.Parameter);
        Assert.Equal(2, result.MaxRelativeError, 1e-6);
        Assert.Contains("b1[0]", result.ToString());
    }

    [Fact]
    public void A_Backward_that_overwrites_instead_of_adding_still_checks_but_a_wrong_loss_is_caught()
    {
        GradientCheckResult result = GradientCheck.Run(new HandWrittenLinear(HandWrittenLinear.Bug.LossReturnedTwice), [0.3, -0.7], [0.25]);

        Assert.True(result.MaxRelativeError < 1e-8);
        Assert.Equal(2 * result.Loss, result.BackwardLoss, 1e-12);
        Assert.False(result.IsWithin(1e-6));
    }

    [Fact]
    public void A_network_with_an_unknown_architecture_text_is_located_by_index()
    {
        GradientCheckResult result = GradientCheck.Run(new HandWrittenLinear(HandWrittenLinear.Bug.BiasSign, "my linear model"), [0.3, -0.7], [0.25]);

        Assert.Equal("parameter 2", result.Parameter);
    }

    [Fact]
    public void NaN_gradients_are_the_worst()
    {
        GradientCheckResult result = GradientCheck.Run(new HandWrittenLinear(HandWrittenLinear.Bug.NaNWeight), [0.3, -0.7], [0.25]);

        Assert.True(double.IsNaN(result.MaxRelativeError));
        Assert.Equal(0, result.ParameterIndex);
        Assert.False(result.IsWithin(1));
    }

    [Fact]
    public void Spans_of_the_wrong_length_are_rejected()
    {
        var error = Assert.Throws<ArgumentException>(() => GradientCheck.Run(new Classifier(), new float[3], new float[3]));

        Assert.Equal("input", error.ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => new GradientCheckOptions { Step = 0 });
    }

    private static GradientCheckResult Check<T>(INetwork<T> network, int sample)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        network.InitializeParameters(sample + 1);

        // Biases off zero so every parameter has a gradient of its own.
        T[] offsets = Data.Uniform<T>(network.ParameterCount, seed: 100 + sample, scale: 0.1);
        for (int i = 0; i < network.ParameterCount; i++)
        {
            network.Parameters[i] += offsets[i];
        }

        T[] input = Data.Uniform<T>(network.InputCount, seed: 200 + sample);
        T[] target = new T[network.OutputCount];
        target[sample % network.OutputCount] = T.One;
        return GradientCheck.Run(network, input, target);
    }

    /// <summary>
    /// y = w₀x₀ + w₁x₁ + b with L = ½(t − y)², written by hand, with an optional deliberate bug in Backward.
    /// The correct gradient is ∂L/∂wᵢ = (y − t)·xᵢ, ∂L/∂b = y − t.
    /// </summary>
    private sealed class HandWrittenLinear(HandWrittenLinear.Bug bug, string? architecture = null) : INetwork<double>
    {
        public enum Bug
        {
            None,
            WeightUsesWrongInput,
            BiasSign,
            LossReturnedTwice,
            NaNWeight,
        }

        private readonly double[] _parameters = [0.5, -0.25, 0.1];

        public int InputCount => 2;

        public int OutputCount => 1;

        public int ParameterCount => 3;

        public string Architecture { get; } = architecture ?? "Input(2) → Dense(1, Identity); Loss.HalfSumSquaredError; Precision.Double; 3 parameters";

        public Span<double> Parameters => _parameters;

        public void InitializeParameters(int seed) => _parameters.AsSpan().Fill(seed * 0.1);

        public void Forward(ReadOnlySpan<double> input, Span<double> output)
            => output[0] = _parameters[0] * input[0] + _parameters[1] * input[1] + _parameters[2];

        public double ComputeLoss(ReadOnlySpan<double> input, ReadOnlySpan<double> target)
        {
            Span<double> y = stackalloc double[1];
            Forward(input, y);
            return 0.5 * (target[0] - y[0]) * (target[0] - y[0]);
        }

        public double Backward(ReadOnlySpan<double> input, ReadOnlySpan<double> target, Span<double> gradient)
        {
            Span<double> y = stackalloc double[1];
            Forward(input, y);
            double delta = y[0] - target[0];
            gradient[0] += bug == Bug.NaNWeight ? double.NaN : delta * input[0];
            gradient[1] += delta * (bug == Bug.WeightUsesWrongInput ? input[0] : input[1]);
            gradient[2] += bug == Bug.BiasSign ? -delta : delta;
            double loss = ComputeLoss(input, target);
            return bug == Bug.LossReturnedTwice ? 2 * loss : loss;
        }

        public double TrainStep(ReadOnlySpan<double> input, ReadOnlySpan<double> target, double learningRate) => throw new NotSupportedException();

        public double TrainBatch(ReadOnlySpan<double> inputs, ReadOnlySpan<double> targets, double learningRate) => throw new NotSupportedException();
    }
}
