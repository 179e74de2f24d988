using Backprop.Generator.Model;

namespace Backprop.Generator.Planning;

/// <summary>
/// Estimates the IL of the heaviest generated method, TrainStep (forward, loss, backward and update
/// in one body), from what the emitter writes per weight, per neuron and per layer. The per-unit
/// figures were measured from Release builds of emitted code and rounded up; JitBudgetTests compiles
/// networks on both sides of every planner decision and checks the estimate never falls short of the
/// real IL and that no method reaches a MinOpts threshold.
/// </summary>
internal static class CostModel
{
    // Reading a span element at a constant index: ldloca, ldc.i4, call get_Item, ldind (up to 13 bytes).
    private static readonly MethodCost SpanElement = new(ILBytes: 13, ILInstructions: 4, BasicBlocks: 0, Locals: 0, LocalReferences: 1);

    // Reading one of the first 256 locals: ldloc.s.
    private static readonly MethodCost NearLocalElement = new(ILBytes: 2, ILInstructions: 1, BasicBlocks: 0, Locals: 0, LocalReferences: 1);

    // Reading a local past the 256th: Roslyn writes ldloc with a 4-byte index, which the JIT reads as
    // ldloc with a 2-byte index followed by two nops (measured), so it counts three IL instructions.
    private static readonly MethodCost FarLocalElement = new(ILBytes: 6, ILInstructions: 3, BasicBlocks: 0, Locals: 0, LocalReferences: 1);

    // An arithmetic operator (mul, add, sub) or a dup.
    private static readonly MethodCost Operator = new(ILBytes: 1, ILInstructions: 1, BasicBlocks: 0, Locals: 0, LocalReferences: 0);

    // Per neuron: bias, activation call and store; the derivative factor (a branch for the ReLU family);
    // the bias step. Generous: they are a small share next to the per-weight terms.
    private static readonly MethodCost ForwardNeuron = new(ILBytes: 48, ILInstructions: 18, BasicBlocks: 2, Locals: 2, LocalReferences: 4);
    private static readonly MethodCost PropagationNeuron = new(ILBytes: 48, ILInstructions: 18, BasicBlocks: 3, Locals: 1, LocalReferences: 4);
    private static readonly MethodCost UpdateNeuron = new(ILBytes: 40, ILInstructions: 16, BasicBlocks: 0, Locals: 1, LocalReferences: 5);

    // Per output: error, loss term, δ⁽ᴸ⁾ (softmax adds its max, exponent and normalisation).
    private static readonly MethodCost OutputNeuron = new(ILBytes: 140, ILInstructions: 50, BasicBlocks: 3, Locals: 5, LocalReferences: 14);

    // A vectorised layer: its slices and the kernel and activation calls, whatever its size (generous: a few calls).
    private static readonly MethodCost VectorizedLayer = new(ILBytes: 600, ILInstructions: 250, BasicBlocks: 24, Locals: 12, LocalReferences: 80);

    // Argument checks, the parameter slices, the scratch buffer, the loss sum and the return.
    private static readonly MethodCost MethodOverhead = new(ILBytes: 800, ILInstructions: 300, BasicBlocks: 20, Locals: 30, LocalReferences: 100);

    // One named slice of the scratch buffer, as the plan lays it out: `Span<T> a2 = scratch.Slice(o, n);`.
    private static readonly MethodCost ScratchSlice = new(ILBytes: 16, ILInstructions: 6, BasicBlocks: 0, Locals: 1, LocalReferences: 2);

    public static MethodCost EstimateTrainStep(NetworkPlan plan)
    {
        // Price every local read as a far one once the method has more than 256 locals.
        MethodCost local = Estimate(plan, NearLocalElement).Locals > 256 ? FarLocalElement : NearLocalElement;
        return Estimate(plan, local);
    }

    private static MethodCost Estimate(NetworkPlan plan, MethodCost local)
    {
        // The scratch slices TrainStep declares are the plan's own layout, not a second guess at it.
        MethodCost cost = MethodOverhead + (plan.OutputCount * OutputNeuron) + (plan.Method(GeneratedMethod.TrainStep).Slices.Count * ScratchSlice);
        if (plan.InputStorage == VectorStorage.Locals)
        {
            // x_i = input[i]: a span read and a store.
            cost += plan.InputCount * (SpanElement + local + new MethodCost(0, 0, 0, 1, 0));
        }

        foreach (LayerPlan layer in plan.Layers)
        {
            cost += EstimateLayer(plan, layer, local);
        }

        return cost;
    }

    private static MethodCost EstimateLayer(NetworkPlan plan, LayerPlan layer, MethodCost local)
    {
        if (layer.Emission == LayerEmission.Vectorized)
        {
            return VectorizedLayer;
        }

        VectorStorage previousStorage = layer.Number == 1 ? plan.InputStorage : plan.Layers[layer.Number - 2].Storage;
        MethodCost previous = previousStorage == VectorStorage.Locals ? local : SpanElement;
        MethodCost delta = layer.Storage == VectorStorage.Locals ? local : SpanElement;

        // + w[k] * a[i]
        MethodCost forwardTerm = SpanElement + previous + (2 * Operator);

        // w[k] -= learningRate * delta * a[i]: the weight's address, dup, load, α, δ, a, two mul, sub, store.
        MethodCost updateTerm = SpanElement + local + delta + previous + (4 * Operator);

        MethodCost cost = (layer.WeightCount * (forwardTerm + updateTerm)) + (layer.Size * (ForwardNeuron + UpdateNeuron));
        if (layer.Number > 1)
        {
            // + delta[j] * w[k]
            MethodCost propagationTerm = delta + SpanElement + (2 * Operator);
            cost += (layer.WeightCount * propagationTerm) + (layer.InputCount * PropagationNeuron);
        }

        return cost;
    }
}
