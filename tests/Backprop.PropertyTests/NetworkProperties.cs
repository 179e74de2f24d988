using Backprop.Tests.Numerics;
using Backprop.Tests.Reference;
using Backprop.Tests.Registry;

namespace Backprop.PropertyTests;

/// <summary>Fresh instances of a case's network: the double network, and for a float case the float one too.</summary>
/// <param name="CreateDouble">The network itself for a double case; for a float case its double twin (the same declaration in double).</param>
/// <param name="CreateSingle">The float network of a float case; null for a double case.</param>
internal sealed record CaseNetworks(Func<INetwork<double>> CreateDouble, Func<INetwork<float>>? CreateSingle);

/// <summary>The test data could not be set up for a case (no input keeps every ReLU away from its kink).</summary>
internal sealed class UncheckableCaseException(string message, Exception inner) : Exception(message, inner);

/// <summary>
/// What every generated network must satisfy, checked on one instance of a drawn architecture.
/// </summary>
/// <remarks>
/// <para>
/// Double networks: <c>Backward</c>'s gradient of every parameter equals central finite differences of
/// <c>ComputeLoss</c> (<see cref="FiniteDifferences"/>, fourth order, in double) to a relative error of
/// 10⁻⁶, on inputs that keep every ReLU, LeakyReLU and ELU pre-activation 0.02 away from its kink, and targets
/// that keep every error yₖ − tₖ 0.02 away from the kink of Huber's loss (|r| = 1) and of the mean absolute error
/// (r = 0) (<see cref="Samples"/>); <c>Forward</c> and <c>ComputeLoss</c> equal the reference implementation;
/// <c>TrainStep</c> equals <c>Backward</c> then θ ← θ − α∇ and returns the loss before it; <c>TrainBatch</c>
/// equals one step on the mean gradient and returns the mean loss; <c>Backward</c> adds into its buffer.
/// </para>
/// <para>
/// Float networks: finite differences in float cannot confirm six digits (float's ε is 6·10⁻⁸), and finite
/// differences in double of a float network's loss only see the float loss's rounding. So each float
/// architecture is also generated as a double twin (the same declaration with <c>Precision.Double</c>), both
/// get the same float-representable parameters and samples, the twin passes every double check above, and
/// the float network's outputs, losses and gradients must agree with the twin's to float accuracy (the
/// tolerances of the runtime tests' FloatPrecisionTests). Its own <c>TrainStep</c> and <c>TrainBatch</c>
/// must agree with its own <c>Backward</c> and an SGD step computed from it.
/// </para>
/// </remarks>
internal static class NetworkProperties
{
    public const int SamplesPerCase = 3;

    public const double LearningRate = 0.05;

    /// <summary>Backward against finite differences: the relative error allowed.</summary>
    public const double GradientTolerance = 1e-6;

    /// <summary>
    /// Finite differences carry rounding of about ε·|L|/h ≈ 2·10⁻¹³·|L| (<see cref="FiniteDifferences"/>), so
    /// below this magnitude times max(1, |L|) the error is measured absolutely, at 10⁻¹²·max(1, |L|): six
    /// digits of a gradient smaller than that cannot be confirmed by any difference quotient of the loss.
    /// This is the runtime tests' floor (10⁻⁶) for losses up to 1, scaled for the larger losses that random
    /// architectures reach (twelve outputs of sum squared error). A wrong δ is off by the size of the
    /// gradient itself, far above it.
    /// </summary>
    public const double GradientFloorPerUnitLoss = 1e-6;

    /// <summary>The loss Backward returns against ComputeLoss: the same computation, to rounding.</summary>
    private const double LossTolerance = 1e-12;

    /// <summary>Same formulas as the reference, in another summation order: a few ulps per layer.</summary>
    private const double ForwardTolerance = 1e-12;

    /// <summary>
    /// An output is a sum of O(0.1–1) terms through a few layers, so its rounding is that of the terms (a few
    /// 10⁻¹⁶), however small the sum: an identity output that cancels to 6·10⁻⁵ already differs from the
    /// reference by 10⁻¹² relative. Below this magnitude the error is measured absolutely (10⁻¹⁵ at most).
    /// </summary>
    private const double ForwardFloor = 1e-3;

