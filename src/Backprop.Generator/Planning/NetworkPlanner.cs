using System.Collections.Generic;
using System.Linq;
using Backprop.Generator.Definitions;
using Backprop.Generator.Model;

namespace Backprop.Generator.Planning;

/// <summary>
/// Turns a spec into a plan: parameter offsets, the output δ, for every layer whether it is unrolled or
/// vectorised (vectorised when its rows fill a SIMD vector, and whenever unrolling would make a generated method
/// cross the JIT's MinOpts thresholds), whether Forward and TrainStep also run in registers, and each generated
/// method's scratch layout.
/// </summary>
internal static class NetworkPlanner
{
    /// <summary>
    /// A layer is vectorised when its rows fill a 128-bit vector (4 floats; the kernels pick wider vectors
    /// when the rows are longer) and it has at least this many weights. Measured on the benchmark networks:
    /// the kernels win from 4-8-3 up (4-8-3 TrainStep 150 → 110 ns, 16-16-16-4 730 → 220 ns) and lose on 2-3-1.
    /// </summary>
    public const int MinimumVectorInputs = 4;

    /// <inheritdoc cref="MinimumVectorInputs"/>
    public const int MinimumVectorWeights = 16;

    public static NetworkPlan Plan(NetworkSpec spec)
    {
        var reasons = new EmissionReason[spec.Layers.Count];
        int inputCount = spec.InputSize;
        for (int i = 0; i < reasons.Length; i++)
        {
            int size = spec.Layers[i].Size;
            reasons[i] = inputCount >= MinimumVectorInputs && (long)inputCount * size >= MinimumVectorWeights
                ? EmissionReason.Wide
                : EmissionReason.Narrow;
            inputCount = size;
        }

        while (true)
        {
            NetworkPlan plan = Build(spec, reasons);
            if (plan.EstimatedTrainStepCost.FitsWithin(JitBudget.PerMethod))
            {
                return plan;
            }

            // Vectorise the unrolled layer with the most weights: it frees the most budget per layer given up.
            LayerPlan? largest = plan.Layers
                .Where(l => l.Emission == LayerEmission.Unrolled)
                .OrderByDescending(l => l.WeightCount)
                .ThenBy(l => l.Number)
                .FirstOrDefault();
            if (largest is null)
            {
                // Every layer is already vectorised: only a network of hundreds of layers gets here.
                return plan;
            }

            reasons[largest.Number - 1] = EmissionReason.JitBudget;
        }
    }

    /// <summary>
    /// ForwardBatch, BackwardBatch and TrainBatch run their rows in blocks of at most this many: each layer of a block
    /// is one matrix product (each weight loaded once serves a tile of rows), and the block's vectors stay small enough
    /// to be reused from cache by the next layer.
    /// </summary>
    public const int MaximumBatchBlockRows = 64;

    /// <summary>
    /// From this many inputs the batch kernels compute a layer's z by dot products along the inputs, in tiles of three
    /// rows × four neurons; below it they pack Wᵀ once per call and take the product tiles of six rows × two vectors
    /// of neurons. The runtime's <c>BatchKernels.DotProductMinimumInputs</c> decides; the header states it (a test
    /// ties the two).
    /// </summary>
    public const int BatchDotProductMinimumInputs = 128;

    /// <summary>
    /// The most values a block's buffers hold (a megabyte of floats): a network with thousands of neurons runs
    /// smaller blocks rather than renting tens of megabytes.
    /// </summary>
    public const int MaximumBatchScratch = 1 << 18;

    /// <summary>
    /// The rows per block of the batched methods: <see cref="MaximumBatchBlockRows"/>, fewer when a row's vectors
    /// (z, a and δ of every layer, as BackwardBatch keeps them) would pass <see cref="MaximumBatchScratch"/>.
    /// </summary>
    public static int BatchBlockRows(NetworkPlan plan)
    {
        MethodPlan perRow = ScratchLayout.Plan(plan with { BatchBlockRows = 1 }, GeneratedMethod.AccumulateBatchGradient);
        return (int)System.Math.Max(1, System.Math.Min(MaximumBatchBlockRows, MaximumBatchScratch / System.Math.Max(1L, perRow.ScratchLength)));
    }

    /// <summary>Up to this many targets the kernel form sums them in one expression (<see cref="NetworkPlan.SumsTargetsInline"/>).</summary>
    public const int MaximumInlineTargetSum = 8;

    /// <summary>
    /// The widest vector, in bits, that holds an output layer in the register form: its z, y and δ are one vector
    /// (16 float or 8 double outputs at most).
    /// </summary>
    public const int MaximumRegisterOutputBits = 512;

