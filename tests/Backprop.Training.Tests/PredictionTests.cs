using System.Numerics;

namespace Backprop.Training.Tests;

public class PredictionTests
{
    /// <summary>More rows than one 4,096-row chunk of the class methods, and not a multiple of 16.</summary>
    private const int ManyRows = 5000;

    [Fact]
    public void Predict_is_ForwardBatch_on_any_number_of_threads()
    {
        var network = new Regressor();
        network.InitializeParameters(3);
        float[] x = Data.Uniform<float>(ManyRows * 3, seed: 1);
        float[] expected = new float[ManyRows * 2];
        ((INetwork<float>)network).ForwardBatch(x, expected);

        foreach (int threads in new[] { 1, 2, 4, -1 })
        {
            float[] outputs = new float[ManyRows * 2];
            network.Predict(x, outputs, threads);
            Assert.Equal(expected, outputs);
        }
    }

    [Fact]
    public void PredictClass_of_a_softmax_network_is_the_position_of_the_largest_output()
    {
        PredictClass_is_arg_max<float>(new Classifier());
        PredictClass_is_arg_max<double>(new ClassifierDouble());
    }

    [Fact]
    public void PredictClass_of_one_sigmoid_output_is_the_half_threshold()
    {
        PredictClass_is_threshold<float>(new BinaryClassifier());
        PredictClass_is_threshold<double>(new BinaryClassifierDouble());
    }

    [Fact]
    public void PredictClass_at_the_boundaries_takes_class_1_at_exactly_one_half_and_the_first_of_tied_outputs()
    {
        // All parameters 0: a sigmoid output is exactly 0.5, softmax outputs are all 1/3.
        var binary = new BinaryClassifierDouble();
        binary.Parameters.Clear();
        var softmax = new ClassifierDouble();
        softmax.Parameters.Clear();

        Assert.Equal(1, binary.PredictClass([0.3, -2.0]));
        Assert.Equal(0, softmax.PredictClass([0.3, -2.0, 1, 4]));
    }

    [Fact]
    public void A_hand_written_network_is_taken_at_its_word()
    {
        var three = new PassThrough<double>(3);
        var one = new PassThrough<double>(1);

        Assert.Equal(1, three.PredictClass([1.0, 3.0, 3.0]));
        Assert.Equal(2, three.PredictClass([-5.0, -4.0, -1.0]));
        Assert.Equal(3, three.ClassCount());
        Assert.Equal(1, one.PredictClass([0.5]));
        Assert.Equal(0, one.PredictClass([0.4999]));
        Assert.Equal(2, one.ClassCount());
    }

    [Fact]
    public void PredictClass_of_many_rows_is_that_of_each_row_and_the_same_on_any_number_of_threads()
    {
        ManyRowsAgree<float>(new Classifier(), inputCount: 4);
        ManyRowsAgree<double>(new ClassifierDouble(), inputCount: 4);
        ManyRowsAgree<float>(new BinaryClassifier(), inputCount: 2);
        ManyRowsAgree<double>(new BinaryClassifierDouble(), inputCount: 2);
    }

    [Fact]
    public void PredictProbabilities_of_softmax_are_the_outputs()
    {
        var network = new Classifier();
        network.InitializeParameters(5);
        float[] x = Data.Uniform<float>(ManyRows * 4, seed: 2, scale: 3);
        float[] expected = new float[ManyRows * 3];
        ((INetwork<float>)network).ForwardBatch(x, expected);

        foreach (int threads in new[] { 1, 4 })
        {
            float[] probabilities = new float[ManyRows * 3];
            network.PredictProbabilities(x, probabilities, threads);
            Assert.Equal(expected, probabilities);
        }

        for (int row = 0; row < ManyRows; row++)
        {
            Assert.Equal(1, expected.AsSpan(row * 3, 3).ToArray().Sum(), 1e-5);
        }
    }

    [Fact]
    public void PredictProbabilities_of_one_sigmoid_output_are_one_minus_p_and_p()
    {
        var network = new BinaryClassifierDouble();
        network.InitializeParameters(5);
        double[] x = Data.Uniform<double>(ManyRows * 2, seed: 2, scale: 3);
        double[] p = new double[ManyRows];
        ((INetwork<double>)network).ForwardBatch(x, p);
        double[] sequential = new double[ManyRows * 2];

        network.PredictProbabilities(x, sequential);

        for (int row = 0; row < ManyRows; row++)
        {
            Assert.Equal(1 - p[row], sequential[2 * row]);
            Assert.Equal(p[row], sequential[(2 * row) + 1]);
        }

        double[] parallel = new double[ManyRows * 2];
        network.PredictProbabilities(x, parallel, maxDegreeOfParallelism: -1);
        Assert.Equal(sequential, parallel);
    }

