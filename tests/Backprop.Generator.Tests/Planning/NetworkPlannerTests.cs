using Backprop.Generator.Definitions;
using Backprop.Generator.Model;
using Backprop.Generator.Planning;
using GeneratorActivation = Backprop.Generator.Model.Activation;
using GeneratorLoss = Backprop.Generator.Model.Loss;
using GeneratorPrecision = Backprop.Generator.Model.Precision;

namespace Backprop.Generator.Tests.Planning;

/// <summary>
/// The planner's decisions, read from the plan of hand-built specs: which form each layer takes and why, where its
/// vectors live, whether Forward and TrainStep run in registers, the output δ, and each method's scratch layout.
/// </summary>
public class NetworkPlannerTests
{
    /// <summary>(shape, precision) → per layer: emission, reason, storage; and the register width.</summary>
    public static TheoryData<string, Precision, string, int> LayerForms => new()
    {
        // Too narrow for a 128-bit vector (fewer than 4 inputs or 16 weights): unrolled, a and δ in locals.
        { "2-3-1", Precision.Single, "Unrolled Narrow Locals | Unrolled Narrow Locals", 0 },
        // 4 inputs and 32 weights: vectorised; the 8-input output layer too. Every input fills one vector: registers.
        { "4-8-3", Precision.Single, "Vectorized Wide Span | Vectorized Wide Span", 256 },
        // A narrow layer whose successor is vectorised keeps its a and δ in a span for the kernels.
        { "3-6-16-4", Precision.Single, "Unrolled Narrow Span | Vectorized Wide Span | Vectorized Wide Span", 0 },
        { "16-16-16-4", Precision.Single, "Vectorized Wide Span | Vectorized Wide Span | Vectorized Wide Span", 512 },
        { "8-4-4-5", Precision.Double, "Vectorized Wide Span | Vectorized Wide Span | Vectorized Wide Span", 512 },
        // Ten float outputs are one 512-bit vector with six lanes of padding: the register form needs 512 bits.
        { "4-4-10", Precision.Single, "Vectorized Wide Span | Vectorized Wide Span", 512 },
        // Seventeen float outputs pass one 512-bit vector: no register form.
        { "4-4-17", Precision.Single, "Vectorized Wide Span | Vectorized Wide Span", 0 },
        // Five double outputs take a 512-bit vector, like the 8-double input.
        { "4-8-5", Precision.Double, "Vectorized Wide Span | Vectorized Wide Span", 512 },
        // 64 inputs are four 512-bit vectors: kernels, no register form.
        { "64-32-10", Precision.Single, "Vectorized Wide Span | Vectorized Wide Span", 0 },
        // 600 inputs to one neuron: 600 weights fill vectors.
        { "600-1", Precision.Single, "Vectorized Wide Span", 0 },
        // One input fans out to 600 neurons: rows of one weight are narrow, but unrolling 600 of them (and the
        // wide layer's partner statements) would cross the JIT budget, so the planner vectorises it.
        { "1-600-1", Precision.Single, "Vectorized JitBudget Span | Vectorized Wide Span", 0 },
        { "3-300-3", Precision.Single, "Vectorized JitBudget Span | Vectorized Wide Span", 0 },
        // 2³² + 128 bits of input: in 32-bit arithmetic that would wrap to one 128-bit vector, the register form
        // would be chosen, and Forward would read 4 of the inputs.
        { "134217732-1", Precision.Single, "Vectorized Wide Span", 0 },
        { "67108866-1", Precision.Double, "Vectorized Wide Span", 0 },
    };

    [Theory]
    [MemberData(nameof(LayerForms))]
    public void Each_layer_takes_the_form_the_rules_give(string shape, Precision precision, string expected, int registerWidthBits)
    {
        NetworkPlan plan = Plan(shape, GeneratorLoss.SumSquaredError, (GeneratorPrecision)precision, GeneratorActivation.Tanh, GeneratorActivation.Identity);

        Assert.Equal(expected, string.Join(" | ", plan.Layers.Select(l => $"{l.Emission} {l.Reason} {l.Storage}")));
        Assert.Equal(registerWidthBits, plan.RegisterWidthBits);
        // Six methods, two more for the register form, and Forward's pairs of 256 where it is 512 bits wide.
        Assert.Equal(registerWidthBits == 512, plan.RunsInRegisterPairs);
        Assert.Equal(6 + (plan.RunsInRegisters ? 2 : 0) + (plan.RunsInRegisterPairs ? 1 : 0), plan.Methods.Count);
    }

