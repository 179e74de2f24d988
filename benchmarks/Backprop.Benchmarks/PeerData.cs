using System.Buffers.Binary;

namespace Backprop.Benchmarks;

/// <summary>
/// What the out-of-process peers (<c>benchmarks/peers/fann_mlp.c</c>, <c>benchmarks/peers/pytorch_mlp.py</c>) are
/// given, one binary file per network, so that they run on the generated network's weights and the benchmark's
/// rows, and can check their outputs against the generated network's before timing.
/// </summary>
/// <remarks>
/// The format (little-endian; int = int32, float = IEEE 754 binary32), read by both scripts:
/// <code>
/// char  magic[8] = "BPPEER01"
/// int   L                         layers
/// int   sizes[L + 1]              inputs, then each layer's neurons
/// int   activations[L]            0 identity, 1 sigmoid, 2 tanh, 3 ReLU, 4 softmax
/// int   loss                      0 sum-squared error, 1 cross-entropy
/// int   R, B                      forward rows (256), training rows (32)
/// float learning_rate             the timed operations' rate (1e-4)
/// float check_rate                the checks' rate (0.05)
/// float parameters[P]             per layer: W row-major (neurons × inputs), then b
/// float inputs[R × in]            the ForwardBatch rows; the first B are the training rows; row 0 is TrainStep's
/// float targets[B × out]
/// float outputs[R × out]          the generated network's Forward of each row
/// float step_loss                 the generated TrainStep(row 0, check_rate): its loss
/// float step_parameters[P]        … and the parameters after it
/// float batch_loss                the generated TrainBatch(B rows, check_rate) from the same start: its mean loss
/// float batch_parameters[P]       … and the parameters after it
/// float fann_outputs[R × out]     FANN's network (below) on each row: the logits z of the output layer where it
///                                 is softmax, else the outputs
/// int   fann_trains_same          1 when FANN's training rule is defined on this network (no ReLU layer), then:
/// float fann_step_parameters[P]   FANN's network after TrainStep(row 0, check_rate) with sum-squared error
/// float fann_batch_parameters[P]  FANN's network after TrainBatch(B rows, check_rate) with sum-squared error
/// </code>
/// FANN's network is this one with the softmax output layer made linear (FANN has no softmax) and, then, the loss
/// sum-squared error on those linear outputs; the expectations for it come from the textbook loop, which the
/// workload's verification checks against the generated network on the real one.
/// </remarks>
public static class PeerData
{
    public const string Magic = "BPPEER01";

    /// <summary>Writes <paramref name="workload"/>'s file to <paramref name="path"/>; leaves the network's parameters as they were.</summary>
    public static void Write(Workload workload, string path)
    {
        Shape shape = workload.Shape;
        INetwork<float> net = workload.Generated;
        float[] initial = net.Parameters.ToArray();
        float[] outputs = new float[Workload.ForwardRows * shape.OutputCount];
        for (int r = 0; r < Workload.ForwardRows; r++)
        {
            net.Forward(workload.ForwardInputs.AsSpan(r * shape.InputCount, shape.InputCount), outputs.AsSpan(r * shape.OutputCount, shape.OutputCount));
        }

        float stepLoss = net.TrainStep(workload.Input, workload.Target, Workload.CheckLearningRate);
        float[] stepParameters = net.Parameters.ToArray();
        initial.CopyTo(net.Parameters);
        float batchLoss = net.TrainBatch(workload.Inputs, workload.Targets, Workload.CheckLearningRate);
        float[] batchParameters = net.Parameters.ToArray();
        initial.CopyTo(net.Parameters);

        Shape fann = FannShape(shape);
        TextbookMlp fannNet = new(fann);
        fannNet.SetParameters(initial);
        float[] fannOutputs = new float[outputs.Length];
        for (int r = 0; r < Workload.ForwardRows; r++)
        {
            Span<float> row = fannOutputs.AsSpan(r * shape.OutputCount, shape.OutputCount);
            fannNet.Forward(workload.ForwardInputs.AsSpan(r * shape.InputCount, shape.InputCount), row);
            // The chain the FANN harness's check relies on: softmax of these logits is the generated network's output.
            if (shape.Activations[^1] == Activation.Softmax)
            {
                float[] probabilities = Softmax(row);
                workload.Check($"FANN's logits (textbook, linear output), softmax of row {r}", outputs.AsSpan(r * shape.OutputCount, shape.OutputCount), probabilities);
            }
        }

        bool fannTrainsSame = !shape.Activations.Contains(Activation.ReLU);
        float[] fannStepParameters = [], fannBatchParameters = [];
        if (fannTrainsSame)
        {
            fannNet.TrainStep(workload.Input, workload.Target, Workload.CheckLearningRate);
            fannStepParameters = fannNet.GetParameters();
            fannNet.SetParameters(initial);
            fannNet.TrainBatch(workload.Inputs, workload.Targets, Workload.CheckLearningRate);
            fannBatchParameters = fannNet.GetParameters();
        }

        using BinaryWriter file = new(File.Create(path)); // BinaryWriter writes little-endian on every platform
        file.Write(Magic.Select(c => (byte)c).ToArray());
        file.Write(shape.LayerCount);
        Array.ForEach(shape.Sizes, file.Write);
        foreach (Activation activation in shape.Activations)
        {
            file.Write(activation switch
            {
                Activation.Identity => 0,
                Activation.Sigmoid => 1,
                Activation.Tanh => 2,
                Activation.ReLU => 3,
                Activation.Softmax => 4,
                _ => throw new NotSupportedException($"{activation} has no code in the peers' file format."),
            });
        }

        file.Write(shape.Loss switch
        {
            Loss.SumSquaredError => 0,
            Loss.CrossEntropy => 1,
            _ => throw new NotSupportedException($"{shape.Loss} has no code in the peers' file format."),
        });
        file.Write(Workload.ForwardRows);
        file.Write(Workload.BatchRows);
        file.Write(Workload.LearningRate);
        file.Write(Workload.CheckLearningRate);
        Floats(file, initial);
        Floats(file, workload.ForwardInputs);
        Floats(file, workload.Targets);
        Floats(file, outputs);
        file.Write(stepLoss);
        Floats(file, stepParameters);
        file.Write(batchLoss);
        Floats(file, batchParameters);
        Floats(file, fannOutputs);
        file.Write(fannTrainsSame ? 1 : 0);
        Floats(file, fannStepParameters);
        Floats(file, fannBatchParameters);
    }

    /// <summary>
    /// The network FANN runs for <paramref name="shape"/>: the same, but a softmax output layer is linear
    /// (Identity) and trained with sum-squared error.
    /// </summary>
    public static Shape FannShape(Shape shape) =>
        shape.Activations[^1] != Activation.Softmax
            ? shape
            : shape with
            {
                Activations = [.. shape.Activations[..^1], Activation.Identity],
                Loss = Loss.SumSquaredError,
                CreateGenerated = () => throw new NotSupportedException("FANN's network has no generated form."),
            };

    private static void Floats(BinaryWriter file, float[] values)
    {
        byte[] bytes = new byte[values.Length * sizeof(float)];
        for (int i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * sizeof(float)), values[i]);
        }

        file.Write(bytes);
    }

    private static float[] Softmax(ReadOnlySpan<float> z)
    {
        double max = double.NegativeInfinity;
        foreach (float value in z)
        {
            max = Math.Max(max, value);
        }

        double[] e = new double[z.Length];
        double sum = 0;
        for (int k = 0; k < z.Length; k++)
        {
            sum += e[k] = Math.Exp(z[k] - max);
        }

        return [.. e.Select(value => (float)(value / sum))];
    }
}
