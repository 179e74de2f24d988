namespace Backprop.Benchmarks;

/// <summary>
/// One network's three implementations with the same parameters, and the data they run on: 32 rows of
/// inputs in [−1, 1] with one-hot targets (cross-entropy) or targets in [0, 1] (squared error), and 256 rows
/// of inputs for ForwardBatch (the first 32 are the training rows). The peers (ONNX Runtime, FANN, PyTorch)
/// get the same parameters and rows (<see cref="PeerData"/>).
/// </summary>
public sealed class Workload
{
    public const int BatchRows = 32;

    /// <summary>The rows of the ForwardBatch operation; its times are reported per row.</summary>
    public const int ForwardRows = 256;

    public const float LearningRate = 1e-4f;

    /// <summary>The rate of the checks (not timed): large enough that a wrong gradient shows in the parameters.</summary>
    public const float CheckLearningRate = 0.05f;
    private const int Seed = 5;

    public Workload(Shape shape)
    {
        Shape = shape;
        Generated = shape.CreateGenerated();
        Generated.InitializeParameters(Seed);
        Textbook = new TextbookMlp(shape);
        Tensor = new TensorPrimitivesMlp(shape);
        Reset();

        Random random = new(Seed);
        Inputs = new float[BatchRows * shape.InputCount];
        Targets = new float[BatchRows * shape.OutputCount];
        for (int i = 0; i < Inputs.Length; i++)
        {
            Inputs[i] = (float)(random.NextDouble() * 2 - 1);
        }

        for (int r = 0; r < BatchRows; r++)
        {
            Span<float> target = Targets.AsSpan(r * shape.OutputCount, shape.OutputCount);
            if (shape.Loss == Loss.CrossEntropy)
            {
                target[random.Next(shape.OutputCount)] = 1f;
            }
            else
            {
                for (int k = 0; k < target.Length; k++)
                {
                    target[k] = (float)random.NextDouble();
                }
            }
        }

        Output = new float[shape.OutputCount];
        ForwardInputs = new float[ForwardRows * shape.InputCount];
        Inputs.CopyTo(ForwardInputs, 0);
        for (int i = Inputs.Length; i < ForwardInputs.Length; i++)
        {
            ForwardInputs[i] = (float)(random.NextDouble() * 2 - 1);
        }

        ForwardOutputs = new float[ForwardRows * shape.OutputCount];
    }

    public Shape Shape { get; }

    public INetwork<float> Generated { get; }

    public TextbookMlp Textbook { get; }

    public TensorPrimitivesMlp Tensor { get; }

    public float[] Inputs { get; }

    public float[] Targets { get; }

    public float[] Output { get; }

    /// <summary><see cref="ForwardRows"/> rows of inputs, concatenated; the first <see cref="BatchRows"/> are <see cref="Inputs"/>.</summary>
    public float[] ForwardInputs { get; }

    /// <summary>Room for the outputs of <see cref="ForwardInputs"/>.</summary>
    public float[] ForwardOutputs { get; }

    public ReadOnlySpan<float> Input => Inputs.AsSpan(0, Shape.InputCount);

    public ReadOnlySpan<float> Target => Targets.AsSpan(0, Shape.OutputCount);

    /// <summary>Gives the baselines the generated network's current parameters.</summary>
    public void Reset()
    {
        Textbook.SetParameters(Generated.Parameters);
        Generated.Parameters.CopyTo(Tensor.Parameters);
    }

    /// <summary>
    /// Throws unless the baselines compute what the generated network computes: the outputs of Forward, the
    /// loss of TrainStep and TrainBatch and the parameters after each, to a relative 1e-4 (float sums in
    /// another order). Not timed: run once from the global setup (and by <c>--verify</c>); leaves all
    /// three with the generated network's initial parameters.
    /// </summary>
    public void Verify()
    {
        float[] initial = Generated.Parameters.ToArray();
        float[] expected = new float[Shape.OutputCount], actual = new float[Shape.OutputCount];
        for (int r = 0; r < BatchRows; r++)
        {
            ReadOnlySpan<float> input = Inputs.AsSpan(r * Shape.InputCount, Shape.InputCount);
            Generated.Forward(input, expected);
            Textbook.Forward(input, actual);
            Check("textbook Forward", expected, actual);
            Tensor.Forward(input, actual);
            Check("TensorPrimitives Forward", expected, actual);
        }

        // ForwardBatch (the generated network's own, through the interface) against Forward row by row.
        Generated.ForwardBatch(ForwardInputs, ForwardOutputs);
        for (int r = 0; r < ForwardRows; r++)
        {
            Generated.Forward(ForwardInputs.AsSpan(r * Shape.InputCount, Shape.InputCount), expected);
            Check($"ForwardBatch row {r}", expected, ForwardOutputs.AsSpan(r * Shape.OutputCount, Shape.OutputCount));
        }

        const float rate = CheckLearningRate;
        float loss = Generated.TrainStep(Input, Target, rate);
        Check("textbook TrainStep loss", [loss], [Textbook.TrainStep(Input, Target, rate)]);
        Check("TensorPrimitives TrainStep loss", [loss], [Tensor.TrainStep(Input, Target, rate)]);
        Check("textbook parameters after TrainStep", Generated.Parameters, Textbook.GetParameters());
        Check("TensorPrimitives parameters after TrainStep", Generated.Parameters, Tensor.Parameters);

        loss = Generated.TrainBatch(Inputs, Targets, rate);
        Check("textbook TrainBatch loss", [loss], [Textbook.TrainBatch(Inputs, Targets, rate)]);
        Check("TensorPrimitives TrainBatch loss", [loss], [Tensor.TrainBatch(Inputs, Targets, rate)]);
        Check("textbook parameters after TrainBatch", Generated.Parameters, Textbook.GetParameters());
        Check("TensorPrimitives parameters after TrainBatch", Generated.Parameters, Tensor.Parameters);

        initial.CopyTo(Generated.Parameters);
        Reset();
    }

    /// <summary>Throws unless <paramref name="actual"/> is <paramref name="expected"/> to a relative 1e-4 (absolute below 1).</summary>
    public void Check(string what, ReadOnlySpan<float> expected, ReadOnlySpan<float> actual)
    {
        if (expected.Length != actual.Length)
        {
            throw new InvalidOperationException($"{Shape} {what}: {actual.Length} values, expected {expected.Length}.");
        }

        for (int i = 0; i < expected.Length; i++)
        {
            float tolerance = 1e-4f * MathF.Max(1f, MathF.Abs(expected[i]));
            if (!(MathF.Abs(expected[i] - actual[i]) <= tolerance))
            {
                throw new InvalidOperationException($"{Shape} {what}: [{i}] is {actual[i]}, the generated network's is {expected[i]}.");
            }
        }
    }
}
