using System.Numerics;
using Backprop.Optimizers;

namespace Backprop.Training.Tests;

/// <summary>
/// <see cref="Trainer{T}.L2Regularization"/>, <see cref="Trainer{T}.L1Regularization"/>,
/// <see cref="Trainer{T}.RegularizeBiases"/> and <see cref="Trainer{T}.GradientClipNorm"/>: the gradient the optimizer
/// is given, read back from one SGD step at rate 1 (θ − θ′ = g).
/// </summary>
public class RegularizationTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>ClassifierDouble, 4 → 8 → 3: W1 [0, 32), b1 [32, 40), W2 [40, 64), b2 [64, 67).</summary>
    private static bool IsBias(int index) => index is (>= 32 and < 40) or >= 64;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void The_penalised_gradient_is_the_gradient_of_the_loss_plus_the_penalty(bool biases)
    {
        (double[] x, double[] y) = Data.Blobs<double>(9, seed: 4);
        const double l1 = 0.05, l2 = 0.3;
        ClassifierDouble network = Initialised();
        double[] theta = network.Parameters.ToArray();

        double[] gradient = StepGradient(network, x, y, t => { t.L1Regularization = l1; t.L2Regularization = l2; t.RegularizeBiases = biases; });

        // Central differences of mean loss + λ₂/2·Σθ² + λ₁·Σ|θ| over the penalised parameters, in double.
        double Objective()
        {
            double penalty = 0;
            ReadOnlySpan<double> p = network.Parameters;
            for (int i = 0; i < p.Length; i++)
            {
                if (biases || !IsBias(i))
                {
                    penalty += (l2 / 2 * p[i] * p[i]) + (l1 * Math.Abs(p[i]));
                }
            }

            return Evaluation.MeanLoss(network, x, y) + penalty;
        }

        theta.CopyTo(network.Parameters);
        const double h = 1e-6;
        for (int i = 0; i < theta.Length; i++)
        {
            Assert.True(Math.Abs(theta[i]) > 10 * h, "No parameter at the kink of |θ|.");
            network.Parameters[i] = theta[i] + h;
            double plus = Objective();
            network.Parameters[i] = theta[i] - h;
            double minus = Objective();
            network.Parameters[i] = theta[i];
            double numeric = (plus - minus) / (2 * h);
            Assert.True(Math.Abs(numeric - gradient[i]) <= 1e-7 * Math.Max(1, Math.Abs(numeric)), $"Parameter {i}: finite differences {numeric}, trainer {gradient[i]}.");
        }
    }

    [Fact]
    public void Biases_are_excluded_by_default_and_included_when_asked()
    {
        (double[] x, double[] y) = Data.Blobs<double>(9, seed: 4);
        double[] data = StepGradient(Initialised(), x, y, _ => { });
        double[] weightsOnly = StepGradient(Initialised(), x, y, t => t.L2Regularization = 0.5);
        double[] all = StepGradient(Initialised(), x, y, t => { t.L2Regularization = 0.5; t.RegularizeBiases = true; });
        double[] theta = Initialised().Parameters.ToArray();

        Assert.False(new Trainer<double>(new ClassifierDouble(), new Sgd<double>(ClassifierDouble.ParameterCount)).RegularizeBiases);
        for (int i = 0; i < theta.Length; i++)
        {
            double penalised = data[i] + (0.5 * theta[i]);
            Assert.Equal(IsBias(i) ? data[i] : penalised, weightsOnly[i], 1e-12);
            Assert.Equal(penalised, all[i], 1e-12);
        }

    }

    /// <summary>Parameters drawn from [−0.8, 0.8], biases too (initialised they would be 0, and a penalty on them nothing).</summary>
    private static ClassifierDouble Initialised()
    {
        var network = new ClassifierDouble();
        Data.Uniform<double>(ClassifierDouble.ParameterCount, seed: 9, scale: 0.8).CopyTo(network.Parameters);
        return network;
    }

    [Fact]
    public void The_reported_loss_is_the_data_loss()
    {
        (float[] x, float[] y) = Data.Blobs<float>(8, seed: 1);
        var plain = new Trainer<float>(new Classifier(), new Sgd<float>(Classifier.ParameterCount));
        var penalised = new Trainer<float>(new Classifier(), new Sgd<float>(Classifier.ParameterCount)) { L1Regularization = 1, L2Regularization = 1 };

        Assert.Equal(plain.TrainBatch(x, y), penalised.TrainBatch(x, y));
    }

    [Fact]
    public void A_network_whose_architecture_does_not_tell_biases_apart_needs_RegularizeBiases()
    {
        (double[] x, double[] y) = Data.Blobs<double>(6, seed: 1);
        var network = new HandWritten(new ClassifierDouble());
        network.InitializeParameters(1);
        double[] theta = network.Parameters.ToArray();
        var trainer = new Trainer<double>(network, new Sgd<double>(ClassifierDouble.ParameterCount) { LearningRate = 1 }) { L2Regularization = 0.5 };

        var exception = Assert.Throws<InvalidOperationException>(() => trainer.TrainBatch(x, y));
        Assert.Contains("RegularizeBiases = true", exception.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => trainer.TrainEpoch(x, y, [0, 1], 2, Ct));
        Assert.Throws<InvalidOperationException>(() => trainer.Fit(x, y, new TrainingOptions { Epochs = 1 }, cancellationToken: Ct));
        Assert.Equal(theta, network.Parameters.ToArray());

        // Every parameter, then: the same as a generated network with RegularizeBiases.
        trainer.RegularizeBiases = true;
        trainer.TrainBatch(x, y);
        var generated = new ClassifierDouble();
        generated.InitializeParameters(1);
        new Trainer<double>(generated, new Sgd<double>(ClassifierDouble.ParameterCount) { LearningRate = 1 }) { L2Regularization = 0.5, RegularizeBiases = true }.TrainBatch(x, y);
        Assert.Equal(generated.Parameters.ToArray(), network.Parameters.ToArray());

        // Clipping alone needs no architecture.
        new Trainer<double>(network, new Sgd<double>(ClassifierDouble.ParameterCount)) { GradientClipNorm = 1 }.TrainBatch(x, y);
    }

    [Fact]
    public void Clipping_scales_the_gradient_to_the_norm_as_PyTorch_and_leaves_a_smaller_one_alone()
    {
        (double[] x, double[] y) = Data.Blobs<double>(9, seed: 4);
        var reference = new ClassifierDouble();
        reference.InitializeParameters(2);
        double[] data = StepGradient(reference, x, y, _ => { });
        double norm = Math.Sqrt(data.Sum(g => g * g));
        Assert.True(norm > 0.2, $"The gradient's norm {norm} must exceed the clip norm.");

        var network = new ClassifierDouble();
        network.InitializeParameters(2);
        double[] clipped = StepGradient(network, x, y, t => t.GradientClipNorm = 0.1);
        double factor = 0.1 / (norm + 1e-6);
        for (int i = 0; i < data.Length; i++)
        {
            Assert.Equal(data[i] * factor, clipped[i], 1e-15);
        }

        Assert.Equal(0.1, Math.Sqrt(clipped.Sum(g => g * g)), 1e-6);

        // Under the norm, the step is that of no clipping, to the bit.
        var unclipped = new ClassifierDouble();
        unclipped.InitializeParameters(2);
        var plain = new ClassifierDouble();
        plain.InitializeParameters(2);
        new Trainer<double>(unclipped, new Adam<double>(ClassifierDouble.ParameterCount)) { GradientClipNorm = norm * 1.01 }.TrainBatch(x, y);
        new Trainer<double>(plain, new Adam<double>(ClassifierDouble.ParameterCount)).TrainBatch(x, y);
        ParallelTrainerTests.AssertSameBits(plain.Parameters.ToArray(), unclipped.Parameters.ToArray());
    }

    [Fact]
    public void Clipping_comes_after_regularisation_and_works_in_float()
    {
        (float[] x, float[] y) = Data.Blobs<float>(9, seed: 4);
        var network = new Classifier();
        network.InitializeParameters(2);
        float[] before = network.Parameters.ToArray();
        var trainer = new Trainer<float>(network, new Sgd<float>(Classifier.ParameterCount) { LearningRate = 1 }) { L2Regularization = 10, GradientClipNorm = 0.05 };

        trainer.TrainBatch(x, y);

        double stepNorm = Math.Sqrt(before.Zip(network.Parameters.ToArray()).Sum(p => ((double)p.First - p.Second) * ((double)p.First - p.Second)));
        Assert.Equal(0.05, stepNorm, 1e-5);
    }

    [Fact]
    public void The_norm_is_summed_in_double()
    {
        float[] values = [.. Enumerable.Range(0, 37).Select(i => 1e-3f * (i - 18))];
        double expected = values.Sum(v => (double)v * v);

        Assert.Equal(expected, GradientTransform<float>.SumOfSquares(values), 1e-18);
        Assert.Equal(expected, GradientTransform<double>.SumOfSquares([.. values.Select(v => (double)v)]), 1e-18);
        Assert.Equal(2 * ((double)1e20f * 1e20f), GradientTransform<float>.SumOfSquares([1e20f, 1e20f]));
    }

    [Fact]
    public void Settings_are_checked()
    {
        var trainer = new Trainer<float>(new Classifier(), new Sgd<float>(Classifier.ParameterCount));

        Assert.Equal((0.0, 0.0, false, (double?)null), (trainer.L1Regularization, trainer.L2Regularization, trainer.RegularizeBiases, trainer.GradientClipNorm));
        foreach (double bad in new[] { -1e-3, double.NaN, double.PositiveInfinity })
        {
            Assert.Equal("L1Regularization", Assert.Throws<ArgumentOutOfRangeException>(() => trainer.L1Regularization = bad).ParamName);
            Assert.Equal("L2Regularization", Assert.Throws<ArgumentOutOfRangeException>(() => trainer.L2Regularization = bad).ParamName);
        }

        foreach (double bad in new[] { 0, -1, double.NaN, double.PositiveInfinity })
        {
            Assert.Equal("GradientClipNorm", Assert.Throws<ArgumentOutOfRangeException>(() => trainer.GradientClipNorm = bad).ParamName);
        }

        trainer.GradientClipNorm = 1;
        trainer.GradientClipNorm = null;
        Assert.Null(trainer.GradientClipNorm);
    }

    [Theory]
    [InlineData("Cosine")]
    [InlineData("Plateau")]
    public void All_options_on_give_bit_identical_parameters_losses_and_rates_on_1_2_and_3_threads(string schedule)
    {
        (float[] x, float[] y) = ParallelTrainerTests.Classes<float>(rows: 300, seed: 11);
        var runs = new[] { 1, 2, 3 }.Select(threads =>
        {
            var network = new Digits64();
            network.InitializeParameters(21);
            var trainer = AllOptions(network, threads);
            LearningRateSchedule rates = schedule == "Cosine"
                ? new CosineDecay(decaySteps: 12) { WarmupSteps = 4, MinimumLearningRate = 1e-4 }
                : new ReduceOnPlateau { Patience = 1, Factor = 0.5, MinDelta = 0.5 };
            TrainingResult result = trainer.Fit(x, y, new TrainingOptions { Epochs = 4, BatchSize = 70, Seed = 5, ValidationSplit = 0.2, LearningRateSchedule = rates }, cancellationToken: Ct);
            return (Parameters: network.Parameters.ToArray(), History: result.History.Select(p => (p.TrainLoss, p.ValidationLoss, p.LearningRate)).ToArray());
        }).ToArray();

        ParallelTrainerTests.AssertSameBits(runs[0].Parameters, runs[1].Parameters);
        ParallelTrainerTests.AssertSameBits(runs[0].Parameters, runs[2].Parameters);
        Assert.Equal(runs[0].History, runs[1].History);
        Assert.Equal(runs[0].History, runs[2].History);
        Assert.True(runs[0].History[^1].TrainLoss < runs[0].History[0].TrainLoss, "It trained.");
        Assert.True(runs[0].History.Select(h => h.LearningRate).Distinct().Count() > 1, "The rate changed.");
    }

    [Fact]
    public void TrainEpoch_and_TrainBatch_with_every_option_allocate_nothing()
    {
        (float[] x, float[] y) = Data.Blobs<float>(64, seed: 1);
        var trainer = new Trainer<float>(new Classifier(), new Adam<float>(Classifier.ParameterCount))
        {
            L1Regularization = 1e-4,
            L2Regularization = 1e-3,
            GradientClipNorm = 0.5,
        };
        int[] order = [.. Enumerable.Range(0, 64).Reverse()];
        trainer.TrainEpoch(x, y, order, batchSize: 8, cancellationToken: Ct);
        trainer.TrainBatch(x, y);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int epoch = 0; epoch < 5; epoch++)
        {
            trainer.TrainEpoch(x, y, order, batchSize: 8, cancellationToken: Ct);
            trainer.TrainBatch(x.AsSpan(0, 16 * 4), y.AsSpan(0, 16 * 3));
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Theory]
    [InlineData("Step")]
    [InlineData("Cosine")]
    [InlineData("Plateau")]
    public void Fit_with_every_option_allocates_per_call_not_per_epoch_or_step(string schedule)
    {
        (float[] x, float[] y) = Data.Blobs<float>(64, seed: 1);
        var trainer = new Trainer<float>(new Classifier(), new Adam<float>(Classifier.ParameterCount))
        {
            L1Regularization = 1e-4,
            L2Regularization = 1e-3,
            RegularizeBiases = true,
            GradientClipNorm = 0.5,
        };
        LearningRateSchedule rates = schedule switch
        {
            "Step" => new StepDecay(2, 0.9),
            "Cosine" => new CosineDecay(100) { WarmupSteps = 10 },
            _ => new ReduceOnPlateau { Patience = 2 },
        };
        TrainingOptions Epochs(int epochs) => new() { Epochs = epochs, BatchSize = 4, ValidationSplit = 0.25, LearningRateSchedule = rates };
        Fit(1);
        Fit(20);

        long one = Fit(1);
        long twenty = Fit(20);

        long perEpoch = System.Runtime.CompilerServices.Unsafe.SizeOf<EpochProgress>();
        Assert.True(twenty - one <= 19 * perEpoch + 8, $"1 epoch allocated {one} bytes, 20 epochs {twenty}: more than one EpochProgress ({perEpoch}) per epoch.");

        long Fit(int epochs)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            trainer.Fit(x, y, Epochs(epochs), cancellationToken: Ct);
            return GC.GetAllocatedBytesForCurrentThread() - before;
        }
    }

    internal static Trainer<float> AllOptions(INetwork<float> network, int threads) => new(network, new Adam<float>(network.ParameterCount) { LearningRate = 0.01f, WeightDecay = 0.01f })
    {
        MaxDegreeOfParallelism = threads,
        L1Regularization = 1e-4,
        L2Regularization = 1e-3,
        GradientClipNorm = 0.5,
    };

    /// <summary>The gradient one TrainBatch hands the optimizer: θ − θ′ after an SGD step at rate 1.</summary>
    private static double[] StepGradient(INetwork<double> network, double[] x, double[] y, Action<Trainer<double>> configure)
    {
        double[] before = network.Parameters.ToArray();
        var trainer = new Trainer<double>(network, new Sgd<double>(network.ParameterCount) { LearningRate = 1 });
        configure(trainer);
        trainer.TrainBatch(x, y);
        double[] gradient = new double[before.Length];
        for (int i = 0; i < gradient.Length; i++)
        {
            gradient[i] = before[i] - network.Parameters[i];
        }

        before.CopyTo(network.Parameters);
        return gradient;
    }

    /// <summary>A generated network behind an architecture text the trainer cannot read, as a hand-written one may have.</summary>
    private sealed class HandWritten(INetwork<double> inner) : INetwork<double>
    {
        public int InputCount => inner.InputCount;

        public int OutputCount => inner.OutputCount;

        public int ParameterCount => inner.ParameterCount;

        public string Architecture => "a network written by hand";

        public Span<double> Parameters => inner.Parameters;

        public void InitializeParameters(int seed) => inner.InitializeParameters(seed);

        public void Forward(ReadOnlySpan<double> input, Span<double> output) => inner.Forward(input, output);

        public double ComputeLoss(ReadOnlySpan<double> input, ReadOnlySpan<double> target) => inner.ComputeLoss(input, target);

        public double Backward(ReadOnlySpan<double> input, ReadOnlySpan<double> target, Span<double> gradient) => inner.Backward(input, target, gradient);

        public double TrainStep(ReadOnlySpan<double> input, ReadOnlySpan<double> target, double learningRate) => inner.TrainStep(input, target, learningRate);

        public double TrainBatch(ReadOnlySpan<double> inputs, ReadOnlySpan<double> targets, double learningRate) => inner.TrainBatch(inputs, targets, learningRate);

        public void ForwardBatch(ReadOnlySpan<double> inputs, Span<double> outputs) => inner.ForwardBatch(inputs, outputs);

        public double BackwardBatch(ReadOnlySpan<double> inputs, ReadOnlySpan<double> targets, Span<double> gradient) => inner.BackwardBatch(inputs, targets, gradient);
    }
}

