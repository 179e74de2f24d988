using System;
using System.IO;
using System.Linq;
using Backprop.Optimizers;
using Backprop.Training;
using Samples.Shared;

namespace LogisticRegression;

/// <summary>What <see cref="LogisticRegressionTraining.Run"/> achieved.</summary>
/// <param name="Network">The trained model: <c>Parameters</c> holds w₁…w₄ for the standardised features, then b.</param>
/// <param name="Training">The training run.</param>
/// <param name="TestAccuracy">The fraction of held-out flowers whose "virginica or not" is predicted correctly.</param>
/// <param name="TestRows">The number of test flowers.</param>
/// <param name="FeatureNames">The names of the four features, in input order.</param>
public sealed record LogisticRegressionResult(VirginicaNet Network, TrainingResult Training, double TestAccuracy, int TestRows, string[] FeatureNames);

/// <summary>
/// Is this iris a virginica? Logistic regression on the four standardised measurements: a stratified 70/30 split,
/// plain SGD on mini-batches of 8.
/// </summary>
public static class LogisticRegressionTraining
{
    /// <summary>The epochs the sample trains for.</summary>
    public const int DefaultEpochs = 100;

    /// <summary>Trains and evaluates. Everything is seeded.</summary>
    /// <param name="epochs">The number of epochs.</param>
    /// <param name="progress">Receives every epoch's losses and validation accuracy; optional.</param>
    public static LogisticRegressionResult Run(int epochs = DefaultEpochs, IProgress<EpochProgress>? progress = null)
    {
        string path = Path.Combine(AppContext.BaseDirectory, "iris.csv");
        LabelledData data = LabelledData.ReadCsv(path).OneVersusRest("virginica");
        (LabelledData train, LabelledData test) = data.StratifiedSplit(testFraction: 0.3, seed: 2);
        Standardizer standardizer = train.FitStandardizer();

        var network = new VirginicaNet();
        network.InitializeParameters(seed: 1);
        var sgd = new Sgd<float>(VirginicaNet.ParameterCount) { LearningRate = 0.1f };
        var options = new TrainingOptions { Epochs = epochs, BatchSize = 8, Seed = 1, ValidationSplit = 0.2 };
        TrainingResult training = new Trainer<float>(network, sgd).Fit(train.Inputs(standardizer.Apply), train.LabelTargets(), options, progress);

        double accuracy = Evaluation.Accuracy(network, test.Inputs(standardizer.Apply), test.LabelTargets());
        string[] featureNames = File.ReadLines(path).First().Split(',')[..^1];
        return new LogisticRegressionResult(network, training, accuracy, test.Rows, featureNames);
    }
}
