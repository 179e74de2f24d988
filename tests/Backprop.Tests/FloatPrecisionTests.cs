using Backprop.Tests.Numerics;
using Backprop.Tests.Registry;

namespace Backprop.Tests;

/// <summary>
/// Each float network against its double twin, both holding the same (float-representable) parameters
/// and fed the same float-representable samples, so every difference is float arithmetic in the
/// generated float code, never a difference of data.
/// </summary>
public class FloatPrecisionTests
{
    private const int SamplesPerNetwork = 4;

    /// <summary>Outputs and losses: float keeps about 7 digits; a few roundings per layer stay well under 10⁻⁴.</summary>
    private const double ValueTolerance = 1e-4;

    /// <summary>Below this magnitude output and loss errors are measured absolutely (10⁻⁷).</summary>
    private const double ValueFloor = 1e-3;

    /// <summary>Gradients go through more roundings (forward, δ, products) and cancel more.</summary>
    private const double GradientTolerance = 1e-3;

    /// <summary>Below this magnitude gradient errors are measured absolutely (10⁻⁶).</summary>
    private const double GradientFloor = 1e-3;

    /// <summary>
    /// Parameters after a float training step against those after the double step: O(0.1–1) values moved by
    /// α·∇, where ∇ carries float's error; below <see cref="ParameterFloor"/> the error is absolute (10⁻⁷).
    /// </summary>
    private const double ParameterTolerance = 1e-5;

    private const double ParameterFloor = 1e-2;

    private const float LearningRate = 0.05f;

    [Theory]
    [MemberData(nameof(NetworkRegistry.FloatNames), MemberType = typeof(NetworkRegistry))]
    public void Forward_agrees_with_the_double_twin(string name)
    {
        Twins twins = Twins.Create(name);
        var floatOutput = new float[twins.Architecture.OutputSize];
        var doubleOutput = new double[twins.Architecture.OutputSize];
        for (int n = 0; n < twins.DoubleSamples.Count; n++)
        {
            twins.Single.Forward(twins.FloatSamples[n].Input, floatOutput);
            twins.Double.Forward(twins.DoubleSamples[n].Input, doubleOutput);

            NumericAssert.AllClose(doubleOutput, Widen(floatOutput), ValueTolerance, ValueFloor, $"{name}, sample {n}: float Forward (actual) vs double (expected)");
        }
    }

    [Theory]
    [MemberData(nameof(NetworkRegistry.FloatNames), MemberType = typeof(NetworkRegistry))]
    public void ComputeLoss_agrees_with_the_double_twin(string name)
    {
        Twins twins = Twins.Create(name);
        for (int n = 0; n < twins.DoubleSamples.Count; n++)
        {
            float loss = twins.Single.ComputeLoss(twins.FloatSamples[n].Input, twins.FloatSamples[n].Target);
            double expected = twins.Double.ComputeLoss(twins.DoubleSamples[n].Input, twins.DoubleSamples[n].Target);

            NumericAssert.Close(expected, loss, ValueTolerance, ValueFloor, $"{name}, sample {n}: float ComputeLoss (actual) vs double (expected)");
        }
    }

    [Theory]
    [MemberData(nameof(NetworkRegistry.FloatNames), MemberType = typeof(NetworkRegistry))]
    public void Backward_agrees_with_the_double_twin(string name)
    {
        Twins twins = Twins.Create(name);
        for (int n = 0; n < twins.DoubleSamples.Count; n++)
        {
            var floatGradient = new float[twins.Architecture.ParameterCount];
            var doubleGradient = new double[twins.Architecture.ParameterCount];
            float floatLoss = twins.Single.Backward(twins.FloatSamples[n].Input, twins.FloatSamples[n].Target, floatGradient);
            double doubleLoss = twins.Double.Backward(twins.DoubleSamples[n].Input, twins.DoubleSamples[n].Target, doubleGradient);

            NumericAssert.Close(doubleLoss, floatLoss, ValueTolerance, ValueFloor, $"{name}, sample {n}: the loss float Backward returns");
            NumericAssert.AllClose(
                doubleGradient,
                Widen(floatGradient),
                GradientTolerance,
                GradientFloor,
                $"{name}, sample {n}: float gradient (actual) vs double (expected)",
                twins.Architecture.DescribeParameter);
        }
    }

    [Theory]
    [MemberData(nameof(NetworkRegistry.FloatNames), MemberType = typeof(NetworkRegistry))]
    public void TrainStep_and_TrainBatch_agree_with_the_double_twin(string name)
    {
        Twins twins = Twins.Create(name);
        Sample sample = twins.DoubleSamples[0];
        (float[] floatInput, float[] floatTarget) = twins.FloatSamples[0];

        float floatLoss = twins.Single.TrainStep(floatInput, floatTarget, LearningRate);
        double doubleLoss = twins.Double.TrainStep(sample.Input, sample.Target, LearningRate);

        AssertSameState(twins, floatLoss, doubleLoss, $"{name}, after TrainStep");

        floatLoss = twins.Single.TrainBatch(
            twins.FloatSamples.SelectMany(s => s.Input).ToArray(), twins.FloatSamples.SelectMany(s => s.Target).ToArray(), LearningRate);
        doubleLoss = twins.Double.TrainBatch(
            twins.DoubleSamples.SelectMany(s => s.Input).ToArray(), twins.DoubleSamples.SelectMany(s => s.Target).ToArray(), LearningRate);

        AssertSameState(twins, floatLoss, doubleLoss, $"{name}, after TrainBatch");
    }

    private static void AssertSameState(Twins twins, float floatLoss, double doubleLoss, string what)
    {
        NumericAssert.Close(doubleLoss, floatLoss, ValueTolerance, ValueFloor, $"{what}: the loss returned by float (actual) vs double (expected)");
        NumericAssert.AllClose(
            twins.Double.Parameters,
            Widen(twins.Single.Parameters),
            ParameterTolerance,
            ParameterFloor,
            $"{what}: float parameters (actual) vs double (expected)",
            twins.Architecture.DescribeParameter);
    }

    private static double[] Widen(ReadOnlySpan<float> values)
    {
        var widened = new double[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            widened[i] = values[i];
        }

        return widened;
    }

    private static float[] Narrow(IEnumerable<double> values) => values.Select(v => (float)v).ToArray();

    /// <summary>A float network and its double twin with identical parameters, and samples both can represent exactly.</summary>
    private sealed record Twins(
        Architecture Architecture,
        INetwork<float> Single,
        INetwork<double> Double,
        IReadOnlyList<Sample> DoubleSamples,
        IReadOnlyList<(float[] Input, float[] Target)> FloatSamples)
    {
        public static Twins Create(string name)
        {
            FloatNetworkCase network = NetworkRegistry.GetFloat(name);
            INetwork<float> single = network.Create();
            INetwork<double> @double = network.Twin.Create();
            (double[] parameters, IReadOnlyList<Sample> samples) = Samples.Setup(@double, network.Architecture, seed: 61, SamplesPerNetwork);
            for (int i = 0; i < parameters.Length; i++)
            {
                single.Parameters[i] = (float)parameters[i];
                @double.Parameters[i] = single.Parameters[i];
            }

            Sample[] representable = samples.Select(s => new Sample(RoundToFloat(s.Input), RoundToFloat(s.Target))).ToArray();
            return new Twins(network.Architecture, single, @double, representable, representable.Select(s => (Narrow(s.Input), Narrow(s.Target))).ToArray());
        }

        private static double[] RoundToFloat(double[] values) => values.Select(v => (double)(float)v).ToArray();
    }
}
