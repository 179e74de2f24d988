using Backprop.Generator.Emitting;
using Backprop.Generator.Planning;
using Backprop.Generator.Tests.Planning;
using GeneratorActivation = Backprop.Generator.Model.Activation;
using GeneratorLoss = Backprop.Generator.Model.Loss;
using GeneratorPrecision = Backprop.Generator.Model.Precision;

namespace Backprop.Generator.Tests.Emitting;

/// <summary>
/// The emitter prints the plan it is given: these tests hand it plans of hand-built specs (no compilation, no
/// attributes) and check, table by table, that each decision of the plan shows in the text, in every form.
/// </summary>
public class NetworkEmitterTests
{
    /// <summary>
    /// (hidden activation, shape) → the hidden layer's δ reads z where its derivative does and a otherwise, in the
    /// kernel form (spans: 6-8-3, whose 8-wide layer takes the kernels) and in the register form (8-8-3).
    /// </summary>
    [Theory]
    [InlineData(Activation.GELU, "GELUOperator", "z1")]
    [InlineData(Activation.SiLU, "SiLUOperator", "z1")]
    [InlineData(Activation.Softplus, "SoftplusOperator", "z1")]
    [InlineData(Activation.ELU, "ELUOperator", "a1")]
    [InlineData(Activation.Tanh, "TanhOperator", "a1")]
    [InlineData(Activation.Sigmoid, "SigmoidOperator", "a1")]
    [InlineData(Activation.ReLU, "ReLUOperator", "a1")]
    [InlineData(Activation.LeakyReLU, "LeakyReLUOperator", "a1")]
    public void A_hidden_delta_multiplies_by_the_derivative_of_what_it_reads(Activation hidden, string op, string reads)
    {
        string kernels = Emit("6-8-3", (GeneratorActivation)hidden);
        string registers = Emit("8-8-3", (GeneratorActivation)hidden);
        string derivative = $"Activations.MultiplyByDerivative<float, BackpropRuntime::{op}<float>>";

        Assert.Contains($"{derivative}({reads}, delta1);", Normalize(kernels));
        Assert.Contains($"{derivative}({reads}, even1 + odd1);", Normalize(registers));
        Assert.Equal(reads == "z1", kernels.Contains("Span<float> z1 = scratch.Slice(", StringComparison.Ordinal));
        Assert.Contains($"BackpropVectors::Vector256<float> a1 = BackpropRuntime::Activations.Apply<float, BackpropRuntime::{op}<float>>(z1);", Normalize(registers));
    }

    /// <summary>An unrolled layer whose g′ reads z writes z as locals first, then a from them; one that reads a does not.</summary>
    [Theory]
    [InlineData(Activation.GELU, true)]
    [InlineData(Activation.ELU, false)]
    public void An_unrolled_layer_keeps_z_in_locals_only_when_its_derivative_reads_it(Activation hidden, bool keepsZ)
    {
        string source = Emit("2-3-1", (GeneratorActivation)hidden);

        Assert.Equal(keepsZ, source.Contains("float z1_0 = b1[0] + ", StringComparison.Ordinal));
        Assert.Equal(keepsZ, source.Contains("Derivative(z1_0)", StringComparison.Ordinal));
        Assert.Equal(!keepsZ, source.Contains("Derivative(a1_0)", StringComparison.Ordinal));
    }

    /// <summary>Each method's scratch buffer is the plan's: its slices by name, offset and length, where the plan puts it.</summary>
    [Theory]
    [InlineData("16-16-16-4", "stackalloc float[72]")]
    [InlineData("8-2200-2", "ArrayPool<float>.Shared.Rent(4404)")]
    public void Each_scratch_slice_of_the_plan_is_declared_as_laid_out(string shape, string buffer)
    {
        NetworkPlan plan = NetworkPlannerTests.Plan(shape, GeneratorLoss.SumSquaredError, GeneratorPrecision.Single, GeneratorActivation.ReLU, GeneratorActivation.Identity);
        string source = NetworkEmitter.Emit(plan, "0.0.0");

        Assert.Contains(buffer, source);
        Assert.All(plan.Method(GeneratedMethod.TrainStep).Slices, slice =>
            Assert.Contains($"Span<float> {slice.Name} = scratch.Slice({slice.Offset}, {slice.Length});", source));
    }

    /// <summary>The same plan always gives the same text.</summary>
    [Fact]
    public void Emitting_is_deterministic()
        => Assert.Equal(Emit("8-8-3", GeneratorActivation.GELU), Emit("8-8-3", GeneratorActivation.GELU));

    private static string Emit(string shape, GeneratorActivation hidden)
        => NetworkEmitter.Emit(
            NetworkPlannerTests.Plan(shape, GeneratorLoss.MeanSquaredError, GeneratorPrecision.Single, hidden, GeneratorActivation.Identity),
            "0.0.0");

    /// <summary>One line per statement: a statement the writer broke for width is joined again.</summary>
    private static string Normalize(string source)
        => System.Text.RegularExpressions.Regex.Replace(
            System.Text.RegularExpressions.Regex.Replace(source, @"(<|\()\n\s+", "$1"),
            @"([,=])\n\s+|\n\s+(?=[+*] )",
            m => m.Value[0] is ',' or '=' ? m.Value[0] + " " : " ");
}