    /// <summary>(output activation, loss) → the output δ.</summary>
    public static TheoryData<Activation, Loss, string> OutputDeltas => new()
    {
        { Activation.Softmax, Loss.CrossEntropy, nameof(OutputDelta.SoftmaxCrossEntropy) },
        { Activation.Sigmoid, Loss.BinaryCrossEntropy, nameof(OutputDelta.SigmoidBinaryCrossEntropy) },
        { Activation.Softmax, Loss.MeanSquaredError, nameof(OutputDelta.SoftmaxJacobian) },
        { Activation.Softmax, Loss.SumSquaredError, nameof(OutputDelta.SoftmaxJacobian) },
        { Activation.Sigmoid, Loss.SumSquaredError, nameof(OutputDelta.ChainRule) },
        { Activation.Identity, Loss.HalfSumSquaredError, nameof(OutputDelta.ChainRule) },
        { Activation.LeakyReLU, Loss.MeanSquaredError, nameof(OutputDelta.ChainRule) },
    };

    [Theory]
    [MemberData(nameof(OutputDeltas))]
    public void The_output_delta_is_fused_for_its_pair(Activation output, Loss loss, string expected)
        => Assert.Equal(expected, Plan("4-3", (GeneratorLoss)loss, GeneratorPrecision.Single, GeneratorActivation.Tanh, (GeneratorActivation)output).OutputDelta.ToString());

    /// <summary>(shape, loss, method) → the scratch slices in order, and where the buffer lives.</summary>
    public static TheoryData<string, Loss, string, string, string> ScratchLayouts => new()
    {
        // All in locals: no buffer at all.
        { "2-3-1", Loss.SumSquaredError, nameof(GeneratedMethod.TrainStep), "", nameof(ScratchLocation.None) },
        // Forward writes y straight into the caller's output span.
        { "16-16-16-4", Loss.CrossEntropy, nameof(GeneratedMethod.Forward), "a1:0:16 a2:16:16", nameof(ScratchLocation.Stack) },
        // The cross-entropy reads the logits: z of the output layer is kept apart from y in the methods with a loss.
        { "16-16-16-4", Loss.CrossEntropy, nameof(GeneratedMethod.ComputeLoss), "a1:0:16 a2:16:16 z3:32:4 a3:36:4", nameof(ScratchLocation.Stack) },
        { "16-16-16-4", Loss.CrossEntropy, nameof(GeneratedMethod.TrainStep), "a1:0:16 delta1:16:16 a2:32:16 delta2:48:16 z3:64:4 a3:68:4 delta3:72:4", nameof(ScratchLocation.Stack) },
        { "16-16-16-4", Loss.MeanSquaredError, nameof(GeneratedMethod.AccumulateGradient), "a1:0:16 delta1:16:16 a2:32:16 delta2:48:16 a3:64:4 delta3:68:4", nameof(ScratchLocation.Stack) },
        // In registers only the output layer goes through memory; Forward's y is the caller's span.
        { "16-16-16-4", Loss.CrossEntropy, nameof(GeneratedMethod.ForwardInRegisters), "", nameof(ScratchLocation.None) },
        // In registers the output layer's z, y and δ are vectors too: nothing goes through memory.
        { "16-16-16-4", Loss.CrossEntropy, nameof(GeneratedMethod.TrainStepInRegisters), "", nameof(ScratchLocation.None) },
        // So is Forward's pair form, for AVX2.
        { "16-16-16-4", Loss.CrossEntropy, nameof(GeneratedMethod.ForwardInRegisterPairs), "", nameof(ScratchLocation.None) },
        // 2,204 floats (8,816 bytes) fit the 16 KiB stack budget; 4,410 (17,640 bytes) do not and are rented.
        { "8-1100-2", Loss.SumSquaredError, nameof(GeneratedMethod.ComputeLoss), "a1:0:1100 a2:1100:2", nameof(ScratchLocation.Stack) },
        { "8-2200-2", Loss.SumSquaredError, nameof(GeneratedMethod.TrainStep), "a1:0:2200 delta1:2200:2200 a2:4400:2 delta2:4402:2", nameof(ScratchLocation.Pooled) },
        // The batched methods keep every layer's vectors for a block of 64 rows, whatever the layer's per-row form:
        // ForwardBatch writes the output layer into the caller's rows, BackwardBatch keeps z, a and δ as TrainStep does,
        // and a softmax under cross-entropy each row's logsumexp(z) beside them.
        { "2-3-1", Loss.SumSquaredError, nameof(GeneratedMethod.ForwardBatch), "a1Rows:0:192", nameof(ScratchLocation.Stack) },
        { "16-16-16-4", Loss.CrossEntropy, nameof(GeneratedMethod.ForwardBatch), "a1Rows:0:1024 a2Rows:1024:1024", nameof(ScratchLocation.Stack) },
        {
            "16-16-16-4", Loss.CrossEntropy, nameof(GeneratedMethod.AccumulateBatchGradient),
            "a1Rows:0:1024 delta1Rows:1024:1024 a2Rows:2048:1024 delta2Rows:3072:1024 z3Rows:4096:256 a3Rows:4352:256 delta3Rows:4608:256 logSumExpRows:4864:64",
            nameof(ScratchLocation.Pooled)
        },
    };

