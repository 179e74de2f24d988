using Digits;
using Interop;
using Iris;
using LogisticRegression;
using Regression;

namespace Backprop.Training.Tests;

/// <summary>Each sample's training, with fewer epochs than the sample runs, against the sample's quality bar.</summary>
public sealed class SampleTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("backprop-samples-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Iris_reaches_95_percent_test_accuracy()
    {
        IrisResult result = IrisTraining.Run(epochs: 60);

        Assert.True(result.TestAccuracy >= 0.95, $"Iris test accuracy {result.TestAccuracy:P1} on {result.TestRows} flowers");
        Assert.Equal(45, result.TestRows);
        Assert.Equal(60, result.Training.EpochsCompleted);
    }

    [Fact]
    public void Iris_loss_curve_is_an_svg_with_both_lines()
    {
        IrisResult result = IrisTraining.Run(epochs: 5);

        string svg = LossCurveSvg.Render(result.Training.History, "title", "subtitle");

        Assert.StartsWith("<svg xmlns=\"http://www.w3.org/2000/svg\"", svg);
        Assert.Equal(2, svg.Split("<polyline").Length - 1);
        Assert.EndsWith("</svg>", svg.TrimEnd());
    }

    [Fact]
    public void Digits_reaches_95_percent_and_the_reloaded_model_the_same()
    {
        DigitsResult result = DigitsTraining.Run(Path.Combine(_directory, "digits.bpn"), epochs: 12);

        Assert.True(result.TestAccuracy >= 0.95, $"Digits test accuracy {result.TestAccuracy:P2} on {result.TestRows} images");
        Assert.Equal(result.TestAccuracy, result.ReloadedTestAccuracy);
        Assert.Equal(24 + 107 + 4 * DigitsNet.ParameterCount, result.ModelBytes);
    }

    [Fact]
    public void Interop_runs_the_compiled_in_pytorch_model_and_onnx_runtime_agrees_with_the_export()
    {
        InteropResult result = InteropDemo.Run(Path.Combine(_directory, "iris.onnx"), epochs: 30);

        // PyTorch's model (98% training accuracy in the fixture script), with its weights compiled in.
        Assert.True(result.PyTorchAccuracy >= 0.97, $"PyTorch's Iris model: accuracy {result.PyTorchAccuracy:P1}");
        var loaded = new PyTorchIrisNet();
        Backprop.Interop.Onnx.Load(loaded, PyTorchFixtures.OnnxPath("iris"));
        Assert.Equal(loaded.Parameters.ToArray(), result.PyTorchModel.Parameters.ToArray());

        Assert.True(result.TrainedAccuracy >= 0.9, $"trained here: accuracy {result.TrainedAccuracy:P1}");
        Assert.True(result.LargestDifference <= 1e-6, $"ONNX Runtime differs by {result.LargestDifference:E2}");
        Assert.Equal(150, result.Rows);
        Assert.Equal(result.Rows, result.SamePredictions);
        Assert.True(File.Exists(result.OnnxPath));
    }

    [Fact]
    public void Regression_fits_sine()
    {
        RegressionResult result = RegressionTraining.Run(epochs: 150);

        Assert.True(result.TestMeanSquaredError < 1e-3, $"mean squared error {result.TestMeanSquaredError:E2}");
        Assert.True(result.TestMaxAbsoluteError < 0.1, $"largest error {result.TestMaxAbsoluteError:F4}");
    }

    [Fact]
    public void Logistic_regression_tells_virginica_apart()
    {
        LogisticRegressionResult result = LogisticRegressionTraining.Run(epochs: 30);

        Assert.True(result.TestAccuracy >= 0.93, $"test accuracy {result.TestAccuracy:P1} on {result.TestRows} flowers");
        Assert.True(result.Network.Parameters[3] > 1, "Petal width should weigh for virginica.");
    }
}