    /// <summary>
    /// The widest vector, in bits, of the form of Forward and TrainStep that keeps every layer's vectors in SIMD
    /// registers; 0 when the network has no such form. It has one when every layer is vectorised, every layer's
    /// input fills exactly one 128-, 256- or 512-bit vector (so each row of W is one vector, and a hidden layer's
    /// a and δ are one vector each) and the output layer's z fits one vector of at most
    /// <see cref="MaximumRegisterOutputBits"/> (its lanes past the outputs are padding). The width is the widest
    /// of those vectors: 4-4-10 in float needs 512 bits for its ten outputs. Measured on 16-16-16-4: TrainStep
    /// 166 → 120 ns, since no hidden layer's vectors go through memory and no kernel is called.
    /// </summary>
    public static int RegisterWidthBits(NetworkPlan plan)
    {
        int elementBits = ElementBits(plan.Precision);
        int widest = 0;
        foreach (LayerPlan layer in plan.Layers)
        {
            // In 64 bits: 134,217,732 float inputs are 2³² + 128 bits, which 32 bits would take for one 128-bit vector.
            long bits = (long)layer.InputCount * elementBits;
            if (layer.Emission != LayerEmission.Vectorized || bits is not (128 or 256 or 512))
            {
                return 0;
            }

            widest = System.Math.Max(widest, (int)bits);
        }

        long outputBits = RegisterOutputBits(plan.OutputLayer.Size, plan.Precision);
        return outputBits > MaximumRegisterOutputBits ? 0 : System.Math.Max(widest, (int)outputBits);
    }

    /// <summary>The vector, 128, 256 or 512 bits (or more: no register form), that holds an output layer's z.</summary>
    public static long RegisterOutputBits(int outputs, Precision precision)
    {
        long bits = 128;
        while (bits < (long)outputs * ElementBits(precision))
        {
            bits *= 2;
        }

        return bits;
    }

    private static NetworkPlan Build(NetworkSpec spec, EmissionReason[] reasons)
    {
        LayerEmission[] emissions = reasons.Select(r => r == EmissionReason.Narrow ? LayerEmission.Unrolled : LayerEmission.Vectorized).ToArray();
        var layers = new List<LayerPlan>(spec.Layers.Count);
        int offset = 0;
        int inputCount = spec.InputSize;
        for (int i = 0; i < spec.Layers.Count; i++)
        {
            LayerSpec layer = spec.Layers[i];
            int weightCount = inputCount * layer.Size;
            layers.Add(new LayerPlan(
                Number: i + 1,
                InputCount: inputCount,
                Size: layer.Size,
                Activation: layer.Activation,
                WeightOffset: offset,
                BiasOffset: offset + weightCount,
                Emission: emissions[i],
                Reason: reasons[i],
                Storage: StorageOf(emissions, i),
                DotProducts: inputCount == layer.Size && (long)inputCount * ElementBits(spec.Precision) == 512 ? DotProducts.TransposeTree : DotProducts.Blocks));
            offset += weightCount + layer.Size;
            inputCount = layer.Size;
        }

        var plan = new NetworkPlan(
            spec.Type,
            spec.Loss,
            spec.Precision,
            spec.InputSize,
            emissions[0] == LayerEmission.Unrolled ? VectorStorage.Locals : VectorStorage.Span,
            layers.ToEquatableArray(),
            LossDefinition.Of(spec.Loss).OutputDeltaWith(ActivationDefinition.Of(spec.Layers[spec.Layers.Count - 1].Activation)),
            EstimatedTrainStepCost: default,
            RegisterWidthBits: 0,
            BatchBlockRows: 0,
            Methods: default)
        {
            Weights = spec.Weights,
        };
        plan = plan with { RegisterWidthBits = RegisterWidthBits(plan) };
        plan = plan with { BatchBlockRows = BatchBlockRows(plan) };
        var methods = new List<GeneratedMethod>
        {
            GeneratedMethod.Forward, GeneratedMethod.ComputeLoss, GeneratedMethod.AccumulateGradient, GeneratedMethod.TrainStep,
            GeneratedMethod.ForwardBatch, GeneratedMethod.AccumulateBatchGradient,
        };
        if (plan.RunsInRegisters)
        {
            methods.Add(GeneratedMethod.ForwardInRegisters);
            methods.Add(GeneratedMethod.TrainStepInRegisters);
        }

        if (plan.RunsInRegisterPairs)
        {
            methods.Add(GeneratedMethod.ForwardInRegisterPairs);
        }

        plan = plan with { Methods = methods.Select(m => ScratchLayout.Plan(plan, m)).ToEquatableArray() };
        return plan with { EstimatedTrainStepCost = CostModel.EstimateTrainStep(plan) };
    }

    /// <summary>
    /// a⁽ˡ⁾ and δ⁽ˡ⁾ can be named locals only when no kernel touches them: layer l is unrolled, and so is
    /// layer l + 1, which reads a⁽ˡ⁾ in its forward pass and writes δ⁽ˡ⁾ in its backward pass.
    /// </summary>
    private static VectorStorage StorageOf(LayerEmission[] emissions, int index)
        => emissions[index] == LayerEmission.Unrolled
           && (index == emissions.Length - 1 || emissions[index + 1] == LayerEmission.Unrolled)
            ? VectorStorage.Locals
            : VectorStorage.Span;

    private static int ElementBits(Precision precision) => precision == Precision.Double ? 64 : 32;
}
