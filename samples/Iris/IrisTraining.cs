using System;
using System.IO;
using Backprop.Optimizers;
using Backprop.Training;
using Samples.Shared;

namespace Iris;

/// <summary>What <see cref="IrisTraining.Run"/> achieved.</summary>
/// <param name="Network">The trained network.</param>
/// <param name="Training">The training run: history (the loss curve), stop reason, best epoch.</param>
/// <param name="TestAccuracy">The fraction of the held-out test flowers classified correctly.</param>
/// <param name="TestRows">The number of test flowers.</param>
/// <param name="TrainRows">The number of flowers used for training and validation together.</param>
public sealed record IrisResult(IrisNet Network, TrainingResult Training, double TestAccuracy, int TestRows, int TrainRows);

/// <summary>
/// Fisher's Iris data: 150 flowers, 4 measurements, 3 species. A stratified 70/30 train/test split, features
/// standardised with the training rows' statistics, Adam on mini-batches of 16 with a fifth of the training rows
/// held out for validation, and the test accuracy of the result.
/// </summary>
public static class IrisTraining
{
    /// <summary>The epochs the sample trains for.</summary>
    public const int DefaultEpochs = 100;

    /// <summary>Trains and evaluates. Everything is seeded: the same call gives the same network.</summary>
    /// <param name="epochs">The number of epochs.</param>
    /// <param name="progress">Receives every epoch's losses and validation accuracy; optional.</param>
    public static IrisResult Run(int epochs = DefaultEpochs, IProgress<EpochProgress>? progress = null)
    {
        LabelledData data = LabelledData.ReadCsv(Path.Combine(AppContext.BaseDirectory, "iris.csv"));
        (LabelledData train, LabelledData test) = data.StratifiedSplit(testFraction: 0.3, seed: 1);
        Standardizer standardizer = train.FitStandardizer();

        var network = new IrisNet();
        network.InitializeParameters(seed: 1);
        var trainer = new Trainer<float>(network, new Adam<float>(IrisNet.ParameterCount) { LearningRate = 0.01f });
        var options = new TrainingOptions { Epochs = epochs, BatchSize = 16, Seed = 1, ValidationSplit = 0.2 };

        TrainingResult training = trainer.Fit(train.Inputs(standardizer.Apply), train.OneHotTargets(), options, progress);

        double accuracy = Evaluation.Accuracy(network, test.Inputs(standardizer.Apply), test.OneHotTargets());
        return new IrisResult(network, training, accuracy, test.Rows, train.Rows);
    }
}
