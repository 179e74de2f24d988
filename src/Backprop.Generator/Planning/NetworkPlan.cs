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

/// <summary>The fused output-layer δ⁽ᴸ⁾ = ∂L/∂z⁽ᴸ⁾ chosen for the network's activation · loss pair.</summary>
internal enum OutputDelta
{
    /// <summary>Softmax · cross-entropy: δₖ = yₖ·Σⱼtⱼ − tₖ.</summary>
    SoftmaxCrossEntropy,

    /// <summary>Sigmoid · binary cross-entropy: δₖ = yₖ − tₖ.</summary>
    SigmoidBinaryCrossEntropy,

    /// <summary>Softmax · a squared error: δₖ = yₖ(gₖ − Σⱼ gⱼyⱼ) with gⱼ = ∂L/∂yⱼ.</summary>
    SoftmaxSquaredError,

    /// <summary>Element-wise activation · a squared error: δₖ = ∂L/∂yₖ · g′ₖ.</summary>
    ChainRule,
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
    VectorStorage Storage)
{
    public int WeightCount => InputCount * Size;

    public int ParameterCount => WeightCount + Size;
}

/// <summary>Everything the emitter needs: the network, its layers with their emission choices, and the δ rule.</summary>
internal sealed record NetworkPlan(
    TypeSpec Type,
    Loss Loss,
    Precision Precision,
    int InputCount,
    VectorStorage InputStorage,
    EquatableArray<LayerPlan> Layers,
    OutputDelta OutputDelta,
    MethodCost EstimatedTrainStepCost,
    int RegisterWidthBits = 0)
{
    /// <summary>
    /// Forward and TrainStep also have a form that keeps every vector in SIMD registers (see
    /// <see cref="NetworkPlanner.RegisterWidthBits"/>); <see cref="RegisterWidthBits"/> is the widest vector it uses.
    /// </summary>
    public bool RunsInRegisters => RegisterWidthBits != 0;

    public LayerPlan OutputLayer => Layers[Layers.Count - 1];

    public int OutputCount => OutputLayer.Size;

    public int ParameterCount => OutputLayer.BiasOffset + OutputLayer.Size;

    /// <summary>The logits z⁽ᴸ⁾ are kept apart from y when the loss is computed from them.</summary>
    public bool KeepsLogits => Loss is Loss.CrossEntropy or Loss.BinaryCrossEntropy;
}
