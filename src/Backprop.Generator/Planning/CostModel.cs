using Backprop.Generator.Model;

namespace Backprop.Generator.Planning;

/// <summary>
/// Estimates the IL of the heaviest generated method, TrainStep (forward, loss, backward and update
/// in one body), from what the emitter writes per weight, per neuron and per layer. The per-unit
/// figures are measured from emitted code and rounded up; a test compiles networks on both sides of
/// every planner decision and checks the real IL of every method against the JIT's thresholds.
/// </summary>
internal static class CostModel
{
    // One multiply-add term reading a weight with a constant index: ldloca, ldc, call get_Item, ldind, ldloc, mul, add.
    private static readonly MethodCost ForwardTerm = new(ILBytes: 16, ILInstructions: 8, BasicBlocks: 0, Locals: 0, LocalReferences: 2);

    // The same term in δ⁽ˡ⁻¹⁾ = g′ ⊙ (W⁽ˡ⁾)ᵀδ⁽ˡ⁾.
    private static readonly MethodCost PropagationTerm = ForwardTerm;

    // w[k] -= step * a: ldloca, ldc, call get_Item, dup, ldind, ldloc, ldloc, mul, sub, stind.
    private static readonly MethodCost UpdateTerm = new(ILBytes: 22, ILInstructions: 11, BasicBlocks: 0, Locals: 0, LocalReferences: 3);

    // Per neuron: bias, activation call, store; the δ-side derivative; the step and bias update.
    private static readonly MethodCost ForwardNeuron = new(ILBytes: 32, ILInstructions: 14, BasicBlocks: 2, Locals: 2, LocalReferences: 4);
    private static readonly MethodCost PropagationNeuron = new(ILBytes: 26, ILInstructions: 12, BasicBlocks: 2, Locals: 1, LocalReferences: 4);
    private static readonly MethodCost UpdateNeuron = new(ILBytes: 32, ILInstructions: 14, BasicBlocks: 0, Locals: 1, LocalReferences: 5);

    // Per output: error, loss term, δ⁽ᴸ⁾ (softmax adds its max, exponent and normalisation).
    private static readonly MethodCost OutputNeuron = new(ILBytes: 80, ILInstructions: 36, BasicBlocks: 2, Locals: 4, LocalReferences: 12);

    // Loading one input into a local.
    private static readonly MethodCost InputLocal = new(ILBytes: 12, ILInstructions: 5, BasicBlocks: 0, Locals: 1, LocalReferences: 2);

    // A looped layer: slices, the loops over rows and the vectorised calls, whatever its size.
    private static readonly MethodCost LoopedLayer = new(ILBytes: 500, ILInstructions: 200, BasicBlocks: 24, Locals: 12, LocalReferences: 80);

    // Argument checks, the scratch buffer, slices of the parameters, the loss sum and the return.
    private static readonly MethodCost MethodOverhead = new(ILBytes: 600, ILInstructions: 250, BasicBlocks: 20, Locals: 30, LocalReferences: 80);

    public static MethodCost EstimateTrainStep(NetworkPlan plan)
    {
        MethodCost cost = MethodOverhead + (plan.OutputCount * OutputNeuron);
        if (plan.InputStorage == VectorStorage.Locals)
        {
            cost += plan.InputCount * InputLocal;
        }

        foreach (LayerPlan layer in plan.Layers)
        {
            cost += EstimateLayer(layer);
        }

        return cost;
    }

    private static MethodCost EstimateLayer(LayerPlan layer)
    {
        if (layer.Emission == LayerEmission.Looped)
        {
            return LoopedLayer;
        }

        MethodCost cost = (layer.WeightCount * (ForwardTerm + UpdateTerm)) + (layer.Size * (ForwardNeuron + UpdateNeuron));
        if (layer.Number > 1)
        {
            cost += (layer.WeightCount * PropagationTerm) + (layer.InputCount * PropagationNeuron);
        }

        return cost;
    }
}