    [Theory]
    [MemberData(nameof(ScratchLayouts))]
    public void Each_method_gets_the_scratch_layout_its_vectors_need(
        string shape, Loss loss, string method, string expected, string location)
    {
        GeneratorActivation output = loss == Loss.CrossEntropy ? GeneratorActivation.Softmax : GeneratorActivation.Identity;
        MethodPlan plan = Plan(shape, (GeneratorLoss)loss, GeneratorPrecision.Single, GeneratorActivation.ReLU, output)
            .Method(Enum.Parse<GeneratedMethod>(method));

        Assert.Equal(expected, string.Join(" ", plan.Slices.Select(s => $"{s.Name}:{s.Offset}:{s.Length}")));
        Assert.Equal(location, plan.Location.ToString());
        int rowsPerCall = plan.Method.RunsBatches() ? NetworkPlanner.MaximumBatchBlockRows : 1;
        Assert.True(plan.ScratchLength <= ScratchLayout.MaximumValuesPerNeuron * NeuronCount(shape) * rowsPerCall);
    }

    /// <summary>(shape, rows per block): 64, or as many rows as keep a block's buffers within a megabyte of floats.</summary>
    public static TheoryData<string, int> BatchBlocks => new()
    {
        { "2-3-1", 64 },
        { "784-128-10", 64 },
        // z is not kept for ReLU: a 2,200-neuron layer's a and δ, and the output's, 4,404 values a row: 262,144 / 4,404.
        { "8-2200-2", 59 },
        // Wider than a megabyte per row: one row a block, never zero.
        { "1-200000-1", 1 },
    };

    [Theory]
    [MemberData(nameof(BatchBlocks))]
    public void Batched_methods_run_blocks_that_keep_their_buffers_bounded(string shape, int rows)
    {
        NetworkPlan plan = Plan(shape, GeneratorLoss.SumSquaredError, GeneratorPrecision.Single, GeneratorActivation.ReLU, GeneratorActivation.Identity);

        Assert.Equal(rows, plan.BatchBlockRows);
        Assert.True(rows == 1 || plan.Method(GeneratedMethod.AccumulateBatchGradient).ScratchLength <= NetworkPlanner.MaximumBatchScratch);
    }

    /// <summary>The header states which tiles the runtime's batch kernels take; the rule must be the runtime's own.</summary>
    [Fact]
    public void The_batch_tiles_the_header_states_are_the_runtimes()
    {
        Assert.Equal(global::Backprop.CompilerServices.BatchKernels.DotProductMinimumInputs, NetworkPlanner.BatchDotProductMinimumInputs);
        Assert.False(global::Backprop.CompilerServices.BatchKernels.ForwardPacksWeights(NetworkPlanner.BatchDotProductMinimumInputs));
        Assert.True(global::Backprop.CompilerServices.BatchKernels.ForwardPacksWeights(NetworkPlanner.BatchDotProductMinimumInputs - 1));
    }

    [Fact]
    public void A_network_without_a_register_form_has_no_register_methods()
    {
        NetworkPlan plan = Plan("64-32-10", GeneratorLoss.CrossEntropy, GeneratorPrecision.Single, GeneratorActivation.ReLU, GeneratorActivation.Softmax);

        Assert.Throws<ArgumentOutOfRangeException>(() => plan.Method(GeneratedMethod.TrainStepInRegisters));
    }

