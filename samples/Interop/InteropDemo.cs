using System;
using System.IO;
using Backprop;
using Backprop.Interop;
using Backprop.Optimizers;
using Backprop.Training;
using Microsoft.ML.OnnxRuntime;
using Samples.Shared;

namespace Interop;

/// <summary>
/// The Iris classifier PyTorch trained (<c>tools/pytorch-fixtures/make_fixtures.py</c>) on the raw measurements in
/// centimetres, its weights compiled in from <c>iris.onnx</c>: <c>new PyTorchIrisNet()</c> is the trained model.
/// </summary>
[Network(Loss.CrossEntropy, Weights = "iris.onnx")]
[Input(4)]
[Dense(8, Activation.Tanh)]
[Dense(3, Activation.Softmax)]
public partial class PyTorchIrisNet;

/// <summary>The same architecture, trained here and exported to ONNX.</summary>
[Network(Loss.CrossEntropy)]
[Input(4)]
[Dense(8, Activation.Tanh)]
[Dense(3, Activation.Softmax)]
public partial class IrisNet;

/// <summary>What <see cref="InteropDemo.Run"/> found.</summary>
/// <param name="PyTorchModel">The PyTorch-trained network, as compiled in.</param>
/// <param name="PyTorchAccuracy">Its accuracy on the 150 flowers.</param>
/// <param name="TrainedHere">The network trained here.</param>
/// <param name="TrainedAccuracy">Its accuracy on the 150 flowers.</param>
/// <param name="OnnxPath">Where it was exported.</param>
/// <param name="LargestDifference">The largest difference between ONNX Runtime's probabilities and the network's own.</param>
/// <param name="SamePredictions">The flowers for which both predict the same species.</param>
/// <param name="Measurements">The flowers' four measurements in centimetres, a row per flower.</param>
/// <param name="Species">Each flower's species, an index into <paramref name="SpeciesNames"/>.</param>
/// <param name="SpeciesNames">The species, in the order of the networks' outputs.</param>
public sealed record InteropResult(
    PyTorchIrisNet PyTorchModel,
    double PyTorchAccuracy,
    IrisNet TrainedHere,
    double TrainedAccuracy,
    string OnnxPath,
    double LargestDifference,
    int SamePredictions,
    float[] Measurements,
    int[] Species,
    string[] SpeciesNames)
{
    /// <summary>The number of flowers.</summary>
    public int Rows => Species.Length;
}

/// <summary>PyTorch → here through a compiled-in ONNX file, and here → ONNX Runtime through an exported one.</summary>
public static class InteropDemo
{
    /// <summary>The epochs the network trained here runs for.</summary>
    public const int DefaultEpochs = 60;

    /// <summary>Runs both directions. Everything is seeded: the same call gives the same numbers.</summary>
    /// <param name="onnxPath">Where to export the network trained here.</param>
    /// <param name="epochs">The epochs to train it for.</param>
    public static InteropResult Run(string onnxPath, int epochs = DefaultEpochs)
    {
        LabelledData flowers = LabelledData.ReadCsv(Path.Combine(AppContext.BaseDirectory, "iris.csv"));
        float[] inputs = flowers.Inputs((_, centimetres) => centimetres); // PyTorch trained on the raw measurements
        float[] targets = flowers.OneHotTargets();

        // PyTorch → here: no file is read; the weights are part of PyTorchIrisNet.
        var pytorch = new PyTorchIrisNet();
        double pytorchAccuracy = Evaluation.Accuracy(pytorch, inputs, targets);

        // Here → ONNX Runtime.
        var network = new IrisNet();
        network.InitializeParameters(seed: 1);
        var trainer = new Trainer<float>(network, new Adam<float>(IrisNet.ParameterCount) { LearningRate = 0.02f });
        trainer.Fit(inputs, targets, new TrainingOptions { Epochs = epochs, BatchSize = 16, Seed = 1 });
        double trainedAccuracy = Evaluation.Accuracy(network, inputs, targets);
        Onnx.Save(network, onnxPath);

        float[] ours = new float[flowers.Rows * IrisNet.OutputCount];
        network.ForwardBatch(inputs, ours);
        float[] theirs = RunOnnxRuntime(onnxPath, inputs, flowers.Rows);

        double largest = 0;
        int same = 0;
        for (int row = 0; row < flowers.Rows; row++)
        {
            Span<float> a = ours.AsSpan(row * IrisNet.OutputCount, IrisNet.OutputCount);
            Span<float> b = theirs.AsSpan(row * IrisNet.OutputCount, IrisNet.OutputCount);
            for (int k = 0; k < a.Length; k++)
            {
                largest = Math.Max(largest, Math.Abs(a[k] - b[k]));
            }

            same += ArgMax(a) == ArgMax(b) ? 1 : 0;
        }

        return new InteropResult(pytorch, pytorchAccuracy, network, trainedAccuracy, onnxPath, largest, same, inputs, flowers.Labels, flowers.Classes);
    }

    /// <summary>The exported model's outputs for every row, by ONNX Runtime: the model as any other program would run it.</summary>
    private static float[] RunOnnxRuntime(string path, float[] inputs, int rows)
    {
        using var session = new InferenceSession(path);
        using var input = OrtValue.CreateTensorValueFromMemory(inputs, [rows, IrisNet.InputCount]);
        using var runOptions = new RunOptions();
        using IDisposableReadOnlyCollection<OrtValue> outputs = session.Run(runOptions, [Onnx.InputName], [input], [Onnx.OutputName]);
        return outputs[0].GetTensorDataAsSpan<float>().ToArray();
    }

    public static int ArgMax(ReadOnlySpan<float> values)
    {
        int best = 0;
        for (int i = 1; i < values.Length; i++)
        {
            best = values[i] > values[best] ? i : best;
        }

        return best;
    }
}
