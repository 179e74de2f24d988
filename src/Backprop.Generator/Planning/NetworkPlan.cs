using System.Linq;
using Backprop.Generator.Definitions;
using Backprop.Generator.Model;

namespace Backprop.Generator.Planning;

/// <summary>How the emitter writes one layer's arithmetic.</summary>
internal enum LayerEmission
{
    /// <summary>One statement per neuron (sums of at most a few terms each), constant indices, no loops.</summary>
    Unrolled,

    /// <summary>
    /// Calls to the runtime's SIMD kernels (DenseKernels) over the whole layer: z = W·x + b four rows at a
    /// time, and Wᵀδ with the update in one pass over W.
    /// </summary>
    Vectorized,
}

/// <summary>Why the planner chose a layer's emission; the generated header says it.</summary>
internal enum EmissionReason
{
    /// <summary>Too few inputs or weights to fill a SIMD vector: straight-line code is faster (measured).</summary>
    Narrow,

    /// <summary>Inputs fill SIMD vectors: the vectorised kernels are faster (measured).</summary>
    Wide,

    /// <summary>Narrow, but unrolling it would cross the JIT's budget for TrainStep.</summary>
    JitBudget,
}

/// <summary>Where a layer's activations a⁽ˡ⁾ and errors δ⁽ˡ⁾ live inside a generated method.</summary>
internal enum VectorStorage
{
    /// <summary>Named locals (a1_0, delta1_0, …) that the JIT can keep in registers.</summary>
    Locals,

    /// <summary>A slice of the method's scratch buffer, because a kernel reads or writes it.</summary>
    Span,
}

/// <summary>How the register form sums a layer's rows' products into z.</summary>
internal enum DotProducts
{
    /// <summary>Per block of four rows (two of double): each row folded to a 128-bit block, the blocks added pairwise.</summary>
    Blocks,

    /// <summary>
    /// A square layer whose rows fill a 512-bit vector like its input (16 × 16 floats, 8 × 8 doubles): one
    /// transpose-and-add tree over all its rows, about half the shuffles of four blocks (measured).
    /// </summary>
    TransposeTree,
}

/// <summary>One dense layer with its place in the parameter vector and how it is emitted.</summary>
/// <param name="Number">1 for the first dense layer; layer 0 is the input.</param>
internal sealed record LayerPlan(
    int Number,
    int InputCount,
    int Size,
    Activation Activation,
    int WeightOffset,
    int BiasOffset,
    LayerEmission Emission,
    EmissionReason Reason,
    VectorStorage Storage,
    DotProducts DotProducts)
{
    public int WeightCount => InputCount * Size;

    public int ParameterCount => WeightCount + Size;

    public ActivationDefinition Definition => ActivationDefinition.Of(Activation);
}

/// <summary>
/// Everything the emitter needs, decided: the network, its layers with their emission choices, the δ rule, and for
/// each generated method its scratch layout. The emitter only prints it.
/// </summary>
internal sealed record NetworkPlan(
    TypeSpec Type,
    Loss Loss,
    Precision Precision,
    int InputCount,
    VectorStorage InputStorage,
    EquatableArray<LayerPlan> Layers,
    OutputDelta OutputDelta,
    MethodCost EstimatedTrainStepCost,
    int RegisterWidthBits,
    int BatchBlockRows,
    EquatableArray<MethodPlan> Methods)
{
    /// <summary>The declaration's <c>Weights = "…"</c>, as written, or null: the network starts from its compiled weights.</summary>
    public string? Weights { get; init; }

    /// <summary>
    /// Forward and TrainStep also have a form that keeps every vector in SIMD registers (see
    /// <see cref="NetworkPlanner.RegisterWidthBits"/>); <see cref="RegisterWidthBits"/> is the widest vector it uses.
    /// </summary>
    public bool RunsInRegisters => RegisterWidthBits != 0;

    /// <summary>
    /// Forward's register form also comes as pairs of 256-bit vectors, for hardware with AVX2 and no AVX-512: its
    /// widest vectors are 512 bits, which such hardware only emulates, through memory. TrainStep's does not: on this
    /// project's AVX2 host the same form of 16-16-16-4's TrainStep measured 347–350 ns against 261–317 in the kernel
    /// form, and still 247–346 against 258–262 once the exponential and logarithm were inlined rather than calls that
    /// spilled every live vector, while Forward's pairs halve its time (134 → 71 ns).
    /// </summary>
    public bool RunsInRegisterPairs => RegisterWidthBits == 512;

    public LayerPlan OutputLayer => Layers[Layers.Count - 1];

    public int OutputCount => OutputLayer.Size;

    public int ParameterCount => OutputLayer.BiasOffset + OutputLayer.Size;

    public LossDefinition LossDefinition => LossDefinition.Of(Loss);

    /// <summary>
    /// Whether the kernel form sums the targets (Σⱼtⱼ of softmax · cross-entropy) as one expression rather than a
    /// TensorPrimitives call: for a few targets the expression costs less than the call (measured, 4 targets).
    /// </summary>
    public bool SumsTargetsInline => OutputCount <= NetworkPlanner.MaximumInlineTargetSum;

    /// <summary>The scratch layout of <paramref name="method"/>.</summary>
    public MethodPlan Method(GeneratedMethod method)
    {
        foreach (MethodPlan plan in Methods)
        {
            if (plan.Method == method)
            {
                return plan;
            }
        }

        throw new System.ArgumentOutOfRangeException(nameof(method), method, "This network has no such method.");
    }

    /// <summary>
    /// The plan as the batched methods see it: every layer's vectors in (block) buffers, so that the output layer's
    /// activation, loss and δ are the span code of a vectorised layer, written per row of a block.
    /// </summary>
    public NetworkPlan WithEveryVectorInSpans()
        => this with
        {
            InputStorage = VectorStorage.Span,
            Layers = Layers.Select(l => l with { Emission = LayerEmission.Vectorized, Storage = VectorStorage.Span }).ToEquatableArray(),
        };

    /// <summary>
    /// Whether <paramref name="method"/> keeps the pre-activation z⁽ˡ⁾ apart from a⁽ˡ⁾: for the output layer when
    /// the loss is computed from the logits, and for a layer whose derivative reads z when the method backpropagates.
    /// </summary>
    public bool KeepsPreActivation(LayerPlan layer, GeneratedMethod method)
        => (layer.Number == OutputLayer.Number && method.ComputesLoss() && LossDefinition.Reads == LossInput.Logits)
           || (method.Backpropagates() && layer.Definition.DerivativeReads == DerivativeInput.PreActivation);

    /// <summary>
    /// Whether the method's loss reads logsumexp(z) of a softmax output layer (cross-entropy from the logits), which the
    /// softmax computes on the way.
    /// </summary>
    public bool ReadsLogSumExp(GeneratedMethod method)
        => !OutputLayer.Definition.IsElementWise && LossDefinition.ReadsLogSumExp && KeepsPreActivation(OutputLayer, method);
}
