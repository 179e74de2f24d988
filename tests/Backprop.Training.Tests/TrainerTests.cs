using System.Runtime.CompilerServices;
using Backprop.Optimizers;

namespace Backprop.Training.Tests;

public class TrainerTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly TrainingOptions Options = new() { Epochs = 30, BatchSize = 8, Seed = 7, ValidationSplit = 0.25 };

    [Fact]
    public void Fit_learns_separable_blobs_and_reports_every_epoch()
    {
        (float[] x, float[] y) = Data.Blobs<float>(120, seed: 1);
        var network = new Classifier();
        var trainer = new Trainer<float>(network, new Adam<float>(Classifier.ParameterCount) { LearningRate = 0.02f });
        var reports = new List<EpochProgress>();

        TrainingResult result = trainer.Fit(x, y, Options, new SynchronousProgress<EpochProgress>(reports.Add), cancellationToken: Ct);

        Assert.Equal(TrainingStopReason.Completed, result.StopReason);
        Assert.Equal(30, result.EpochsCompleted);
        Assert.Equal(reports, result.History);
        Assert.Equal(Enumerable.Range(1, 30), reports.Select(r => r.Epoch));
        Assert.All(reports, r => Assert.Equal(30, r.Epochs));
        Assert.True(reports[^1].TrainLoss < reports[0].TrainLoss / 3, $"train loss {reports[0].TrainLoss} → {reports[^1].TrainLoss}");
        Assert.True(reports[^1].ValidationAccuracy >= 0.9, $"validation accuracy {reports[^1].ValidationAccuracy}");
        Assert.True(reports.Zip(reports.Skip(1)).All(p => p.First.Elapsed <= p.Second.Elapsed), "Elapsed must not go backwards.");
        Assert.Equal((90, 30), (result.TrainingRows, result.ValidationRows));
    }

    [Fact]
    public void Same_seed_and_data_give_bit_identical_parameters()
    {
        float[] first = TrainedParameters(seed: 7);
        float[] second = TrainedParameters(seed: 7);
        float[] otherSeed = TrainedParameters(seed: 8);

        Assert.Equal(first, second);
        Assert.NotEqual(first, otherSeed);
    }

    [Fact]
    public void Validation_split_holds_out_rounded_fraction_of_rows()
    {
        (float[] x, float[] y) = Data.Blobs<float>(10, seed: 1);
        var trainer = new Trainer<float>(new Classifier(), new Sgd<float>(Classifier.ParameterCount));

        TrainingResult result = trainer.Fit(x, y, new TrainingOptions { Epochs = 1, ValidationSplit = 0.25 }, cancellationToken: Ct);

        Assert.Equal((7, 3), (result.TrainingRows, result.ValidationRows));
        Assert.NotNull(result.Final.ValidationLoss);
    }

    [Fact]
    public void Without_validation_there_is_no_validation_loss_and_the_best_epoch_is_the_last()
    {
        (float[] x, float[] y) = Data.Blobs<float>(30, seed: 1);
        var trainer = new Trainer<float>(new Classifier(), new Sgd<float>(Classifier.ParameterCount));

        TrainingResult result = trainer.Fit(x, y, new TrainingOptions { Epochs = 3 }, cancellationToken: Ct);

        Assert.Null(result.Final.ValidationLoss);
        Assert.Null(result.Final.ValidationAccuracy);
        Assert.Null(result.BestValidationLoss);
        Assert.Equal(3, result.BestEpoch);
        Assert.Equal(0, result.ValidationRows);
    }

    [Fact]
    public void Regression_reports_validation_loss_but_no_accuracy()
    {
        double[] x = Data.Uniform<double>(40 * 3, seed: 2);
        double[] y = Data.Uniform<double>(40 * 2, seed: 3);
        var trainer = new Trainer<double>(new RegressorDouble(), new Adam<double>(RegressorDouble.ParameterCount));

        TrainingResult result = trainer.Fit(x, y, new TrainingOptions { Epochs = 2, ValidationSplit = 0.2 }, cancellationToken: Ct);

        Assert.NotNull(result.Final.ValidationLoss);
        Assert.Null(result.Final.ValidationAccuracy);
    }

    [Fact]
    public void Early_stopping_stops_after_patience_and_restores_the_best_parameters()
    {
        // Random labels: the network memorises the training rows and the validation loss soon rises.
        (float[] x, float[] y) = Data.Noise(60, seed: 3);
        (float[] vx, float[] vy) = Data.Noise(40, seed: 4);
        var network = new Classifier();
        var trainer = new Trainer<float>(network, new Adam<float>(Classifier.ParameterCount) { LearningRate = 0.05f });

        TrainingResult result = trainer.Fit(x, y, vx, vy, new TrainingOptions { Epochs = 1000, BatchSize = 10, EarlyStoppingPatience = 5 }, cancellationToken: Ct);

        Assert.Equal(TrainingStopReason.EarlyStopped, result.StopReason);
        Assert.Equal(result.BestEpoch + 5, result.EpochsCompleted);
        Assert.True(result.RestoredBestParameters);
        Assert.Equal(result.History.Min(h => h.ValidationLoss), result.BestValidationLoss);
        Assert.Equal(result.BestValidationLoss, Evaluation.MeanLoss(network, vx, vy));
    }

    [Fact]
    public void Early_stopping_can_keep_the_last_parameters()
    {
        (float[] x, float[] y) = Data.Noise(60, seed: 3);
        (float[] vx, float[] vy) = Data.Noise(40, seed: 4);
        var network = new Classifier();
        var trainer = new Trainer<float>(network, new Adam<float>(Classifier.ParameterCount) { LearningRate = 0.05f });

        TrainingResult result = trainer.Fit(x, y, vx, vy, new TrainingOptions { Epochs = 1000, BatchSize = 10, EarlyStoppingPatience = 5, RestoreBestParameters = false }, cancellationToken: Ct);

        Assert.False(result.RestoredBestParameters);
        Assert.Equal(result.Final.ValidationLoss, Evaluation.MeanLoss(network, vx, vy));
    }

    [Fact]
    public void Early_stopping_without_validation_rows_is_an_error()
    {
        (float[] x, float[] y) = Data.Blobs<float>(30, seed: 1);
        var trainer = new Trainer<float>(new Classifier(), new Sgd<float>(Classifier.ParameterCount));

        var error = Assert.Throws<ArgumentException>(() => trainer.Fit(x, y, new TrainingOptions { EarlyStoppingPatience = 3 }, cancellationToken: Ct));

        Assert.Contains("validation", error.Message);
    }

    [Fact]
    public void Cancellation_stops_at_the_next_batch()
    {
        (float[] x, float[] y) = Data.Blobs<float>(60, seed: 1);
        var trainer = new Trainer<float>(new Classifier(), new Sgd<float>(Classifier.ParameterCount));
        using var cancellation = new CancellationTokenSource();
        int reported = 0;
        var progress = new SynchronousProgress<EpochProgress>(p =>
        {
            reported = p.Epoch;
            if (p.Epoch == 3)
            {
                cancellation.Cancel();
            }
        });

        Assert.ThrowsAny<OperationCanceledException>(() => trainer.Fit(x, y, new TrainingOptions { Epochs = 100 }, progress, cancellation.Token));
        Assert.Equal(3, reported);
    }

    [Fact]
    public void Divergence_stops_training_says_where_and_restores_the_parameters_its_epoch_began_with()
    {
        double[] x = Data.Uniform<double>(20 * 3, seed: 2, scale: 10);
        double[] y = Data.Uniform<double>(20 * 2, seed: 3, scale: 10);
        var network = new RegressorDouble();
        network.InitializeParameters(4);
        double[] initial = network.Parameters.ToArray();
        var trainer = new Trainer<double>(network, new Sgd<double>(RegressorDouble.ParameterCount) { LearningRate = 1e30 });

        TrainingResult result = trainer.Fit(x, y, new TrainingOptions { Epochs = 100, BatchSize = 4, Shuffle = false }, cancellationToken: Ct);

        // The first step multiplies the weights by about 1e30: the second batch's loss is far past 10⁴ times the first's.
        Assert.Equal(TrainingStopReason.Diverged, result.StopReason);
        TrainingDivergence divergence = Assert.IsType<TrainingDivergence>(result.Divergence);
        Assert.Equal((1, 2), (divergence.Epoch, divergence.Batch));
        Assert.True(divergence.Loss > divergence.Limit, divergence.Message);
        Assert.StartsWith("Training diverged at batch 2 of epoch 1: its mean loss was", divergence.Message, StringComparison.Ordinal);
        Assert.Equal(1, result.EpochsCompleted);
        Assert.Equal(initial, network.Parameters.ToArray());
    }

    [Fact]
    public void A_loss_that_grows_past_the_limit_is_divergence_and_an_infinite_factor_waits_for_one_that_is_not_finite()
    {
        // A linear network with a rate a little too large (2.0; 1.5 converges): the loss grows about fourfold per epoch.
        double[] x = Data.Uniform<double>(20 * 3, seed: 2, scale: 1);
        double[] y = Data.Uniform<double>(20 * 2, seed: 3, scale: 1);
        var network = new OnnxIdentityDouble();
        var trainer = new Trainer<double>(network, new Sgd<double>(OnnxIdentityDouble.ParameterCount) { LearningRate = 2.0 });

        TrainingResult result = trainer.Fit(x, y, new TrainingOptions { Epochs = 1000, BatchSize = 20 }, cancellationToken: Ct);

        Assert.Equal(TrainingStopReason.Diverged, result.StopReason);
        TrainingDivergence divergence = result.Divergence!;
        Assert.True(double.IsFinite(divergence.Loss) && divergence.Loss > divergence.Limit, divergence.Message);
        // One batch per epoch: the diverging epoch's first batch failed, so the parameters are those the epoch before began with.
        Assert.Equal((1, divergence.Epoch - 1), (divergence.Batch, divergence.RestoredEpoch));
        Assert.All(network.Parameters.ToArray(), p => Assert.True(double.IsFinite(p)));
        Assert.True(Evaluation.MeanLoss(network, x, y) <= divergence.Limit);

        var patient = new OnnxIdentityDouble();
        var patientTrainer = new Trainer<double>(patient, new Sgd<double>(OnnxIdentityDouble.ParameterCount) { LearningRate = 2.0 });
        TrainingResult waited = patientTrainer.Fit(x, y, new TrainingOptions { Epochs = 1000, BatchSize = 20, DivergenceFactor = double.PositiveInfinity }, cancellationToken: Ct);

        Assert.Equal(TrainingStopReason.Diverged, waited.StopReason);
        Assert.False(double.IsFinite(waited.Divergence!.Loss));
        Assert.True(waited.EpochsCompleted > result.EpochsCompleted);
        Assert.All(patient.Parameters.ToArray(), p => Assert.True(double.IsFinite(p)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TrainingOptions { DivergenceFactor = 1 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new TrainingOptions { DivergenceFactor = double.NaN });
    }

    [Theory]
    [InlineData(-0.5f, 0, 1, "holds -0.5 at row 1, column 0: cross-entropy targets are a distribution")]
    [InlineData(0f, 0, 2, "row 2 is all zeros: a cross-entropy target names its class")]
    public void Cross_entropy_targets_must_be_a_distribution(float value, int column, int row, string message)
    {
        (float[] x, float[] y) = Data.Blobs<float>(5, seed: 1);
        y.AsSpan(row * 3, 3).Clear();
        y[(row * 3) + column] = value;
        var network = new Classifier();
        float[] before = network.Parameters.ToArray();
        var trainer = new Trainer<float>(network, new Sgd<float>(Classifier.ParameterCount));

        var exception = Assert.Throws<ArgumentException>(() => trainer.Fit(x, y, new TrainingOptions { Epochs = 2 }, cancellationToken: Ct));
        Assert.Contains(message, exception.Message, StringComparison.Ordinal);
        Assert.Equal("targets", exception.ParamName);
        Assert.Throws<ArgumentException>(() => trainer.TrainBatch(x, y));
        Assert.Equal(before, network.Parameters.ToArray());
    }

    [Fact]
    public void Binary_cross_entropy_targets_must_be_probabilities()
    {
        float[] x = [0, 0, 0, 1, 1, 0, 1, 1];
        float[] y = [0, 1, 2, 0]; // a class index where a probability belongs
        var network = new BinaryClassifier();
        float[] before = network.Parameters.ToArray();
        var trainer = new Trainer<float>(network, new Sgd<float>(BinaryClassifier.ParameterCount));

        var exception = Assert.Throws<ArgumentException>(() => trainer.Fit(x, y, new TrainingOptions { Epochs = 2 }, cancellationToken: Ct));
        Assert.Contains("holds 2 at row 2, column 0: binary cross-entropy targets are probabilities in [0, 1]", exception.Message, StringComparison.Ordinal);
        Assert.Equal(before, network.Parameters.ToArray());

        float[] validationTargets = [0, 1, -1, 0];
        var validation = Assert.Throws<ArgumentException>(() => trainer.Fit([0, 0, 0, 1], [0, 1], x, validationTargets, new TrainingOptions { Epochs = 2 }, cancellationToken: Ct));
        Assert.Equal("validationTargets", validation.ParamName);
    }

    [Fact]
    public void Accuracy_refuses_a_network_that_does_not_classify()
    {
        var regressor = new Regressor();
        var exception = Assert.Throws<ArgumentException>(() => Evaluation.Accuracy(regressor, new float[3], new float[2]));
        Assert.Contains("output layer is Dense(2, Identity)", exception.Message, StringComparison.Ordinal);
        Assert.Contains("MeanLoss", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TrainBatch_takes_one_step_on_the_mean_gradient()
    {
        (float[] x, float[] y) = Data.Blobs<float>(5, seed: 1);
        var viaTrainer = new Classifier();
        var viaNetwork = new Classifier();
        var trainer = new Trainer<float>(viaTrainer, new Sgd<float>(Classifier.ParameterCount) { LearningRate = 0.3f });

        float trainerLoss = trainer.TrainBatch(x, y);
        float networkLoss = viaNetwork.TrainBatch(x, y, 0.3f);

        Assert.Equal(networkLoss, trainerLoss, 1e-6f);
        for (int i = 0; i < Classifier.ParameterCount; i++)
        {
            Assert.Equal(viaNetwork.Parameters[i], viaTrainer.Parameters[i], 1e-6f);
        }
    }

    [Fact]
    public void TrainEpoch_visits_the_given_rows_in_batches()
    {
        (double[] x, double[] y) = Data.Blobs<double>(7, seed: 1);
        var viaEpoch = new ClassifierDouble();
        var viaBatches = new ClassifierDouble();
        var epochTrainer = new Trainer<double>(viaEpoch, new Sgd<double>(ClassifierDouble.ParameterCount) { LearningRate = 0.1 });
        var batchTrainer = new Trainer<double>(viaBatches, new Sgd<double>(ClassifierDouble.ParameterCount) { LearningRate = 0.1 });

        double loss = epochTrainer.TrainEpoch(x, y, [6, 0, 3, 5, 1], batchSize: 2, cancellationToken: Ct);

        // Batches [6, 0], [3, 5], [1]: the last holds what is left.
        double sum = 0;
        foreach (int[] batch in new[] { new[] { 6, 0 }, new[] { 3, 5 }, new[] { 1 } })
        {
            double[] bx = batch.SelectMany(r => x.Skip(r * 4).Take(4)).ToArray();
            double[] by = batch.SelectMany(r => y.Skip(r * 3).Take(3)).ToArray();
            sum += batchTrainer.TrainBatch(bx, by) * batch.Length;
        }

        Assert.Equal(sum / 5, loss, 1e-12);
        Assert.Equal(viaBatches.Parameters.ToArray(), viaEpoch.Parameters.ToArray());
    }

    [Fact]
    public void TrainEpoch_and_TrainBatch_allocate_nothing()
    {
        (float[] x, float[] y) = Data.Blobs<float>(64, seed: 1);
        var trainer = new Trainer<float>(new Classifier(), new Adam<float>(Classifier.ParameterCount));
        int[] order = Enumerable.Range(0, 64).Reverse().ToArray();
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

    [Fact]
    public void Fit_allocates_per_call_not_per_epoch_or_step()
    {
        // Validation, accuracy, early stopping with restore and shuffling all on: only the history grows with the
        // epochs, by one EpochProgress (a struct) each.
        (float[] x, float[] y) = Data.Blobs<float>(64, seed: 1);
        var trainer = new Trainer<float>(new Classifier(), new Adam<float>(Classifier.ParameterCount));
        TrainingOptions Epochs(int epochs) => new() { Epochs = epochs, BatchSize = 4, ValidationSplit = 0.25, EarlyStoppingPatience = 1000 };
        Fit(1);
        Fit(20);

        long one = Fit(1);
        long twenty = Fit(20);

        long perEpoch = Unsafe.SizeOf<EpochProgress>();
        Assert.True(one > 0, "The measurement sees nothing: Fit allocates its row indices and result at least.");
        Assert.True(twenty - one <= 19 * perEpoch + 8, $"1 epoch allocated {one} bytes, 20 epochs {twenty}: {(twenty - one) / 19.0:F1} bytes per epoch, more than one EpochProgress ({perEpoch}).");

        long Fit(int epochs)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            trainer.Fit(x, y, Epochs(epochs), cancellationToken: Ct);
            return GC.GetAllocatedBytesForCurrentThread() - before;
        }
    }

    [Fact]
    public void Arguments_are_checked()
    {
        (float[] x, float[] y) = Data.Blobs<float>(10, seed: 1);
        var network = new Classifier();
        var trainer = new Trainer<float>(network, new Sgd<float>(Classifier.ParameterCount));

        var optimizer = Assert.Throws<ArgumentException>(() => new Trainer<float>(network, new Sgd<float>(5)));
        Assert.Contains("67 parameters", optimizer.Message);
        Assert.Equal("inputs", Assert.Throws<ArgumentException>(() => trainer.Fit(x.AsSpan(1), y, Options, cancellationToken: Ct)).ParamName);
        Assert.Equal("targets", Assert.Throws<ArgumentException>(() => trainer.Fit(x, y.AsSpan(3), Options, cancellationToken: Ct)).ParamName);
        Assert.Equal("validationTargets", Assert.Throws<ArgumentException>(() => trainer.Fit(x, y, x, y.AsSpan(3), Options, cancellationToken: Ct)).ParamName);
        Assert.Throws<ArgumentException>(() => trainer.Fit(x.AsSpan(0, 4), y.AsSpan(0, 3), new TrainingOptions { ValidationSplit = 0.9 }, cancellationToken: Ct));
        Assert.Throws<ArgumentOutOfRangeException>(() => trainer.TrainEpoch(x, y, [0, 10], batchSize: 1, cancellationToken: Ct));
        Assert.Throws<ArgumentOutOfRangeException>(() => trainer.TrainEpoch(x, y, [0], batchSize: 0, cancellationToken: Ct));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TrainingOptions { Epochs = 0 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new TrainingOptions { BatchSize = 0 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new TrainingOptions { ValidationSplit = 1 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new TrainingOptions { EarlyStoppingPatience = 0 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new TrainingOptions { EarlyStoppingMinDelta = -1 });
    }

    [Fact]
    public void Evaluation_measures_loss_and_accuracy()
    {
        var network = new BinaryClassifier();
        float[] x = [0, 0, 0, 1, 1, 0, 1, 1];
        float[] y = [0, 1, 1, 0];
        var output = new float[1];
        int correct = 0;
        double lossSum = 0;
        for (int row = 0; row < 4; row++)
        {
            network.Forward(x.AsSpan(row * 2, 2), output);
            correct += (output[0] >= 0.5f) == (y[row] >= 0.5f) ? 1 : 0;
            lossSum += network.ComputeLoss(x.AsSpan(row * 2, 2), y.AsSpan(row, 1));
        }

        Assert.Equal(correct / 4.0, Evaluation.Accuracy(network, x, y));
        Assert.Equal(lossSum / 4, Evaluation.MeanLoss(network, x, y), 1e-12);

        var classifier = new ClassifierDouble();
        (double[] bx, double[] by) = Data.Blobs<double>(30, seed: 5);
        new Trainer<double>(classifier, new Adam<double>(ClassifierDouble.ParameterCount) { LearningRate = 0.05 })
            .Fit(bx, by, new TrainingOptions { Epochs = 20, BatchSize = 5 }, cancellationToken: Ct);
        Assert.True(Evaluation.Accuracy(classifier, bx, by) > 0.9);
    }

    private static float[] TrainedParameters(int seed)
    {
        (float[] x, float[] y) = Data.Blobs<float>(90, seed: 1);
        var network = new Classifier();
        network.InitializeParameters(3);
        var trainer = new Trainer<float>(network, new Adam<float>(Classifier.ParameterCount) { LearningRate = 0.01f });
        trainer.Fit(x, y, Options with { Seed = seed, Epochs = 5 }, cancellationToken: Ct);
        return network.Parameters.ToArray();
    }

    /// <summary>Reports on the training thread, unlike <see cref="Progress{T}"/>, which posts to the thread pool.</summary>
    [Theory]
    [InlineData("inputs")]
    [InlineData("targets")]
    [InlineData("validationInputs")]
    [InlineData("validationTargets")]
    public void Every_training_call_refuses_a_non_finite_value_naming_its_row_and_changes_nothing(string where)
    {
        (float[] x, float[] y) = Data.Blobs<float>(40, seed: 2);
        (float[] vx, float[] vy) = Data.Blobs<float>(10, seed: 3);
        float[] bad = where switch { "inputs" => x, "targets" => y, "validationInputs" => vx, _ => vy };
        int width = where.EndsWith("nputs", StringComparison.Ordinal) ? Classifier.InputCount : Classifier.OutputCount;
        bad[(7 * width) + 1] = float.NaN;
        var network = new Classifier();
        network.InitializeParameters(4);
        float[] before = network.Parameters.ToArray();
        var trainer = new Trainer<float>(network, new Adam<float>(Classifier.ParameterCount));
        var options = new TrainingOptions { Epochs = 2, BatchSize = 8 };

        var calls = new List<Action> { () => trainer.Fit(x, y, vx, vy, options, cancellationToken: Ct) };
        if (!where.StartsWith("validation", StringComparison.Ordinal))
        {
            calls.Add(() => trainer.Fit(x, y, options, cancellationToken: Ct));
            calls.Add(() => trainer.TrainBatch(x, y));
            calls.Add(() => trainer.TrainEpoch(x, y, [.. Enumerable.Range(0, 40)], 8, Ct));
        }

        foreach (Action call in calls)
        {
            ArgumentException e = Assert.Throws<ArgumentException>(call);
            Assert.Equal(where, e.ParamName);
            Assert.Contains("row 7, column 1", e.Message, StringComparison.Ordinal);
            Assert.Equal(before, network.Parameters.ToArray());
        }
    }
}
