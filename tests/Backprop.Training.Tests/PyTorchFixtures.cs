using System.Globalization;
using System.Numerics;
using System.Text.Json;

namespace Backprop.Training.Tests;

/// <summary>
/// The PyTorch fixtures of <c>Fixtures/PyTorch</c>, written by <c>tools/pytorch-fixtures/make_fixtures.py</c> (GitHub
/// issue #14): for each model <c>&lt;name&gt;.onnx</c>, <c>&lt;name&gt;.safetensors</c> and <c>&lt;name&gt;.json</c>,
/// the last holding fixed input rows and PyTorch's outputs for them, every number as the shortest text that parses
/// back to the same double (and a float model's numbers are floats, so converting them back to float is exact).
/// </summary>
internal static class PyTorchFixtures
{
    /// <summary>Relative tolerance of a float network: 1e-6, about 8 ulps.</summary>
    public const double FloatTolerance = 1e-6;

    /// <summary>Relative tolerance of a double network: 1e-12.</summary>
    public const double DoubleTolerance = 1e-12;

    /// <summary>
    /// Below this magnitude the tolerance is absolute: tol · 1. These models' outputs are probabilities and targets of
    /// scale 1, and an output much smaller than 1 is a difference of terms of scale 1 that each carry their own
    /// rounding: in float, PyTorch's own outputs of 0.002–0.02 are up to 8e-6 from the exact value (the same float
    /// weights evaluated in double), so no float implementation could be within 1e-6 of them relatively.
    /// </summary>
    public const double RelativeFloor = 1;

    /// <summary>The directory the fixtures are copied to beside the test assembly.</summary>
    public static string Directory { get; } = Path.Combine(AppContext.BaseDirectory, "Fixtures", "PyTorch");

    public static string OnnxPath(string name) => Existing(name + ".onnx");

    public static string SafeTensorsPath(string name) => Existing(name + ".safetensors");

    public static string JsonPath(string name) => Existing(name + ".json");

    /// <summary>The names of every model fixture (every <c>.json</c>), sorted.</summary>
    public static IReadOnlyList<string> ModelNames()
        => [.. System.IO.Directory.EnumerateFiles(Directory, "*.json").Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal)!];

    /// <summary>Reads <c>&lt;name&gt;.json</c>.</summary>
    public static PyTorchFixture Read(string name)
    {
        using JsonDocument document = JsonDocument.Parse(File.ReadAllBytes(JsonPath(name)));
        JsonElement root = document.RootElement;
        return new PyTorchFixture(
            name,
            root.GetProperty("architecture").GetString()!,
            root.GetProperty("dtype").GetString()!,
            Rows(root.GetProperty("inputs")),
            Rows(root.GetProperty("outputs")));
    }

    /// <summary>A row in the network's precision: the identity for double, an exact conversion for a float fixture's numbers.</summary>
    public static T[] Convert<T>(double[] row)
        where T : unmanaged, IFloatingPointIeee754<T>
        => [.. row.Select(T.CreateChecked)];

    /// <summary>
    /// Runs <paramref name="network"/>'s <c>Forward</c> on every input row of <paramref name="fixture"/> and checks each
    /// output against PyTorch's: |ours − torch| ≤ tol · max(|torch|, 1), tol 1e-6 for float and 1e-12 for double.
    /// </summary>
    /// <returns>The largest relative error |ours − torch| / max(|torch|, 1) seen.</returns>
    public static double AssertMatches<T>(INetwork<T> network, PyTorchFixture fixture)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        bool isDouble = typeof(T) == typeof(double);
        Assert.True(
            fixture.DType == (isDouble ? "float64" : "float32"),
            $"{fixture.Name} holds {fixture.DType} values, and the network computes in {typeof(T).Name}.");
        Assert.NotEmpty(fixture.Inputs);
        Assert.Equal(fixture.Inputs.Length, fixture.Outputs.Length);
        double tolerance = isDouble ? DoubleTolerance : FloatTolerance;

        var output = new T[network.OutputCount];
        double worst = 0;
        for (int row = 0; row < fixture.Inputs.Length; row++)
        {
            Assert.True(
                fixture.Inputs[row].Length == network.InputCount && fixture.Outputs[row].Length == network.OutputCount,
                $"{fixture.Name} row {row} has {fixture.Inputs[row].Length} inputs and {fixture.Outputs[row].Length} outputs; the network takes {network.InputCount} and gives {network.OutputCount}.");
            network.Forward(Convert<T>(fixture.Inputs[row]), output);
            for (int column = 0; column < output.Length; column++)
            {
                double ours = double.CreateChecked(output[column]);
                double torch = fixture.Outputs[row][column];
                double error = Math.Abs(ours - torch) / Math.Max(Math.Abs(torch), RelativeFloor);
                if (!(error <= tolerance))
                {
                    Assert.Fail(
                        $"{fixture.Name} ({fixture.Architecture}), row {row}, output {column}: ours {R(ours)}, PyTorch's {R(torch)}, " +
                        $"relative error {error.ToString("G3", CultureInfo.InvariantCulture)} over the tolerance {tolerance.ToString("G3", CultureInfo.InvariantCulture)}.");
                }

                worst = Math.Max(worst, error);
            }
        }

        return worst;
    }

    private static string R(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static string Existing(string file)
    {
        string path = Path.Combine(Directory, file);
        return File.Exists(path)
            ? path
            : throw new FileNotFoundException($"No PyTorch fixture '{file}' in {Directory}; tools/pytorch-fixtures/make_fixtures.py writes it.", path);
    }

    private static double[][] Rows(JsonElement rows)
        => [.. rows.EnumerateArray().Select(row => row.EnumerateArray().Select(value => value.GetDouble()).ToArray())];
}

