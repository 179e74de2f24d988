using System.Numerics;
using System.Runtime.CompilerServices;
using Backprop.Internal;
using Backprop.Optimizers;

namespace Backprop.Training.Tests;

public class MetricsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    // ---- Confusion matrix ----------------------------------------------------------------------------------------

    [Fact]
    public void Confusion_matrix_of_a_hand_computed_example()
    {
        // Class 3 occurs neither among the actual nor the predicted classes: it is left out of the macro averages.
        int[] actual = [0, 0, 0, 0, 1, 1, 1, 2, 2, 2];
        int[] predicted = [0, 0, 1, 2, 1, 1, 0, 2, 2, 1];

        var matrix = ConfusionMatrix.FromClasses(actual, predicted, classCount: 4);

        int[,] expected = { { 2, 1, 1, 0 }, { 1, 2, 0, 0 }, { 0, 1, 2, 0 }, { 0, 0, 0, 0 } };
        for (int a = 0; a < 4; a++)
        {
            for (int p = 0; p < 4; p++)
            {
                Assert.Equal(expected[a, p], matrix[a, p]);
            }
        }

        Assert.Equal((4, 10), (matrix.ClassCount, matrix.RowCount));
        Assert.Equal(new[] { 4, 3, 3, 0 }, Enumerable.Range(0, 4).Select(matrix.Support));
        Assert.Equal(new[] { 3, 4, 3, 0 }, Enumerable.Range(0, 4).Select(matrix.PredictedCount));
        AssertClose([2 / 3.0, 1 / 2.0, 2 / 3.0, 0], Enumerable.Range(0, 4).Select(matrix.Precision));
        AssertClose([1 / 2.0, 2 / 3.0, 2 / 3.0, 0], Enumerable.Range(0, 4).Select(matrix.Recall));
        AssertClose([4 / 7.0, 4 / 7.0, 2 / 3.0, 0], Enumerable.Range(0, 4).Select(matrix.F1Score));
        Assert.Equal(11 / 18.0, matrix.MacroPrecision, 1e-15);
        Assert.Equal(11 / 18.0, matrix.MacroRecall, 1e-15);
        Assert.Equal(38 / 63.0, matrix.MacroF1Score, 1e-15);
        Assert.Equal(0.6, matrix.Accuracy, 1e-15);
    }

    [Fact]
    public void A_class_never_predicted_has_precision_0_and_counts_in_the_macro_average()
    {
        var matrix = ConfusionMatrix.FromClasses([0, 1, 1], [0, 0, 0], classCount: 2);

        Assert.Equal((1 / 3.0, 1.0, 0.5), (matrix.Precision(0), matrix.Recall(0), matrix.F1Score(0)));
        Assert.Equal((0.0, 0.0, 0.0), (matrix.Precision(1), matrix.Recall(1), matrix.F1Score(1)));
        Assert.Equal(1 / 6.0, matrix.MacroPrecision, 1e-15);
        Assert.Equal(0.5, matrix.MacroRecall, 1e-15);
        Assert.Equal(0.25, matrix.MacroF1Score, 1e-15);
        Assert.Equal(1 / 3.0, matrix.Accuracy, 1e-15);
    }

    [Fact]
    public void A_class_predicted_but_never_actual_has_recall_0_and_counts_in_the_macro_average()
    {
        var matrix = ConfusionMatrix.FromClasses([0, 0], [0, 1], classCount: 2);

        Assert.Equal((1.0, 0.5), (matrix.Precision(0), matrix.Recall(0)));
        Assert.Equal(2 / 3.0, matrix.F1Score(0), 1e-15);
        Assert.Equal((0.0, 0.0, 0.0), (matrix.Precision(1), matrix.Recall(1), matrix.F1Score(1)));
        Assert.Equal(0, matrix.Support(1));
        Assert.Equal(0.5, matrix.MacroPrecision, 1e-15);
        Assert.Equal(0.25, matrix.MacroRecall, 1e-15);
        Assert.Equal(1 / 3.0, matrix.MacroF1Score, 1e-15);
    }

    [Fact]
    public void Perfect_predictions_score_1_everywhere()
    {
        var matrix = ConfusionMatrix.FromClasses([2, 0, 1, 2], [2, 0, 1, 2], classCount: 3);

        Assert.Equal(1, matrix.Accuracy);
        Assert.Equal((1.0, 1.0, 1.0), (matrix.MacroPrecision, matrix.MacroRecall, matrix.MacroF1Score));
    }

    [Theory]
    [InlineData(2, 1)]
    [InlineData(4, 2)]
    [InlineData(7, 3)]
    public void Confusion_matrix_matches_a_reference_computation_on_random_classes(int classes, int seed)
    {
        var random = new Random(seed);
        int rows = 500;

        // Skewed so that some classes are rare, and the last one never predicted when there are several.
        int[] actual = [.. Enumerable.Range(0, rows).Select(_ => (int)(classes * Math.Pow(random.NextDouble(), 2)))];
        int[] predicted = [.. actual.Select(a => random.NextDouble() < 0.6 ? a : random.Next(Math.Max(1, classes - 1)))];

        var matrix = ConfusionMatrix.FromClasses(actual, predicted, classes);

        var present = new List<int>();
        for (int c = 0; c < classes; c++)
        {
            int tp = actual.Zip(predicted).Count(r => r.First == c && r.Second == c);
            int fp = actual.Zip(predicted).Count(r => r.First != c && r.Second == c);
            int fn = actual.Zip(predicted).Count(r => r.First == c && r.Second != c);
            double precision = tp + fp == 0 ? 0 : (double)tp / (tp + fp);
            double recall = tp + fn == 0 ? 0 : (double)tp / (tp + fn);
            double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
            Assert.Equal(tp + fn, matrix.Support(c));
            Assert.Equal(precision, matrix.Precision(c), 1e-12);
            Assert.Equal(recall, matrix.Recall(c), 1e-12);
            Assert.Equal(f1, matrix.F1Score(c), 1e-12);
            for (int p = 0; p < classes; p++)
            {
                Assert.Equal(actual.Zip(predicted).Count(r => r.First == c && r.Second == p), matrix[c, p]);
            }

            if (tp + fn + fp > 0)
            {
                present.Add(c);
            }
        }

        Assert.Equal(present.Average(c => matrix.Precision(c)), matrix.MacroPrecision, 1e-12);
        Assert.Equal(present.Average(c => matrix.Recall(c)), matrix.MacroRecall, 1e-12);
        Assert.Equal(present.Average(c => matrix.F1Score(c)), matrix.MacroF1Score, 1e-12);
        Assert.Equal(actual.Zip(predicted).Count(r => r.First == r.Second) / (double)rows, matrix.Accuracy, 1e-15);
    }

    [Fact]
    public void Confusion_matrix_of_a_network_counts_its_predicted_classes_against_the_targets()
    {
        NetworkMatrixAgrees<float>(new Classifier(), Data.Blobs<float>(300, seed: 1));
        NetworkMatrixAgrees<double>(new ClassifierDouble(), Data.Blobs<double>(300, seed: 2));
        NetworkMatrixAgrees<float>(new BinaryClassifier(), Binary<float>(300, seed: 3));
        NetworkMatrixAgrees<double>(new BinaryClassifierDouble(), Binary<double>(300, seed: 4));
    }

    [Fact]
    public void Confusion_matrix_of_a_network_is_the_same_on_any_number_of_threads()
    {
        var network = new Classifier();
        network.InitializeParameters(3);
        (float[] x, float[] y) = Data.Blobs<float>(5000, seed: 5);
        var sequential = ConfusionMatrix.Compute(network, x, y);

        foreach (int threads in new[] { 2, 4, -1 })
        {
            var parallel = ConfusionMatrix.Compute(network, x, y, threads);
            Assert.Equal(sequential.ToString(), parallel.ToString());
            Assert.Equal(Counts(sequential), Counts(parallel));
        }
    }

    [Fact]
    public void Confusion_matrix_refuses_a_network_that_does_not_classify_and_targets_that_name_no_class()
    {
        var regressor = Assert.Throws<ArgumentException>(() => ConfusionMatrix.Compute(new Regressor(), new float[3], new float[2]));
        Assert.Equal("network", regressor.ParamName);
        Assert.Contains("A confusion matrix counts classifications, which need a Softmax output layer or a single Sigmoid output", regressor.Message);
        Assert.Contains("Dense(2, Identity)", regressor.Message);

        var network = new Classifier();
        float[] x = new float[3 * 4];
        AssertTargets([1, 0, 0, 2, 0, 0, 0, 0, 1], "holds 2 at row 1, column 0", "class indices must be turned into one-hot rows");
        AssertTargets([1, 0, 0, 0, 0, 0, 0, 0, 1], "row 1 has no single largest value", "one-hot");
        AssertTargets([1, 0, 0, 0, 0.5f, 0.5f, 0, 0, 1], "row 1 has no single largest value", "one-hot");
        AssertTargets([1, 0, 0, 0, 1, 0, -0.1f, 0, 1], "holds -0.1 at row 2, column 0", "one-hot");
        AssertTargets([1, 0, 0, 0, 1, 0, 0, float.NaN, 1], "holds NaN at row 2, column 1", "one-hot");

        var binary = Assert.Throws<ArgumentException>(() => ConfusionMatrix.Compute(new BinaryClassifier(), new float[4], [1, 2]));
        Assert.Equal("targets", binary.ParamName);
        Assert.Contains("holds 2 at row 1, column 0", binary.Message);
        var input = Assert.Throws<ArgumentException>(() => ConfusionMatrix.Compute(new BinaryClassifier(), [0, 0, 0, float.PositiveInfinity], [1, 0]));
        Assert.Equal("inputs", input.ParamName);
        Assert.Contains("row 1, column 1", input.Message);
        Assert.Throws<ArgumentException>(() => ConfusionMatrix.Compute(network, [], []));

        void AssertTargets(float[] targets, string where, string why)
        {
            var e = Assert.Throws<ArgumentException>(() => ConfusionMatrix.Compute(network, x, targets));
            Assert.Equal("targets", e.ParamName);
            Assert.Contains(where, e.Message);
            Assert.Contains(why, e.Message);
        }
    }

    [Fact]
    public void FromClasses_checks_its_arguments()
    {
        var range = Assert.Throws<ArgumentOutOfRangeException>(() => ConfusionMatrix.FromClasses([0, 1, 3], [0, 1, 1], 3));
        var negative = Assert.Throws<ArgumentOutOfRangeException>(() => ConfusionMatrix.FromClasses([0, 1], [0, -1], 3));
        var lengths = Assert.Throws<ArgumentException>(() => ConfusionMatrix.FromClasses([0, 1], [0], 3));
        var empty = Assert.Throws<ArgumentException>(() => ConfusionMatrix.FromClasses([], [], 3));
        var classCount = Assert.Throws<ArgumentOutOfRangeException>(() => ConfusionMatrix.FromClasses([0], [0], 0));
        var matrix = ConfusionMatrix.FromClasses([0], [0], 2);

        Assert.Equal("actual", range.ParamName);
        Assert.Contains("class 3 at row 2", range.Message);
        Assert.Equal("predicted", negative.ParamName);
        Assert.Contains("class -1 at row 1", negative.Message);
        Assert.Equal("predicted", lengths.ParamName);
        Assert.Equal("actual", empty.ParamName);
        Assert.Equal("classCount", classCount.ParamName);
        Assert.Equal("predicted", Assert.Throws<ArgumentOutOfRangeException>(() => matrix[0, 2]).ParamName);
        Assert.Equal("classIndex", Assert.Throws<ArgumentOutOfRangeException>(() => matrix.Recall(-1)).ParamName);
        Assert.Throws<ArgumentException>(() => matrix.ToString(["only one"]));
    }

    [Fact]
    public void ToString_is_a_table_of_counts_and_per_class_metrics()
    {
        int[] actual = [0, 0, 0, 0, 1, 1, 1, 2, 2, 2];
        int[] predicted = [0, 0, 1, 2, 1, 1, 0, 2, 2, 1];
        var matrix = ConfusionMatrix.FromClasses(actual, predicted, classCount: 3);

        string[] lines = matrix.ToString(["setosa", "versicolor", "virginica"]).Split(Environment.NewLine);

        Assert.Equal(
            [
                "Confusion matrix of 10 rows, 3 classes: rows are the actual classes, columns the predicted ones.",
                "actual \\ predicted      setosa  versicolor   virginica   precision  recall      F1  support",
                "setosa                       2           1           1       0.667   0.500   0.571        4",
                "versicolor                   1           2           0       0.500   0.667   0.571        3",
                "virginica                    0           1           2       0.667   0.667   0.667        3",
                "macro average                                                0.611   0.611   0.603       10",
                "accuracy                                                                     0.600       10",
            ],
            lines);
        Assert.Contains("actual \\ predicted      0      1      2   precision", matrix.ToString());
    }

    [Fact]
    public void Confusion_matrix_accuracy_is_Evaluation_Accuracy()
    {
        var network = new Classifier();
        var trainer = new Trainer<float>(network, new Adam<float>(Classifier.ParameterCount) { LearningRate = 0.01f });
        (float[] x, float[] y) = Data.Blobs<float>(150, seed: 6);
        trainer.Fit(x, y, new TrainingOptions { Epochs = 3, BatchSize = 16 }, cancellationToken: Ct);

        Assert.Equal(Evaluation.Accuracy(network, x, y), ConfusionMatrix.Compute(network, x, y).Accuracy);
    }

    // ---- Regression metrics --------------------------------------------------------------------------------------

    [Fact]
    public void Regression_metrics_of_a_hand_computed_example()
    {
        // Errors 0, −1, 1, −2; targets' mean 3, Σ(t − t̄)² = 4 + 0 + 1 + 9 = 14.
        var metrics = RegressionMetrics.FromPredictions<double>([1, 2, 3, 4], [1, 3, 2, 6], outputCount: 1);

        Assert.Equal(1, metrics.MeanAbsoluteError, 1e-15);
        Assert.Equal(1.5, metrics.MeanSquaredError, 1e-15);
        Assert.Equal(Math.Sqrt(1.5), metrics.RootMeanSquaredError, 1e-15);
        Assert.Equal(1 - (6 / 14.0), metrics.RSquared, 1e-15);
    }

    [Fact]
    public void Regression_metrics_of_several_outputs_are_the_uniform_average_of_each_outputs()
    {
        // Output 0: errors 0, 0, −1; targets 1, 2, 4 (mean 7/3, Σ(t − t̄)² = 14/3). Output 1: errors −2, 2, 0; targets
        // 12, 18, 30 (mean 20, Σ(t − t̄)² = 168).
        var metrics = RegressionMetrics.FromPredictions<float>([1, 10, 2, 20, 3, 30], [1, 12, 2, 18, 4, 30], outputCount: 2);

        Assert.Equal(5 / 6.0, metrics.MeanAbsoluteError, 1e-15);
        Assert.Equal(1.5, metrics.MeanSquaredError, 1e-15);
        Assert.Equal((Math.Sqrt(1 / 3.0) + Math.Sqrt(8 / 3.0)) / 2, metrics.RootMeanSquaredError, 1e-15);
        Assert.NotEqual(Math.Sqrt(metrics.MeanSquaredError), metrics.RootMeanSquaredError, 1e-3);
        Assert.Equal(((1 - (1 / (14 / 3.0))) + (1 - (8 / 168.0))) / 2, metrics.RSquared, 1e-15);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(3, 2)]
    public void Regression_metrics_match_a_reference_computation_on_random_data(int outputs, int seed)
    {
        int rows = 400;
        double[] targets = Data.Uniform<double>(rows * outputs, seed, scale: 5);
        double[] noise = Data.Uniform<double>(rows * outputs, seed + 100);
        double[] predictions = [.. targets.Select((t, i) => (0.8 * t) + noise[i] + 0.3)];

        var metrics = RegressionMetrics.FromPredictions<double>(predictions, targets, outputs);

        double[] Column(double[] values, int k) => [.. Enumerable.Range(0, rows).Select(r => values[(r * outputs) + k])];
        double mae = 0, mse = 0, rmse = 0, r2 = 0;
        for (int k = 0; k < outputs; k++)
        {
            double[] t = Column(targets, k), y = Column(predictions, k);
            double mean = t.Average();
            double sse = t.Zip(y).Sum(p => (p.First - p.Second) * (p.First - p.Second));
            double sst = t.Sum(v => (v - mean) * (v - mean));
            mae += t.Zip(y).Average(p => Math.Abs(p.First - p.Second)) / outputs;
            mse += sse / rows / outputs;
            rmse += Math.Sqrt(sse / rows) / outputs;
            r2 += (1 - (sse / sst)) / outputs;
        }

        Assert.Equal(mae, metrics.MeanAbsoluteError, 1e-12);
        Assert.Equal(mse, metrics.MeanSquaredError, 1e-12);
        Assert.Equal(rmse, metrics.RootMeanSquaredError, 1e-12);
        Assert.Equal(r2, metrics.RSquared, 1e-12);
    }

    [Fact]
    public void R_squared_edge_cases_follow_scikit_learn()
    {
        Assert.Equal(1, RegressionMetrics.FromPredictions<double>([2, 2, 2], [2, 2, 2], 1).RSquared);
        Assert.Equal(0, RegressionMetrics.FromPredictions<double>([2, 2, 3], [2, 2, 2], 1).RSquared);
        Assert.True(double.IsNaN(RegressionMetrics.FromPredictions<double>([1], [2], 1).RSquared), "R² of one row is not defined.");
        Assert.Equal(1, RegressionMetrics.FromPredictions<double>([1], [2], 1).MeanAbsoluteError);

        var perfect = RegressionMetrics.FromPredictions<float>([1, -2, 3], [1, -2, 3], 1);
        Assert.Equal((0.0, 0.0, 0.0, 1.0), (perfect.MeanAbsoluteError, perfect.MeanSquaredError, perfect.RootMeanSquaredError, perfect.RSquared));

        // Predicting the targets' mean gives 0; worse than that, less than 0.
        Assert.Equal(0, RegressionMetrics.FromPredictions<double>([2, 2, 2], [1, 2, 3], 1).RSquared, 1e-15);
        Assert.Equal(-3, RegressionMetrics.FromPredictions<double>([3, 2, 1], [1, 2, 3], 1).RSquared, 1e-15);

        // One constant output (R² 0: imperfect) averaged with one perfect output (R² 1).
        Assert.Equal(0.5, RegressionMetrics.FromPredictions<double>([1, 7, 2, 7], [1, 5, 2, 5], 2).RSquared, 1e-15);
    }

    [Fact]
    public void R_squared_keeps_its_precision_far_from_zero()
    {
        // Targets 10⁸ + k: Σt² − n·t̄² would lose every digit of Σ(t − t̄)² = 82.5 to cancellation.
        double[] targets = [.. Enumerable.Range(0, 10).Select(k => 1e8 + k)];
        double[] predictions = [.. targets.Select(t => t + 0.5)];

        var metrics = RegressionMetrics.FromPredictions<double>(predictions, targets, 1);

        Assert.Equal(1 - (2.5 / 82.5), metrics.RSquared, 1e-12);
    }

    [Fact]
    public void Regression_metrics_of_a_network_are_those_of_its_predictions_on_any_number_of_threads()
    {
        RegressionOfNetworkAgrees<float>(new Regressor());
        RegressionOfNetworkAgrees<double>(new RegressorDouble());
    }

    [Fact]
    public void Regression_metrics_check_their_arguments()
    {
        var nan = Assert.Throws<ArgumentException>(() => RegressionMetrics.FromPredictions<double>([1, 2, double.NaN, 4], [1, 2, 3, 4], 2));
        var targets = Assert.Throws<ArgumentException>(() => RegressionMetrics.Compute(new Regressor(), new float[6], [0, 0, float.NaN, 0]));
        var lengths = Assert.Throws<ArgumentException>(() => RegressionMetrics.FromPredictions<double>([1, 2], [1, 2, 3], 1));
        var partial = Assert.Throws<ArgumentException>(() => RegressionMetrics.FromPredictions<double>([1, 2, 3], [1, 2, 3], 2));
        var empty = Assert.Throws<ArgumentException>(() => RegressionMetrics.FromPredictions<double>([], [], 1));

        Assert.Equal("predictions", nan.ParamName);
        Assert.Contains("NaN at row 1, column 0", nan.Message);
        Assert.Equal("targets", targets.ParamName);
        Assert.Contains("row 1, column 0", targets.Message);
        Assert.Equal("targets", lengths.ParamName);
        Assert.Equal("predictions", partial.ParamName);
        Assert.Equal("predictions", empty.ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => RegressionMetrics.FromPredictions<double>([1], [1], 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => RegressionMetrics.Compute(new Regressor(), new float[3], new float[2], 0));
    }

    [Fact]
    public void Metrics_allocate_nothing_but_the_confusion_matrix_they_return()
    {
        var regressor = new RegressorDouble();
        double[] x = Data.Uniform<double>(5000 * 3, seed: 1);
        double[] y = Data.Uniform<double>(5000 * 2, seed: 2);
        double[] predictions = new double[5000 * 2];
        var classifier = new Classifier();
        (float[] cx, float[] cy) = Data.Blobs<float>(5000, seed: 3);
        Run();
        ConfusionMatrix.Compute(classifier, cx, cy);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 3; i++)
        {
            Run();
        }

        long regression = GC.GetAllocatedBytesForCurrentThread() - before;
        before = GC.GetAllocatedBytesForCurrentThread();
        ConfusionMatrix.Compute(classifier, cx, cy);
        long confusion = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, regression);
        Assert.True(confusion <= 200, $"ConfusionMatrix.Compute allocated {confusion} bytes: more than the matrix it returns.");

        void Run()
        {
            RegressionMetrics.Compute(regressor, x, y);
            regressor.Predict(x, predictions);
            RegressionMetrics.FromPredictions<double>(predictions, y, 2);
        }
    }

    // ---- Per-epoch reporting -------------------------------------------------------------------------------------

    [Fact]
    public void Fit_reports_the_classification_metrics_asked_for_after_every_epoch()
    {
        var network = new Classifier();
        var trainer = new Trainer<float>(network, new Adam<float>(Classifier.ParameterCount) { LearningRate = 0.02f });
        (float[] x, float[] y) = Data.Blobs<float>(120, seed: 1);
        (float[] vx, float[] vy) = Data.Blobs<float>(45, seed: 2);
        int checkedEpochs = 0;
        var progress = new SynchronousProgress<EpochProgress>(report =>
        {
            // Reported before the next epoch changes anything: the metrics of the parameters as they are now.
            var expected = ForwardConfusion(network, vx, vy);
            Assert.Equal(expected.MacroPrecision, report.ValidationMacroPrecision);
            Assert.Equal(expected.MacroRecall, report.ValidationMacroRecall);
            Assert.Equal(expected.MacroF1Score, report.ValidationMacroF1Score);
            Assert.Equal(expected.Accuracy, report.ValidationAccuracy);
            Assert.Null(report.ValidationMeanAbsoluteError);
            Assert.Null(report.ValidationRootMeanSquaredError);
            Assert.Null(report.ValidationRSquared);
            checkedEpochs++;
        });

        TrainingResult result = trainer.Fit(x, y, vx, vy, new TrainingOptions { Epochs = 8, BatchSize = 8, ValidationMetrics = ValidationMetrics.Classification }, progress, Ct);

        Assert.Equal(8, checkedEpochs);
        Assert.True(result.Final.ValidationMacroF1Score > 0.8, $"macro F1 {result.Final.ValidationMacroF1Score}");
    }

    [Fact]
    public void Fit_reports_the_regression_metrics_asked_for_after_every_epoch()
    {
        var network = new RegressorDouble();
        var trainer = new Trainer<double>(network, new Adam<double>(RegressorDouble.ParameterCount));
        double[] x = Data.Uniform<double>(60 * 3, seed: 2);
        double[] y = [.. Enumerable.Range(0, 60 * 2).Select(i => x[(i / 2 * 3) + (i % 2)] * 2 + 1)];
        double[] vx = Data.Uniform<double>(20 * 3, seed: 4);
        double[] vy = [.. Enumerable.Range(0, 20 * 2).Select(i => vx[(i / 2 * 3) + (i % 2)] * 2 + 1)];
        var reports = new List<EpochProgress>();
        var progress = new SynchronousProgress<EpochProgress>(report =>
        {
            RegressionMetrics expected = ForwardRegression(network, vx, vy);
            Assert.Equal(expected.MeanAbsoluteError, report.ValidationMeanAbsoluteError);
            Assert.Null(report.ValidationRootMeanSquaredError);
            Assert.Equal(expected.RSquared, report.ValidationRSquared);
            Assert.Null(report.ValidationMacroF1Score);
            reports.Add(report);
        });
        var options = new TrainingOptions { Epochs = 40, BatchSize = 4, ValidationMetrics = ValidationMetrics.MeanAbsoluteError | ValidationMetrics.RSquared };

        trainer.Fit(x, y, vx, vy, options, progress, Ct);

        Assert.Equal(40, reports.Count);
        Assert.True(reports[^1].ValidationRSquared > reports[0].ValidationRSquared, "R² should improve as the network learns.");
    }

    [Fact]
    public void Fit_with_a_validation_split_measures_the_held_out_rows()
    {
        // The held-out rows, drawn as Fit draws them (TrainingOptions.Seed through SplitMix64).
        var network = new RegressorDouble();
        var trainer = new Trainer<double>(network, new Sgd<double>(RegressorDouble.ParameterCount));
        double[] x = Data.Uniform<double>(50 * 3, seed: 5);
        double[] y = Data.Uniform<double>(50 * 2, seed: 6, scale: 3);
        int[] indices = [.. Enumerable.Range(0, 50)];
        var random = new SplitMix64(9);
        random.Shuffle(indices);
        int[] held = [.. indices.Skip(40).Order()];
        double[] vx = [.. held.SelectMany(r => x.Skip(r * 3).Take(3))];
        double[] vy = [.. held.SelectMany(r => y.Skip(r * 2).Take(2))];
        RegressionMetrics? expected = null;
        var progress = new SynchronousProgress<EpochProgress>(_ => expected = ForwardRegression(network, vx, vy));

        TrainingResult result = trainer.Fit(x, y, new TrainingOptions { Epochs = 1, Seed = 9, ValidationSplit = 0.2, ValidationMetrics = ValidationMetrics.Regression }, progress, Ct);

        Assert.Equal(10, result.ValidationRows);
        Assert.Equal(expected!.Value.MeanAbsoluteError, result.Final.ValidationMeanAbsoluteError);
        Assert.Equal(expected.Value.RootMeanSquaredError, result.Final.ValidationRootMeanSquaredError);
        Assert.Equal(expected.Value.RSquared, result.Final.ValidationRSquared);
    }

    [Fact]
    public void Fit_reports_no_metrics_unless_asked()
    {
        (float[] x, float[] y) = Data.Blobs<float>(40, seed: 1);
        var trainer = new Trainer<float>(new Classifier(), new Sgd<float>(Classifier.ParameterCount));

        TrainingResult result = trainer.Fit(x, y, new TrainingOptions { Epochs = 2, ValidationSplit = 0.25 }, cancellationToken: Ct);

        Assert.All(result.History, r => Assert.Equal(
            (null, null, null, null, null, null),
            (r.ValidationMacroPrecision, r.ValidationMacroRecall, r.ValidationMacroF1Score, r.ValidationMeanAbsoluteError, r.ValidationRootMeanSquaredError, r.ValidationRSquared)));
        Assert.Equal(ValidationMetrics.None, new TrainingOptions().ValidationMetrics);
    }

    [Fact]
    public void Fit_refuses_metrics_it_cannot_compute_before_changing_anything()
    {
        (float[] x, float[] y) = Data.Blobs<float>(40, seed: 1);
        var classifier = new ClassifierOtherLoss();
        float[] before = classifier.Parameters.ToArray();
        var trainer = new Trainer<float>(classifier, new Sgd<float>(ClassifierOtherLoss.ParameterCount));
        float[] badValidation = (float[])y.Clone();
        badValidation[(2 * 3) + 1] = 1; // row 2: two ones

        var noValidation = Assert.Throws<ArgumentException>(() => trainer.Fit(x, y, new TrainingOptions { Epochs = 1, ValidationMetrics = ValidationMetrics.MacroF1Score }, cancellationToken: Ct));
        var regressor = Assert.Throws<ArgumentException>(() => new Trainer<double>(new RegressorDouble(), new Sgd<double>(RegressorDouble.ParameterCount))
            .Fit(new double[30], new double[20], new TrainingOptions { ValidationSplit = 0.5, ValidationMetrics = ValidationMetrics.MacroRecall }, cancellationToken: Ct));
        var targets = Assert.Throws<ArgumentException>(() => trainer.Fit(x, y, (float[])x.Clone(), badValidation, new TrainingOptions { ValidationMetrics = ValidationMetrics.Classification }, cancellationToken: Ct));

        Assert.Equal("options", noValidation.ParamName);
        Assert.Contains("there are none", noValidation.Message);
        Assert.Equal("options", regressor.ParamName);
        Assert.Contains("classification ValidationMetrics", regressor.Message);
        Assert.Contains("Dense(2, Identity)", regressor.Message);
        Assert.Equal("validationTargets", targets.ParamName);
        Assert.Contains("row 2 has no single largest value", targets.Message);
        Assert.Equal(before, classifier.Parameters.ToArray());
        Assert.Throws<ArgumentOutOfRangeException>(() => new TrainingOptions { ValidationMetrics = (ValidationMetrics)64 });
    }

    [Fact]
    public void Fit_with_metrics_allocates_per_call_not_per_epoch()
    {
        (float[] x, float[] y) = Data.Blobs<float>(64, seed: 1);
        var trainer = new Trainer<float>(new Classifier(), new Adam<float>(Classifier.ParameterCount));
        TrainingOptions Epochs(int epochs) => new()
        {
            Epochs = epochs,
            BatchSize = 4,
            ValidationSplit = 0.25,
            ValidationMetrics = ValidationMetrics.Classification | ValidationMetrics.Regression,
        };
        Fit(1);
        Fit(20);

        long one = Fit(1);
        long twenty = Fit(20);

        long perEpoch = Unsafe.SizeOf<EpochProgress>();
        Assert.True(twenty - one <= 19 * perEpoch + 8, $"1 epoch allocated {one} bytes, 20 epochs {twenty}: {(twenty - one) / 19.0:F1} bytes per epoch, more than one EpochProgress ({perEpoch}).");

        long Fit(int epochs)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            trainer.Fit(x, y, Epochs(epochs), cancellationToken: Ct);
            return GC.GetAllocatedBytesForCurrentThread() - before;
        }
    }

    [Fact]
    public void EpochProgress_keeps_its_positional_form_with_the_metrics_beside_it()
    {
        var progress = new EpochProgress(3, 10, 0.5, 0.6, 0.7, TimeSpan.FromSeconds(1));
        (int epoch, int epochs, double trainLoss, double? validationLoss, double? accuracy, TimeSpan elapsed) = progress;

        Assert.Equal((3, 10, 0.5, 0.6, 0.7, TimeSpan.FromSeconds(1)), (epoch, epochs, trainLoss, validationLoss, accuracy, elapsed));
        Assert.Null(progress.ValidationMacroF1Score);
        Assert.NotEqual(progress, progress with { ValidationRSquared = 0.9 });
        Assert.Equal(0.9, (progress with { ValidationRSquared = 0.9 }).ValidationRSquared);
    }

    // ---- Helpers -------------------------------------------------------------------------------------------------

    private static void AssertClose(IEnumerable<double> expected, IEnumerable<double> actual)
    {
        foreach ((double e, double a) in expected.Zip(actual, (e, a) => (e, a)))
        {
            Assert.Equal(e, a, 1e-15);
        }

        Assert.Equal(expected.Count(), actual.Count());
    }

    private static int[] Counts(ConfusionMatrix matrix)
        => [.. Enumerable.Range(0, matrix.ClassCount * matrix.ClassCount).Select(i => matrix[i / matrix.ClassCount, i % matrix.ClassCount])];

    private static (T[] Inputs, T[] Targets) Binary<T>(int rows, int seed)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T[] x = Data.Uniform<T>(rows * 2, seed, scale: 2);
        T[] y = [.. Enumerable.Range(0, rows).Select(r => x[2 * r] + x[(2 * r) + 1] > T.CreateTruncating(0.3) ? T.One : T.Zero)];
        return (x, y);
    }

    private static void NetworkMatrixAgrees<T>(INetwork<T> network, (T[] Inputs, T[] Targets) data)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        network.InitializeParameters(7);
        (T[] x, T[] y) = data;
        int rows = x.Length / network.InputCount;
        int outputCount = network.OutputCount;
        int[] predicted = new int[rows];
        network.PredictClass(x, predicted);
        int[] actual = [.. Enumerable.Range(0, rows).Select(r => outputCount == 1
            ? (double.CreateTruncating(y[r]) >= 0.5 ? 1 : 0)
            : Array.IndexOf(y, T.One, r * outputCount, outputCount) - (r * outputCount))];

        var matrix = ConfusionMatrix.Compute(network, x, y);

        Assert.Equal(Counts(ConfusionMatrix.FromClasses(actual, predicted, network.ClassCount())), Counts(matrix));
        Assert.Equal(rows, matrix.RowCount);
        Assert.True(matrix.Accuracy is > 0 and < 1, $"accuracy {matrix.Accuracy}: a random network should be neither always right nor always wrong.");
    }

    private static void RegressionOfNetworkAgrees<T>(INetwork<T> network)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        network.InitializeParameters(4);
        int rows = 5000;
        T[] x = Data.Uniform<T>(rows * 3, seed: 7);
        T[] y = Data.Uniform<T>(rows * 2, seed: 8);
        T[] predictions = new T[rows * 2];
        network.Predict(x, predictions);

        RegressionMetrics expected = RegressionMetrics.FromPredictions<T>(predictions, y, 2);

        Assert.Equal(expected, RegressionMetrics.Compute(network, x, y));
        Assert.Equal(expected, RegressionMetrics.Compute(network, x, y, maxDegreeOfParallelism: 4));
        Assert.Equal(expected, RegressionMetrics.Compute(network, x, y, maxDegreeOfParallelism: -1));
    }

    /// <summary>The confusion matrix of <see cref="INetwork{T}.Forward"/>'s classes, row by row, as Fit validates.</summary>
    private static ConfusionMatrix ForwardConfusion(INetwork<float> network, float[] x, float[] y)
    {
        int rows = x.Length / 4;
        float[] output = new float[3];
        int[] predicted = new int[rows];
        int[] actual = new int[rows];
        for (int r = 0; r < rows; r++)
        {
            network.Forward(x.AsSpan(r * 4, 4), output);
            predicted[r] = Array.IndexOf(output, output.Max());
            actual[r] = Array.IndexOf(y, 1f, r * 3, 3) - (r * 3);
        }

        return ConfusionMatrix.FromClasses(actual, predicted, 3);
    }

    /// <summary>The regression metrics of <see cref="INetwork{T}.Forward"/>'s outputs, row by row, as Fit validates.</summary>
    private static RegressionMetrics ForwardRegression(INetwork<double> network, double[] x, double[] y)
    {
        int rows = x.Length / 3;
        double[] outputs = new double[rows * 2];
        for (int r = 0; r < rows; r++)
        {
            network.Forward(x.AsSpan(r * 3, 3), outputs.AsSpan(r * 2, 2));
        }

        return RegressionMetrics.FromPredictions<double>(outputs, y, 2);
    }
}