    /// <summary>The network computes cross-entropies from logits, the reference from y: equal, not identical.</summary>
    private const double ReferenceLossTolerance = 1e-10;

    /// <summary>TrainStep and TrainBatch against Backward and an SGD step in double: the same arithmetic, to rounding.</summary>
    private const double TrainingTolerance = 1e-12;

    /// <summary>
    /// Parameters are O(0.1–1) and the rounding of θ − α∇ is that of its operands (about 10⁻¹⁶), not of a
    /// result that happens to be near 0; so below this magnitude the error is absolute (10⁻¹⁵ at most).
    /// A wrong update is off by about α∇, far above that.
    /// </summary>
    private const double ParameterFloor = 1e-3;

    /// <summary>Losses are compared relatively down to this magnitude.</summary>
    private const double LossFloor = 1e-8;

    /// <summary>Float outputs and losses against the twin: float keeps about 7 digits; a few roundings per layer stay under 10⁻⁴.</summary>
    private const double FloatValueTolerance = 1e-4;

    /// <summary>
    /// Below this magnitude float output and loss errors are measured absolutely (10⁻⁶, 17 float ulps of 1):
    /// like a double output, a float one carries the rounding of its O(1) terms, which is 6·10⁻⁸ each and
    /// adds up over five layers of twelve-term sums (an output cancelling to 0.0018 was seen 1.5·10⁻⁷ off).
    /// </summary>
    private const double FloatValueFloor = 1e-2;

    /// <summary>Float gradients against the twin: more roundings (forward, δ, products) and more cancellation.</summary>
    private const double FloatGradientTolerance = 1e-3;

    /// <summary>Below this magnitude float gradient errors are measured absolutely (10⁻⁶).</summary>
    private const double FloatGradientFloor = 1e-3;

    /// <summary>
    /// Float TrainStep and TrainBatch against the float network's own Backward and an SGD step: both sides
    /// round θ − α∇ to float (half an ulp, 3·10⁻⁸ relative) and may round ∇ in another order, so the
    /// parameters agree to a few float ulps; below <see cref="FloatParameterFloor"/> the error is absolute (10⁻⁷).
    /// </summary>
    private const double FloatParameterTolerance = 1e-5;

    private const double FloatParameterFloor = 1e-2;

    /// <summary>Checks every property of one case; throws (an assertion) at the first that fails.</summary>
    public static void Check(ArchitectureCase @case, CaseNetworks networks, Margins margins)
    {
        Architecture architecture = @case.Architecture;
        INetwork<double> network = networks.CreateDouble();
        AssertCounts(network, architecture);
        (double[] parameters, IReadOnlyList<Sample> samples) = SetUp(network, @case);
        if (networks.CreateSingle is not null)
        {
            // A float case: the twin gets the float-rounded parameters and samples, so both networks see the same data.
            parameters = [.. parameters.Select(RoundToFloat)];
            parameters.CopyTo(network.Parameters);
            samples = [.. samples.Select(s => new Sample([.. s.Input.Select(RoundToFloat)], [.. s.Target.Select(RoundToFloat)]))];
        }

        CheckForwardAndLoss(network, architecture, parameters, samples, margins);
        CheckGradients(network, @case, samples, margins);
        CheckTrainStep(networks.CreateDouble, architecture, parameters, samples, margins);
        CheckTrainBatch(networks.CreateDouble, architecture, parameters, samples, margins);

        if (networks.CreateSingle is not null)
        {
            INetwork<float> single = networks.CreateSingle();
            AssertCounts(single, architecture);
            CheckAgainstTwin(single, network, architecture, parameters, samples, margins);
            CheckSingleTraining(networks.CreateSingle, architecture, parameters, samples, margins);
        }

        margins.Complete(@case.Precision);
    }

    private static (double[] Parameters, IReadOnlyList<Sample> Samples) SetUp(INetwork<double> network, ArchitectureCase @case)
    {
        try
        {
            return Samples.Setup(network, @case.Architecture, @case.DataSeed, SamplesPerCase);
        }
        catch (InvalidOperationException e)
        {
            throw new UncheckableCaseException($"No test data for {@case.Architecture}: {e.Message}", e);
        }
    }