/// <summary>One fixture's <c>.json</c>: what PyTorch computed for fixed input rows.</summary>
internal sealed record PyTorchFixture(string Name, string Architecture, string DType, double[][] Inputs, double[][] Outputs);

// The networks of the fixtures, one per model: the same layers as the nn.Sequential that
// tools/pytorch-fixtures/make_fixtures.py exports, in the model's precision.

/// <summary><c>iris</c>: 4 → 8 tanh → 3 softmax, trained on Iris in PyTorch, float.</summary>
[Network(Loss.CrossEntropy)]
[Input(4)]
[Dense(8, Activation.Tanh)]
[Dense(3, Activation.Softmax)]
public partial class PyTorchIris;

/// <summary><c>iris_double</c>: the trained Iris model converted to double.</summary>
[Network(Loss.CrossEntropy, Precision = Precision.Double)]
[Input(4)]
[Dense(8, Activation.Tanh)]
[Dense(3, Activation.Softmax)]
public partial class PyTorchIrisDouble;

/// <summary><c>regression</c>: 2 → 16 tanh → 16 tanh → 1 identity, fitted to sin x · cos y, double.</summary>
[Network(Loss.MeanSquaredError, Precision = Precision.Double)]
[Input(2)]
[Dense(16, Activation.Tanh)]
[Dense(16, Activation.Tanh)]
[Dense(1, Activation.Identity)]
public partial class PyTorchRegression;

/// <summary><c>regression_float</c>: the regression model converted to float.</summary>
[Network(Loss.MeanSquaredError)]
[Input(2)]
[Dense(16, Activation.Tanh)]
[Dense(16, Activation.Tanh)]
[Dense(1, Activation.Identity)]
public partial class PyTorchRegressionFloat;

/// <summary><c>sigmoid_output_float</c>: 3 → 4 ReLU → 1 sigmoid, float.</summary>
[Network(Loss.BinaryCrossEntropy)]
[Input(3)]
[Dense(4, Activation.ReLU)]
[Dense(1, Activation.Sigmoid)]
public partial class PyTorchSigmoidOutputFloat;

/// <summary><c>sigmoid_output_double</c>: 3 → 4 ReLU → 1 sigmoid, double.</summary>
[Network(Loss.BinaryCrossEntropy, Precision = Precision.Double)]
[Input(3)]
[Dense(4, Activation.ReLU)]
[Dense(1, Activation.Sigmoid)]
public partial class PyTorchSigmoidOutputDouble;

// act_<activation>_float and act_<activation>_double: 3 → 5 <activation> → 2 identity, randomly initialised.

/// <summary><c>act_identity_float</c>.</summary>
[Network(Loss.MeanSquaredError)]
[Input(3)]
[Dense(5, Activation.Identity)]
[Dense(2, Activation.Identity)]
public partial class PyTorchIdentityFloat;

/// <summary><c>act_identity_double</c>.</summary>
[Network(Loss.MeanSquaredError, Precision = Precision.Double)]
[Input(3)]
[Dense(5, Activation.Identity)]
[Dense(2, Activation.Identity)]
public partial class PyTorchIdentityDouble;