    /// <summary>Only the output layer, and only for a loss of the logits, keeps z apart today; a method without a loss never does.</summary>
    [Fact]
    public void Z_is_kept_where_the_loss_reads_the_logits()
    {
        NetworkPlan crossEntropy = Plan("4-8-3", GeneratorLoss.CrossEntropy, GeneratorPrecision.Single, GeneratorActivation.Tanh, GeneratorActivation.Softmax);
        NetworkPlan squared = Plan("4-8-3", GeneratorLoss.SumSquaredError, GeneratorPrecision.Single, GeneratorActivation.Tanh, GeneratorActivation.Softmax);

        Assert.True(crossEntropy.KeepsPreActivation(crossEntropy.OutputLayer, GeneratedMethod.TrainStep));
        Assert.False(crossEntropy.KeepsPreActivation(crossEntropy.OutputLayer, GeneratedMethod.Forward));
        Assert.False(crossEntropy.KeepsPreActivation(crossEntropy.Layers[0], GeneratedMethod.TrainStep));
        Assert.False(squared.KeepsPreActivation(squared.OutputLayer, GeneratedMethod.TrainStep));
    }

    /// <summary>A square layer whose rows fill a 512-bit vector sums its rows with one transpose tree; others by blocks.</summary>
    [Theory]
    [InlineData("16-16-16-4", Precision.Single, "TransposeTree TransposeTree Blocks")]
    [InlineData("8-8-3", Precision.Double, "TransposeTree Blocks")]
    [InlineData("8-8-3", Precision.Single, "Blocks Blocks")]
    [InlineData("16-8-4", Precision.Single, "Blocks Blocks")]
    public void The_dot_product_shape_is_planned_per_layer(string shape, Precision precision, string expected)
    {
        NetworkPlan plan = Plan(shape, GeneratorLoss.SumSquaredError, (GeneratorPrecision)precision, GeneratorActivation.ReLU, GeneratorActivation.Identity);

        Assert.Equal(expected, string.Join(" ", plan.Layers.Select(l => l.DotProducts)));
    }

    /// <summary>
    /// A hidden activation whose g′ reads z (GELU, SiLU, Softplus) keeps z in the methods that backpropagate, and
    /// only there: a scratch slice in the kernel form, locals in unrolled code, a vector local in registers.
    /// </summary>
    [Theory]
    [InlineData(Activation.GELU, true)]
    [InlineData(Activation.SiLU, true)]
    [InlineData(Activation.Softplus, true)]
    [InlineData(Activation.ELU, false)]
    [InlineData(Activation.Tanh, false)]
    public void A_derivative_that_reads_z_keeps_z_where_the_method_backpropagates(Activation hidden, bool keepsZ)
    {
        NetworkPlan plan = Plan("8-8-3", GeneratorLoss.MeanSquaredError, GeneratorPrecision.Double, (GeneratorActivation)hidden, GeneratorActivation.Identity);
        LayerPlan layer = plan.Layers[0];

        Assert.Equal(keepsZ, plan.KeepsPreActivation(layer, GeneratedMethod.TrainStep));
        Assert.Equal(keepsZ, plan.KeepsPreActivation(layer, GeneratedMethod.AccumulateGradient));
        Assert.False(plan.KeepsPreActivation(layer, GeneratedMethod.Forward));
        Assert.False(plan.KeepsPreActivation(layer, GeneratedMethod.ComputeLoss));
        Assert.Equal(keepsZ, plan.Method(GeneratedMethod.TrainStep).Slices.Any(s => s.Name == "z1"));
        Assert.DoesNotContain(plan.Method(GeneratedMethod.Forward).Slices, s => s.Name == "z1");
    }

    /// <summary>A spec of the given shape ("4-8-3": inputs, then layer sizes), hidden layers of one activation.</summary>
    internal static NetworkPlan Plan(string shape, GeneratorLoss loss, GeneratorPrecision precision, GeneratorActivation hidden, GeneratorActivation output)
    {
        int[] sizes = [.. shape.Split('-').Select(int.Parse)];
        LayerSpec[] layers = [.. sizes.Skip(1).Select((size, i) => new LayerSpec(size, i == sizes.Length - 2 ? output : hidden))];
        var spec = new NetworkSpec(new TypeSpec("Demo", "Net", default), loss, precision, sizes[0], layers.ToEquatableArray());
        return NetworkPlanner.Plan(spec);
    }

    private static int NeuronCount(string shape) => shape.Split('-').Skip(1).Sum(int.Parse);
}