/// <summary>Every thread's bytes with every training option on, as <see cref="ParallelAllocationTests"/> counts them.</summary>
[Collection(nameof(AllocationCollection))]
public class RegularizationParallelAllocationTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void TrainEpoch_and_TrainBatch_with_every_option_allocate_nothing_on_any_thread(int threads)
    {
        (float[] x, float[] y) = ParallelTrainerTests.Classes<float>(rows: 256, seed: 1);
        Trainer<float> trainer = RegularizationTests.AllOptions(new Digits64(), threads);
        int[] order = [.. Enumerable.Range(0, 256).Reverse()];
        trainer.TrainEpoch(x, y, order, batchSize: 64, cancellationToken: Ct);
        trainer.TrainBatch(x, y);

        long least = long.MaxValue;
        for (int attempt = 0; attempt < 5 && least > 0; attempt++)
        {
            long before = GC.GetTotalAllocatedBytes(precise: true);
            for (int epoch = 0; epoch < 3; epoch++)
            {
                trainer.TrainEpoch(x, y, order, batchSize: 64, cancellationToken: Ct);
                trainer.TrainBatch(x.AsSpan(0, 100 * 64), y.AsSpan(0, 100 * 10));
            }

            least = Math.Min(least, GC.GetTotalAllocatedBytes(precise: true) - before);
        }

        Assert.Equal(0, least);
    }
}