/// <summary><c>act_sigmoid_float</c>.</summary>
[Network(Loss.MeanSquaredError)]
[Input(3)]
[Dense(5, Activation.Sigmoid)]
[Dense(2, Activation.Identity)]
public partial class PyTorchSigmoidFloat;

/// <summary><c>act_sigmoid_double</c>.</summary>
[Network(Loss.MeanSquaredError, Precision = Precision.Double)]
[Input(3)]
[Dense(5, Activation.Sigmoid)]
[Dense(2, Activation.Identity)]
public partial class PyTorchSigmoidDouble;

/// <summary><c>act_tanh_float</c>.</summary>
[Network(Loss.MeanSquaredError)]
[Input(3)]
[Dense(5, Activation.Tanh)]
[Dense(2, Activation.Identity)]
public partial class PyTorchTanhFloat;

/// <summary><c>act_tanh_double</c>.</summary>
[Network(Loss.MeanSquaredError, Precision = Precision.Double)]
[Input(3)]
[Dense(5, Activation.Tanh)]
[Dense(2, Activation.Identity)]
public partial class PyTorchTanhDouble;

/// <summary><c>act_relu_float</c>.</summary>
[Network(Loss.MeanSquaredError)]
[Input(3)]
[Dense(5, Activation.ReLU)]
[Dense(2, Activation.Identity)]
public partial class PyTorchReluFloat;

/// <summary><c>act_relu_double</c>.</summary>
[Network(Loss.MeanSquaredError, Precision = Precision.Double)]
[Input(3)]
[Dense(5, Activation.ReLU)]
[Dense(2, Activation.Identity)]
public partial class PyTorchReluDouble;

/// <summary><c>act_leakyrelu_float</c>.</summary>
[Network(Loss.MeanSquaredError)]
[Input(3)]
[Dense(5, Activation.LeakyReLU)]
[Dense(2, Activation.Identity)]
public partial class PyTorchLeakyReluFloat;

/// <summary><c>act_leakyrelu_double</c>.</summary>
[Network(Loss.MeanSquaredError, Precision = Precision.Double)]
[Input(3)]
[Dense(5, Activation.LeakyReLU)]
[Dense(2, Activation.Identity)]
public partial class PyTorchLeakyReluDouble;

/// <summary><c>act_gelu_float</c>.</summary>
[Network(Loss.MeanSquaredError)]
[Input(3)]
[Dense(5, Activation.GELU)]
[Dense(2, Activation.Identity)]
public partial class PyTorchGeluFloat;

/// <summary><c>act_gelu_double</c>.</summary>
[Network(Loss.MeanSquaredError, Precision = Precision.Double)]
[Input(3)]
[Dense(5, Activation.GELU)]
[Dense(2, Activation.Identity)]
public partial class PyTorchGeluDouble;

/// <summary><c>act_silu_float</c>.</summary>
[Network(Loss.MeanSquaredError)]
[Input(3)]
[Dense(5, Activation.SiLU)]
[Dense(2, Activation.Identity)]
public partial class PyTorchSiluFloat;

/// <summary><c>act_silu_double</c>.</summary>
[Network(Loss.MeanSquaredError, Precision = Precision.Double)]
[Input(3)]
[Dense(5, Activation.SiLU)]
[Dense(2, Activation.Identity)]
public partial class PyTorchSiluDouble;

/// <summary><c>act_elu_float</c>.</summary>
[Network(Loss.MeanSquaredError)]
[Input(3)]
[Dense(5, Activation.ELU)]
[Dense(2, Activation.Identity)]
public partial class PyTorchEluFloat;

/// <summary><c>act_elu_double</c>.</summary>
[Network(Loss.MeanSquaredError, Precision = Precision.Double)]
[Input(3)]
[Dense(5, Activation.ELU)]
[Dense(2, Activation.Identity)]
public partial class PyTorchEluDouble;

/// <summary><c>act_softplus_float</c>.</summary>
[Network(Loss.MeanSquaredError)]
[Input(3)]
[Dense(5, Activation.Softplus)]
[Dense(2, Activation.Identity)]
public partial class PyTorchSoftplusFloat;

/// <summary><c>act_softplus_double</c>.</summary>
[Network(Loss.MeanSquaredError, Precision = Precision.Double)]
[Input(3)]
[Dense(5, Activation.Softplus)]
[Dense(2, Activation.Identity)]
public partial class PyTorchSoftplusDouble;