    [Fact]
    public void ClassCount_is_the_outputs_of_softmax_and_two_for_one_sigmoid()
    {
        Assert.Equal(3, new Classifier().ClassCount());
        Assert.Equal(2, new BinaryClassifier().ClassCount());
        Assert.Equal(2, new DeepDouble().ClassCount());
    }

    [Fact]
    public void Networks_that_do_not_classify_are_refused_saying_why()
    {
        var regressor = new Regressor();
        var multiLabel = new MultiLabel();
        float[] row3 = new float[3];
        float[] row2 = new float[2];

        AssertRefused(() => regressor.PredictClass(row3), "Dense(2, Identity)", "PredictClass");
        AssertRefused(() => regressor.PredictClass(row3, new int[1]), "Dense(2, Identity)", "PredictClass");
        AssertRefused(() => regressor.PredictProbabilities(row3, new float[2]), "Dense(2, Identity)", "PredictProbabilities");
        AssertRefused(() => regressor.ClassCount(), "Dense(2, Identity)", "ClassCount");
        AssertRefused(() => multiLabel.PredictClass(row2), "Dense(3, Sigmoid)", "PredictClass");
        AssertRefused(() => multiLabel.PredictClass(row2, new int[1], 2), "Dense(3, Sigmoid)", "PredictClass");

        static void AssertRefused(Action call, string layer, string method)
        {
            var e = Assert.Throws<ArgumentException>(call);
            Assert.Equal("network", e.ParamName);
            Assert.StartsWith(method, e.Message);
            Assert.Contains("Softmax output layer or a single Sigmoid output", e.Message);
            Assert.Contains(layer, e.Message);
            Assert.Contains("Predict gives the predicted values", e.Message);
        }
    }

    [Fact]
    public void Bad_arguments_are_named()
    {
        var network = new Classifier();
        float[] x = Data.Uniform<float>(4 * 4, seed: 1);
        x[6] = float.NaN;

        var nan = Assert.Throws<ArgumentException>(() => network.PredictClass(x, new int[4]));
        var nanOne = Assert.Throws<ArgumentException>(() => network.PredictClass(x.AsSpan(4, 4)));
        var partial = Assert.Throws<ArgumentException>(() => network.PredictClass(new float[7], new int[1]));
        var classes = Assert.Throws<ArgumentException>(() => network.PredictClass(new float[8], new int[3]));
        var length = Assert.Throws<ArgumentException>(() => network.PredictClass(new float[5]));
        var probabilities = Assert.Throws<ArgumentException>(() => new BinaryClassifier().PredictProbabilities(new float[4], new float[2]));
        var degree = Assert.Throws<ArgumentOutOfRangeException>(() => network.PredictClass(new float[8], new int[2], 0));

        Assert.Equal("inputs", nan.ParamName);
        Assert.Contains("NaN at row 1, column 2", nan.Message);
        Assert.Equal("input", nanOne.ParamName);
        Assert.Contains("row 0, column 2", nanOne.Message);
        Assert.Equal("inputs", partial.ParamName);
        Assert.Equal("classes", classes.ParamName);
        Assert.Equal("input", length.ParamName);
        Assert.Equal("probabilities", probabilities.ParamName);
        Assert.Contains("2 rows of 2", probabilities.Message);
        Assert.Equal("maxDegreeOfParallelism", degree.ParamName);
        Assert.Throws<ArgumentNullException>(() => ((INetwork<float>)null!).PredictClass(new float[4]));
    }

    [Fact]
    public void No_rows_predict_nothing()
    {
        var network = new Classifier();

        network.PredictClass(ReadOnlySpan<float>.Empty, Span<int>.Empty, -1);
        network.PredictProbabilities(ReadOnlySpan<float>.Empty, Span<float>.Empty);
        new BinaryClassifier().PredictProbabilities(ReadOnlySpan<float>.Empty, Span<float>.Empty);
    }

    [Fact]
    public void Predictions_allocate_nothing_on_the_calling_thread()
    {
        var network = new Classifier();
        var binary = new BinaryClassifierDouble();
        float[] x = Data.Uniform<float>(ManyRows * 4, seed: 1);
        double[] x2 = Data.Uniform<double>(ManyRows * 2, seed: 1);
        int[] classes = new int[ManyRows];
        float[] probabilities = new float[ManyRows * 3];
        double[] pairs = new double[ManyRows * 2];
        Run();

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 3; i++)
        {
            Run();
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);

