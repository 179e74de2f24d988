using System;
using System.IO;
using Backprop.Optimizers;
using Backprop.Serialization;
using Backprop.Training;
using Samples.Shared;

namespace Digits;

/// <summary>What <see cref="DigitsTraining.Run"/> achieved.</summary>
/// <param name="Training">The training run.</param>
/// <param name="TestAccuracy">The fraction of held-out test images the trained network classifies correctly.</param>
/// <param name="ReloadedTestAccuracy">The same, measured on a new network loaded from the saved model file.</param>
/// <param name="TestRows">The number of test images.</param>
/// <param name="ModelPath">Where the model was saved.</param>
/// <param name="ModelBytes">The size of the model file.</param>
public sealed record DigitsResult(TrainingResult Training, double TestAccuracy, double ReloadedTestAccuracy, int TestRows, string ModelPath, long ModelBytes);

/// <summary>
/// The 8×8 handwritten digits: 1,797 images of 64 pixels (0–16). A stratified 80/20 train/test split, pixels scaled
/// to [0, 1], AdamW on mini-batches of 32 with early stopping on a validation tenth; then the model is saved, loaded
/// into a fresh network and evaluated again.
/// </summary>
public static class DigitsTraining
{
    /// <summary>The most epochs the sample trains for (early stopping usually ends it sooner).</summary>
    public const int DefaultEpochs = 40;

    /// <summary>Trains, evaluates, saves to <paramref name="modelPath"/>, reloads and evaluates again.</summary>
    /// <param name="modelPath">The model file to write.</param>
    /// <param name="epochs">The most epochs to train for.</param>
    /// <param name="progress">Receives every epoch's losses and validation accuracy; optional.</param>
    public static DigitsResult Run(string modelPath, int epochs = DefaultEpochs, IProgress<EpochProgress>? progress = null)
    {
        LabelledData data = LabelledData.ReadCsv(Path.Combine(AppContext.BaseDirectory, "digits8x8.csv"));
        (LabelledData train, LabelledData test) = data.StratifiedSplit(testFraction: 0.2, seed: 1);
        static double Scale(int pixel, double value) => value / 16;
        float[] testInputs = test.Inputs(Scale);
        float[] testTargets = test.OneHotTargets();

        var network = new DigitsNet();
        network.InitializeParameters(seed: 1);
        var adamW = new Adam<float>(DigitsNet.ParameterCount) { LearningRate = 0.005f, WeightDecay = 1e-3f };
        var options = new TrainingOptions { Epochs = epochs, BatchSize = 32, Seed = 1, ValidationSplit = 0.1, EarlyStoppingPatience = 5 };
        TrainingResult training = new Trainer<float>(network, adamW).Fit(train.Inputs(Scale), train.OneHotTargets(), options, progress);
        double accuracy = Evaluation.Accuracy(network, testInputs, testTargets);

        NetworkSerializer.Save(network, modelPath);
        var reloaded = new DigitsNet();
        NetworkSerializer.Load(reloaded, modelPath);
        double reloadedAccuracy = Evaluation.Accuracy(reloaded, testInputs, testTargets);

        return new DigitsResult(training, accuracy, reloadedAccuracy, test.Rows, modelPath, new FileInfo(modelPath).Length);
    }
}
