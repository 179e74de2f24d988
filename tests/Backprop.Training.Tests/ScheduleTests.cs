using System.Numerics;
using Backprop.Optimizers;

namespace Backprop.Training.Tests;

/// <summary>
/// <see cref="TrainingOptions.LearningRateSchedule"/>: each schedule's rates against its formula (PyTorch's and
/// Keras's numbers), and <c>Fit</c> really stepping at the scheduled rate.
/// </summary>
public class ScheduleTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void StepDecay_is_PyTorchs_StepLR_per_epoch()
    {
        // torch.optim.lr_scheduler.StepLR(opt(lr=0.1), step_size=3, gamma=0.5): lr after 0, 1, …, 7 scheduler steps.
        var schedule = new StepDecay(stepSize: 3, gamma: 0.5);
        double[] expected = [0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025, 0.025];

        Assert.Equal(expected, Enumerable.Range(1, 8).Select(epoch => schedule.GetLearningRate(0.1, epoch, step: 1000)));
        Assert.False(schedule.PerStep);
        Assert.Equal(0.1, new StepDecay(10).Gamma);
    }

    [Fact]
    public void ExponentialDecay_is_PyTorchs_ExponentialLR_per_epoch()
    {
        var schedule = new ExponentialDecay(gamma: 0.9);

        for (int epoch = 1; epoch <= 20; epoch++)
        {
            Assert.Equal(0.2 * Math.Pow(0.9, epoch - 1), schedule.GetLearningRate(0.2, epoch, step: 0), 1e-15);
        }

        Assert.Equal(0.2, schedule.GetLearningRate(0.2, 1, 0));
        Assert.Equal(0.2 * 0.9 * 0.9, schedule.GetLearningRate(0.2, 3, 0), 1e-17);
        Assert.False(schedule.PerStep);
    }

    [Fact]
    public void CosineDecay_is_PyTorchs_CosineAnnealingLR_after_a_linear_warmup_and_holds_the_minimum()
    {
        var schedule = new CosineDecay(decaySteps: 10) { WarmupSteps = 4, MinimumLearningRate = 0.001 };

        Assert.True(schedule.PerStep);

        // Warm-up: α·(s + 1)/w.
        double[] warmup = [0.025, 0.05, 0.075, 0.1];
        for (int s = 0; s < 4; s++)
        {
            Assert.Equal(warmup[s], schedule.GetLearningRate(0.1, 1, s), 1e-16);
        }

        // CosineAnnealingLR(T_max=10, eta_min=0.001) from lr 0.1: t = 0 → 0.1, t = 5 → 0.0505, t = 10 → 0.001, and the
        // closed form η_min + (α − η_min)(1 + cos(πt/T))/2 in between.
        Assert.Equal(0.1, schedule.GetLearningRate(0.1, 1, 4), 1e-15);
        Assert.Equal(0.0505, schedule.GetLearningRate(0.1, 2, 9), 1e-15);
        Assert.Equal(0.001, schedule.GetLearningRate(0.1, 3, 14), 1e-15);
        for (int t = 0; t <= 10; t++)
        {
            Assert.Equal(0.001 + (0.099 * (1 + Math.Cos(Math.PI * t / 10)) / 2), schedule.GetLearningRate(0.1, 1, 4 + t), 1e-15);
        }

        // The closed form worked by hand at t = 2 and 7, to 8 digits: 0.001 + 0.099·(1 + cos 0.2π)/2 and 0.001 + 0.099·(1 + cos 0.7π)/2.
        Assert.Equal(0.09054634, schedule.GetLearningRate(0.1, 1, 6), 1e-8);
        Assert.Equal(0.02140463, schedule.GetLearningRate(0.1, 1, 11), 1e-8);

        // Held at the minimum after T (PyTorch's closed form would rise again; Keras's CosineDecay holds).
        Assert.Equal(0.001, schedule.GetLearningRate(0.1, 9, 100), 1e-15);

        // Without warm-up or minimum: α(1 + cos(πs/T))/2 from step 0.
        var plain = new CosineDecay(decaySteps: 4);
        double[] quarterTurns = [1.0, 0.8535533905932737, 0.5, 0.14644660940672627, 0.0];
        for (int s = 0; s < 5; s++)
        {
            Assert.Equal(quarterTurns[s], plain.GetLearningRate(1, 1, s), 1e-15);
        }
    }

    [Fact]
    public void ReduceOnPlateau_follows_Keras_patience_and_minimum()
    {
        // Patience 2, factor 0.5, no cooldown: reduce after every second epoch without improvement, never below 0.02.
        var schedule = new ReduceOnPlateau { Patience = 2, Factor = 0.5, MinDelta = 0, MinimumLearningRate = 0.02 };
        double[] rates = Run(schedule, 0.1, [1.0, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9]);

        // Epochs 1–4 at 0.1; reductions after epochs 4, 6 and 8 (the last clamped to the minimum), none after 10.
        Assert.Equal([0.1, 0.1, 0.1, 0.1, 0.05, 0.05, 0.025, 0.025, 0.02, 0.02, 0.02], rates);
        Assert.Equal(3, schedule.Reductions);
    }

    [Fact]
    public void ReduceOnPlateau_cooldown_and_improvements_reset_the_count()
    {
        // Keras: a reduction starts `cooldown` epochs during which no epoch counts as without improvement.
        var schedule = new ReduceOnPlateau { Patience = 2, Factor = 0.5, Cooldown = 2, MinDelta = 0, MinimumLearningRate = 0.02 };
        double[] rates = Run(schedule, 0.1, [1.0, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9]);

        // Reductions after epochs 4, 7 and 10.
        Assert.Equal([0.1, 0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025, 0.025, 0.025, 0.02], rates);

        // An improvement (by more than MinDelta) resets the count; one by less does not.
        var withDelta = new ReduceOnPlateau { Patience = 2, Factor = 0.5, MinDelta = 0.01 };
        rates = Run(withDelta, 1, [1.0, 0.995, 0.98, 0.975, 0.97]);
        Assert.Equal([1, 1, 1, 1, 1], rates);
        rates = Run(withDelta, 1, [1.0, 0.995, 0.991, 0.98]);
        Assert.Equal([1, 1, 1, 0.5], rates);

        // Reset starts afresh; another base rate means no reduction yet.
        withDelta.Reset(1);
        Assert.Equal(0, withDelta.Reductions);
        Assert.Equal(0.3, withDelta.GetLearningRate(0.3, 1, 0));
    }

    /// <summary>The rate of every epoch, each loss observed after its epoch.</summary>
    private static double[] Run(LearningRateSchedule schedule, double baseRate, double[] losses)
    {
        schedule.Reset(baseRate);
        var rates = new double[losses.Length];
        for (int epoch = 1; epoch <= losses.Length; epoch++)
        {
            rates[epoch - 1] = schedule.GetLearningRate(baseRate, epoch, step: 0);
            schedule.EpochEnded(epoch, losses[epoch - 1]);
        }

        return rates;
    }

    [Fact]
    public void Schedules_check_their_arguments()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new StepDecay(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new StepDecay(1, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new StepDecay(1, 1.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => new StepDecay(1, double.NaN));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ExponentialDecay(-0.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ExponentialDecay(double.NaN));
        Assert.Throws<ArgumentOutOfRangeException>(() => new CosineDecay(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new CosineDecay(10) { WarmupSteps = -1 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new CosineDecay(10) { MinimumLearningRate = -1e-3 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new CosineDecay(10) { MinimumLearningRate = double.NaN });
        Assert.Throws<ArgumentOutOfRangeException>(() => new CosineDecay(10) { MinimumLearningRate = double.PositiveInfinity });
        Assert.Throws<ArgumentOutOfRangeException>(() => new ReduceOnPlateau { Factor = 1 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new ReduceOnPlateau { Factor = 0 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new ReduceOnPlateau { Factor = double.NaN });
        Assert.Throws<ArgumentOutOfRangeException>(() => new ReduceOnPlateau { Patience = 0 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new ReduceOnPlateau { Cooldown = -1 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new ReduceOnPlateau { MinDelta = -1 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new ReduceOnPlateau { MinDelta = double.NaN });
        Assert.Throws<ArgumentOutOfRangeException>(() => new ReduceOnPlateau { MinimumLearningRate = double.NegativeInfinity });

        var keras = new ReduceOnPlateau();
        Assert.Equal((0.1, 10, 0, 1e-4, 0.0), (keras.Factor, keras.Patience, keras.Cooldown, keras.MinDelta, keras.MinimumLearningRate));
        Assert.Null(new TrainingOptions().LearningRateSchedule);
    }

    [Fact]
    public void Fit_steps_each_epoch_at_the_scheduled_rate_and_leaves_the_optimizer_at_the_last()
    {
        // One batch per epoch, rows in order: epoch e is one TrainBatch at 0.1·0.5^(e − 1).
        (double[] x, double[] y) = Data.Blobs<double>(12, seed: 1);
        var viaFit = new ClassifierDouble();
        var byHand = new ClassifierDouble();
        viaFit.InitializeParameters(3);
        byHand.InitializeParameters(3);
        var sgd = new Sgd<double>(ClassifierDouble.ParameterCount) { LearningRate = 0.1 };
        var fitTrainer = new Trainer<double>(viaFit, sgd);
        var handSgd = new Sgd<double>(ClassifierDouble.ParameterCount);
        var handTrainer = new Trainer<double>(byHand, handSgd);

        TrainingResult result = fitTrainer.Fit(x, y, new TrainingOptions
        {
            Epochs = 3,
            BatchSize = 12,
            Shuffle = false,
            LearningRateSchedule = new StepDecay(stepSize: 1, gamma: 0.5),
        }, cancellationToken: Ct);

        foreach (double rate in new[] { 0.1, 0.05, 0.025 })
        {
            handSgd.LearningRate = rate;
            handTrainer.TrainBatch(x, y);
        }

        ParallelTrainerTests.AssertSameBits(byHand.Parameters.ToArray(), viaFit.Parameters.ToArray());
        Assert.Equal([0.1, 0.05, 0.025], result.History.Select(p => p.LearningRate));
        Assert.Equal(0.025, sgd.LearningRate);

        // A second Fit takes the rate left as its base, as a second Keras fit does.
        result = fitTrainer.Fit(x, y, new TrainingOptions { Epochs = 2, BatchSize = 12, LearningRateSchedule = new StepDecay(1, 0.5) }, cancellationToken: Ct);
        Assert.Equal([0.025, 0.0125], result.History.Select(p => p.LearningRate));
    }

    [Fact]
    public void Fit_sets_a_per_step_schedule_before_every_step_counting_steps_across_epochs()
    {
        // 10 rows in batches of 4: steps of 4, 4 and 2 rows per epoch, 3 epochs, 9 steps.
        (float[] x, float[] y) = Data.Blobs<float>(10, seed: 2);
        var viaFit = new Classifier();
        var byHand = new Classifier();
        viaFit.InitializeParameters(5);
        byHand.InitializeParameters(5);
        var schedule = new CosineDecay(decaySteps: 6) { WarmupSteps = 2, MinimumLearningRate = 0.001 };
        var fitTrainer = new Trainer<float>(viaFit, new Momentum<float>(Classifier.ParameterCount) { LearningRate = 0.2f });
        var handMomentum = new Momentum<float>(Classifier.ParameterCount);
        var handTrainer = new Trainer<float>(byHand, handMomentum);

        TrainingResult result = fitTrainer.Fit(x, y, new TrainingOptions { Epochs = 3, BatchSize = 4, Shuffle = false, LearningRateSchedule = schedule }, cancellationToken: Ct);

        int step = 0;
        var lastRates = new List<double>();
        for (int epoch = 1; epoch <= 3; epoch++)
        {
            for (int start = 0; start < 10; start += 4, step++)
            {
                int rows = Math.Min(4, 10 - start);
                handMomentum.LearningRate = (float)schedule.GetLearningRate(0.2f, epoch, step);
                handTrainer.TrainBatch(x.AsSpan(start * 4, rows * 4), y.AsSpan(start * 3, rows * 3));
            }

            lastRates.Add(handMomentum.LearningRate);
        }

        ParallelTrainerTests.AssertSameBits(byHand.Parameters.ToArray(), viaFit.Parameters.ToArray());
        Assert.Equal(lastRates, result.History.Select(p => p.LearningRate!.Value));
        Assert.Equal(0.001f, (float)result.History[^1].LearningRate!.Value, 1e-9f);
    }

    [Fact]
    public void ReduceOnPlateau_in_Fit_watches_the_training_loss_without_validation()
    {
        // A rate so small the loss cannot improve by MinDelta: every epoch after the first is one without improvement.
        (float[] x, float[] y) = Data.Noise(30, seed: 3);
        var schedule = new ReduceOnPlateau { Patience = 1, Factor = 0.5 };
        var trainer = new Trainer<float>(new Classifier(), new Sgd<float>(Classifier.ParameterCount) { LearningRate = 1e-9f });

        TrainingResult result = trainer.Fit(x, y, new TrainingOptions { Epochs = 4, BatchSize = 10, LearningRateSchedule = schedule }, cancellationToken: Ct);

        float[] expected = [1e-9f, 1e-9f, 5e-10f, 2.5e-10f];
        Assert.Equal(expected, result.History.Select(p => (float)p.LearningRate!.Value));
        Assert.Equal(3, schedule.Reductions);
    }

    [Fact]
    public void Without_a_schedule_Fit_reports_the_optimizers_rate()
    {
        (float[] x, float[] y) = Data.Blobs<float>(20, seed: 1);
        var trainer = new Trainer<float>(new Classifier(), new Adam<float>(Classifier.ParameterCount) { LearningRate = 0.01f });

        TrainingResult result = trainer.Fit(x, y, new TrainingOptions { Epochs = 2 }, cancellationToken: Ct);

        Assert.All(result.History, p => Assert.Equal(0.01f, (float)p.LearningRate!.Value));
    }

    [Fact]
    public void A_custom_optimizer_gets_the_rate_through_its_setter_and_one_that_ignores_it_is_refused()
    {
        (float[] x, float[] y) = Data.Blobs<float>(12, seed: 1);
        var honouring = new CustomSgd(Classifier.ParameterCount, ignoreRate: false) { LearningRate = 0.1f };
        TrainingResult result = new Trainer<float>(new Classifier(), honouring)
            .Fit(x, y, new TrainingOptions { Epochs = 2, LearningRateSchedule = new ExponentialDecay(0.5) }, cancellationToken: Ct);
        Assert.Equal([0.1f, 0.05f], result.History.Select(p => (float)p.LearningRate!.Value));

        var network = new Classifier();
        float[] before = network.Parameters.ToArray();
        var ignoring = new CustomSgd(Classifier.ParameterCount, ignoreRate: true);
        var trainer = new Trainer<float>(network, ignoring);
        var exception = Assert.Throws<InvalidOperationException>(
            () => trainer.Fit(x, y, new TrainingOptions { Epochs = 2, LearningRateSchedule = new ExponentialDecay(0.5) }, cancellationToken: Ct));

        Assert.Contains("CustomSgd.LearningRate", exception.Message, StringComparison.Ordinal);
        Assert.Equal(before, network.Parameters.ToArray());
    }

    /// <summary>θ ← θ − α·g written by a user; one that ignores the rate set keeps 0.01.</summary>
    private sealed class CustomSgd(int parameterCount, bool ignoreRate) : IOptimizer<float>
    {
        private float _rate = 0.01f;

        public int ParameterCount => parameterCount;

        public float LearningRate
        {
            get => _rate;
            set => _rate = ignoreRate ? _rate : value;
        }

        public void Step(Span<float> parameters, ReadOnlySpan<float> gradient)
        {
            for (int i = 0; i < parameters.Length; i++)
            {
                parameters[i] -= _rate * gradient[i];
            }
        }

        public void Reset()
        {
        }
    }
}