        void Run()
        {
            network.PredictClass(x.AsSpan(0, 4));
            binary.PredictClass(x2.AsSpan(0, 2));
            network.PredictClass(x, classes);
            network.PredictClass(x.AsSpan(0, 40), classes.AsSpan(0, 10));
            network.PredictProbabilities(x, probabilities);
            binary.PredictProbabilities(x2, pairs);
            network.Predict(x, probabilities);
        }
    }

    private static void PredictClass_is_arg_max<T>(INetwork<T> network)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        network.InitializeParameters(11);
        T[] x = Data.Uniform<T>(200 * 4, seed: 4, scale: 3);
        T[] outputs = new T[200 * 3];
        network.ForwardBatch(x, outputs);
        var seen = new HashSet<int>();
        for (int row = 0; row < 200; row++)
        {
            T[] output = outputs.AsSpan(row * 3, 3).ToArray();
            int expected = Array.IndexOf(output, output.Max());
            int actual = network.PredictClass(x.AsSpan(row * 4, 4));
            Assert.Equal(expected, actual);
            seen.Add(actual);
        }

        Assert.Equal(3, seen.Count);
    }

    private static void PredictClass_is_threshold<T>(INetwork<T> network)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        network.InitializeParameters(11);
        T[] x = Data.Uniform<T>(200 * 2, seed: 4, scale: 3);
        T[] outputs = new T[200];
        network.ForwardBatch(x, outputs);
        var seen = new HashSet<int>();
        for (int row = 0; row < 200; row++)
        {
            int expected = double.CreateTruncating(outputs[row]) >= 0.5 ? 1 : 0;
            int actual = network.PredictClass(x.AsSpan(row * 2, 2));
            Assert.Equal(expected, actual);
            seen.Add(actual);
        }

        Assert.Equal(2, seen.Count);
    }

    private static void ManyRowsAgree<T>(INetwork<T> network, int inputCount)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        network.InitializeParameters(9);
        T[] x = Data.Uniform<T>(ManyRows * inputCount, seed: 8, scale: 3);
        int[] sequential = new int[ManyRows];
        network.PredictClass(x, sequential);

        for (int row = 0; row < ManyRows; row++)
        {
            Assert.Equal(network.PredictClass(x.AsSpan(row * inputCount, inputCount)), sequential[row]);
        }

        foreach (int threads in new[] { 2, 3, 8, -1 })
        {
            int[] parallel = new int[ManyRows];
            network.PredictClass(x, parallel, threads);
            Assert.Equal(sequential, parallel);
        }

        // Rows predicted in parts are those of the whole.
        int[] parts = new int[ManyRows];
        network.PredictClass(x.AsSpan(0, 17 * inputCount), parts.AsSpan(0, 17));
        network.PredictClass(x.AsSpan(17 * inputCount), parts.AsSpan(17), 4);
        Assert.Equal(sequential, parts);
    }
}

/// <summary>
/// A hand-written network whose outputs are its inputs, with an architecture text not in the generated form: the
/// predictions take it at its word.
/// </summary>
internal sealed class PassThrough<T>(int width) : INetwork<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public int InputCount => width;

    public int OutputCount => width;

    public int ParameterCount => 0;

    public string Architecture => "pass-through, written by hand";

    public Span<T> Parameters => Span<T>.Empty;

    public void InitializeParameters(int seed)
    {
    }

    public void Forward(ReadOnlySpan<T> input, Span<T> output) => input.CopyTo(output);

    public T ComputeLoss(ReadOnlySpan<T> input, ReadOnlySpan<T> target) => throw new NotSupportedException();

    public T Backward(ReadOnlySpan<T> input, ReadOnlySpan<T> target, Span<T> gradient) => throw new NotSupportedException();

    public T TrainStep(ReadOnlySpan<T> input, ReadOnlySpan<T> target, T learningRate) => throw new NotSupportedException();

    public T TrainBatch(ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets, T learningRate) => throw new NotSupportedException();
}

/// <summary>The predictions on several threads, counting every thread's bytes: alone, with the other allocation tests.</summary>
[Collection(nameof(AllocationCollection))]
public class ParallelPredictionAllocationTests
{
    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void Predictions_and_metrics_on_threads_allocate_nothing_on_any_thread_but_the_matrix(int threads)
    {
        var network = new Digits64();
        network.InitializeParameters(1);
        (float[] x, float[] y) = ParallelTrainerTests.Classes<float>(rows: 6000, seed: 1);
        int[] classes = new int[6000];
        float[] probabilities = new float[6000 * 10];
        Run();
        ConfusionMatrix.Compute(network, x, y, threads);

        long predictions = LeastAllocated(Run);
        long matrix = LeastAllocated(() => ConfusionMatrix.Compute(network, x, y, threads));

        Assert.Equal(0, predictions);
        Assert.True(matrix <= 600, $"ConfusionMatrix.Compute allocated {matrix} bytes: more than the 10 × 10 matrix it returns.");

        void Run()
        {
            network.PredictClass(x, classes, threads);
            network.PredictProbabilities(x, probabilities, threads);
            RegressionMetrics.Compute(network, x, y, threads);
        }
    }

    private static long LeastAllocated(Action action)
    {
        long least = long.MaxValue;
        for (int attempt = 0; attempt < 5 && least > 0; attempt++)
        {
            long before = GC.GetTotalAllocatedBytes(precise: true);
            action();
            least = Math.Min(least, GC.GetTotalAllocatedBytes(precise: true) - before);
        }

        return least;
    }
}