    private static void AssertCounts<T>(INetwork<T> network, Architecture architecture)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        Assert.Equal(architecture.InputSize, network.InputCount);
        Assert.Equal(architecture.OutputSize, network.OutputCount);
        Assert.Equal(architecture.ParameterCount, network.ParameterCount);
        Assert.Equal(architecture.ParameterCount, network.Parameters.Length);
    }

    private static void CheckForwardAndLoss(INetwork<double> network, Architecture architecture, double[] parameters, IReadOnlyList<Sample> samples, Margins margins)
    {
        var reference = new ReferenceNetwork(architecture, parameters);
        var output = new double[architecture.OutputSize];
        for (int n = 0; n < samples.Count; n++)
        {
            network.Forward(samples[n].Input, output);
            margins.AllClose("Forward vs reference", reference.Forward(samples[n].Input), output, ForwardTolerance, ForwardFloor, $"sample {n}: Forward (actual) vs reference (expected)");
            margins.Close(
                "ComputeLoss vs reference",
                reference.ComputeLoss(samples[n].Input, samples[n].Target),
                network.ComputeLoss(samples[n].Input, samples[n].Target),
                ReferenceLossTolerance,
                LossFloor,
                $"sample {n}: ComputeLoss (actual) vs reference (expected)");
        }
    }

    private static void CheckGradients(INetwork<double> network, ArchitectureCase @case, IReadOnlyList<Sample> samples, Margins margins)
    {
        Architecture architecture = @case.Architecture;
        int[] every = [.. Enumerable.Range(0, architecture.ParameterCount)];

        // A single softmax output is always 1: the loss is constant and the gradient exactly 0, which is what is checked then.
        bool constantLoss = architecture.OutputActivation == Activation.Softmax && architecture.OutputSize == 1;
        for (int n = 0; n < samples.Count; n++)
        {
            Sample sample = samples[n];
            var gradient = new double[architecture.ParameterCount];
            double loss = network.Backward(sample.Input, sample.Target, gradient);
            margins.Close("Backward's loss vs ComputeLoss", network.ComputeLoss(sample.Input, sample.Target), loss, LossTolerance, LossFloor, $"sample {n}: the loss Backward returns");

            double[] numeric = FiniteDifferences.Gradient(network, every, sample.Input, sample.Target);
            if (!constantLoss)
            {
                Assert.True(gradient.Any(g => Math.Abs(g) > 1e-4), $"sample {n}: the gradient is (almost) zero, so the check would prove nothing.");
            }

            margins.AllClose(
                "Backward vs finite differences",
                numeric,
                gradient,
                GradientTolerance,
                GradientFloorPerUnitLoss * Math.Max(1, Math.Abs(loss)),
                $"sample {n} (loss {loss:G4}): Backward (actual) vs finite differences (expected)",
                architecture.DescribeParameter);

            // Backward adds into the buffer it is given, so a batch can be summed.
            var random = new Random(@case.DataSeed + n);
            double[] accumulated = [.. gradient.Select(_ => Samples.Uniform(random, -1, 1))];
            double[] expected = [.. accumulated.Zip(gradient, (sum, g) => sum + g)];
            network.Backward(sample.Input, sample.Target, accumulated);
            margins.AllClose("Backward accumulates", expected, accumulated, TrainingTolerance, ParameterFloor, $"sample {n}: Backward into a non-zero buffer (actual) vs buffer + gradient (expected)", architecture.DescribeParameter);
        }
    }

    /// <summary>One TrainStep per sample in a row, against Backward and θ − α∇ on a second instance.</summary>
    private static void CheckTrainStep(Func<INetwork<double>> create, Architecture architecture, double[] parameters, IReadOnlyList<Sample> samples, Margins margins)
    {
        (INetwork<double> trained, INetwork<double> expected) = (create(), create());
        parameters.CopyTo(trained.Parameters);
        parameters.CopyTo(expected.Parameters);
        for (int n = 0; n < samples.Count; n++)
        {
            var gradient = new double[architecture.ParameterCount];
            double lossBefore = expected.Backward(samples[n].Input, samples[n].Target, gradient);
            SgdStep(expected.Parameters, gradient);

            double loss = trained.TrainStep(samples[n].Input, samples[n].Target, LearningRate);

            margins.Close("TrainStep's loss", lossBefore, loss, TrainingTolerance, LossFloor, $"step {n}: the loss TrainStep returns (actual) vs Backward's (expected)");
            margins.AllClose(
                "TrainStep vs Backward + SGD",
                expected.Parameters,
                trained.Parameters,
                TrainingTolerance,
                ParameterFloor,
                $"step {n}: parameters after TrainStep (actual) vs after Backward and θ − α∇ (expected)",
                architecture.DescribeParameter);
            trained.Parameters.CopyTo(expected.Parameters);
        }
    }

    /// <summary>A batch of every sample, then a batch of one, so a gradient left over from one batch would spoil the next.</summary>
    private static void CheckTrainBatch(Func<INetwork<double>> create, Architecture architecture, double[] parameters, IReadOnlyList<Sample> samples, Margins margins)
    {
        (INetwork<double> trained, INetwork<double> expected) = (create(), create());
        parameters.CopyTo(trained.Parameters);
        parameters.CopyTo(expected.Parameters);
        foreach (Sample[] batch in new[] { samples.ToArray(), [samples[^1]] })
        {
            var gradientSum = new double[architecture.ParameterCount];
            double lossSum = 0;
            foreach (Sample sample in batch)
            {
                lossSum += expected.Backward(sample.Input, sample.Target, gradientSum);
            }

            SgdStep(expected.Parameters, [.. gradientSum.Select(g => g / batch.Length)]);

            double loss = trained.TrainBatch([.. batch.SelectMany(s => s.Input)], [.. batch.SelectMany(s => s.Target)], LearningRate);

            margins.Close("TrainBatch's loss", lossSum / batch.Length, loss, TrainingTolerance, LossFloor, $"batch of {batch.Length}: the loss TrainBatch returns (actual) vs the mean loss (expected)");
            margins.AllClose(
                "TrainBatch vs mean gradient + SGD",
                expected.Parameters,
                trained.Parameters,
                TrainingTolerance,
                ParameterFloor,
                $"batch of {batch.Length}: parameters after TrainBatch (actual) vs after θ − α·mean ∇ (expected)",
                architecture.DescribeParameter);
            trained.Parameters.CopyTo(expected.Parameters);
        }
    }

    /// <summary>The float network against its double twin, which holds the same parameters and has passed every check.</summary>
    private static void CheckAgainstTwin(INetwork<float> single, INetwork<double> twin, Architecture architecture, double[] parameters, IReadOnlyList<Sample> samples, Margins margins)
    {
        Narrow(parameters).CopyTo(single.Parameters);
        var floatOutput = new float[architecture.OutputSize];
        var doubleOutput = new double[architecture.OutputSize];
        for (int n = 0; n < samples.Count; n++)
        {
            (float[] input, float[] target) = (Narrow(samples[n].Input), Narrow(samples[n].Target));
            single.Forward(input, floatOutput);
            twin.Forward(samples[n].Input, doubleOutput);
            margins.AllClose("float Forward vs twin", doubleOutput, Widen(floatOutput), FloatValueTolerance, FloatValueFloor, $"sample {n}: float Forward (actual) vs double twin (expected)");
            margins.Close(
                "float ComputeLoss vs twin",
                twin.ComputeLoss(samples[n].Input, samples[n].Target),
                single.ComputeLoss(input, target),
                FloatValueTolerance,
                FloatValueFloor,
                $"sample {n}: float ComputeLoss (actual) vs double twin (expected)");

            var floatGradient = new float[architecture.ParameterCount];
            var doubleGradient = new double[architecture.ParameterCount];
            float floatLoss = single.Backward(input, target, floatGradient);
            double doubleLoss = twin.Backward(samples[n].Input, samples[n].Target, doubleGradient);
            margins.Close("float Backward's loss vs twin", doubleLoss, floatLoss, FloatValueTolerance, FloatValueFloor, $"sample {n}: the loss float Backward returns (actual) vs double twin (expected)");
            margins.AllClose(
                "float Backward vs twin",
                doubleGradient,
                Widen(floatGradient),
                FloatGradientTolerance,
                FloatGradientFloor,
                $"sample {n}: float gradient (actual) vs double twin (expected)",
                architecture.DescribeParameter);
        }
    }

    /// <summary>The float TrainStep and TrainBatch against the float network's own Backward and an SGD step computed from it.</summary>
    private static void CheckSingleTraining(Func<INetwork<float>> create, Architecture architecture, double[] parameters, IReadOnlyList<Sample> samples, Margins margins)
    {
        (INetwork<float> trained, INetwork<float> expected) = (create(), create());
        Narrow(parameters).CopyTo(trained.Parameters);
        Narrow(parameters).CopyTo(expected.Parameters);
        float rate = (float)LearningRate;
        for (int n = 0; n < samples.Count; n++)
        {
            (float[] input, float[] target) = (Narrow(samples[n].Input), Narrow(samples[n].Target));
            var gradient = new float[architecture.ParameterCount];
            float lossBefore = expected.Backward(input, target, gradient);
            Span<float> theta = expected.Parameters;
            for (int i = 0; i < theta.Length; i++)
            {
                theta[i] -= rate * gradient[i];
            }

            float loss = trained.TrainStep(input, target, rate);

            margins.Close("float TrainStep's loss", lossBefore, loss, FloatValueTolerance, FloatValueFloor, $"float step {n}: the loss TrainStep returns (actual) vs Backward's (expected)");
            margins.AllClose(
                "float TrainStep vs Backward + SGD",
                Widen(expected.Parameters),
                Widen(trained.Parameters),
                FloatParameterTolerance,
                FloatParameterFloor,
                $"float step {n}: parameters after TrainStep (actual) vs after Backward and θ − α∇ (expected)",
                architecture.DescribeParameter);
            trained.Parameters.CopyTo(expected.Parameters);
        }

        float[] inputs = Narrow([.. samples.SelectMany(s => s.Input)]);
        float[] targets = Narrow([.. samples.SelectMany(s => s.Target)]);
        var gradientSum = new float[architecture.ParameterCount];
        double lossSum = 0;
        for (int n = 0; n < samples.Count; n++)
        {
            lossSum += expected.Backward(
                inputs.AsSpan(n * architecture.InputSize, architecture.InputSize), targets.AsSpan(n * architecture.OutputSize, architecture.OutputSize), gradientSum);
        }

        Span<float> parametersBefore = expected.Parameters;
        for (int i = 0; i < parametersBefore.Length; i++)
        {
            parametersBefore[i] -= rate * (gradientSum[i] / samples.Count);
        }

        float batchLoss = trained.TrainBatch(inputs, targets, rate);

        margins.Close("float TrainBatch's loss", lossSum / samples.Count, batchLoss, FloatValueTolerance, FloatValueFloor, $"float batch of {samples.Count}: the loss TrainBatch returns (actual) vs the mean loss (expected)");
        margins.AllClose(
            "float TrainBatch vs mean gradient + SGD",
            Widen(expected.Parameters),
            Widen(trained.Parameters),
            FloatParameterTolerance,
            FloatParameterFloor,
            $"float batch of {samples.Count}: parameters after TrainBatch (actual) vs after θ − α·mean ∇ (expected)",
            architecture.DescribeParameter);
    }

    private static void SgdStep(Span<double> parameters, ReadOnlySpan<double> gradient)
    {
        for (int i = 0; i < parameters.Length; i++)
        {
            parameters[i] -= LearningRate * gradient[i];
        }
    }

    private static double RoundToFloat(double value) => (float)value;

    private static float[] Narrow(IEnumerable<double> values) => [.. values.Select(v => (float)v)];

    private static double[] Widen(ReadOnlySpan<float> values)
    {
        var widened = new double[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            widened[i] = values[i];
        }

        return widened;
    }
}
