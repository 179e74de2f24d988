using Backprop.Benchmarks.Networks;

namespace Backprop.Benchmarks;

/// <summary>
/// A network written out again by hand for the baselines (nothing here is read from generated code), with
/// the floating-point work of each measured operation.
/// </summary>
/// <param name="Sizes">Input size, then each layer's size.</param>
/// <param name="Activations">Each layer's activation.</param>
public sealed record Shape(string Name, int[] Sizes, Activation[] Activations, Loss Loss, Func<INetwork<float>> CreateGenerated)
{
    /// <summary>The measured networks, in the order of the tables.</summary>
    public static IReadOnlyList<Shape> All { get; } =
    [
        new("2-3-1", [2, 3, 1], [Activation.Sigmoid, Activation.Sigmoid], Loss.SumSquaredError, () => new Xor2x3x1()),
        new("4-8-3", [4, 8, 3], [Activation.Tanh, Activation.Softmax], Loss.CrossEntropy, () => new Iris4x8x3()),
        new("16-16-16-4", [16, 16, 16, 4], [Activation.ReLU, Activation.ReLU, Activation.Softmax], Loss.CrossEntropy, () => new Deep16x16x16x4()),
        new("64-32-10", [64, 32, 10], [Activation.ReLU, Activation.Softmax], Loss.CrossEntropy, () => new Digits64x32x10()),
        new("784-128-10", [784, 128, 10], [Activation.ReLU, Activation.Softmax], Loss.CrossEntropy, () => new Mnist784x128x10()),
    ];

    public static Shape Get(string name) => All.Single(s => s.Name == name);

    public int LayerCount => Activations.Length;

    public int InputCount => Sizes[0];

    public int OutputCount => Sizes[^1];

    /// <summary>Weights of layer <paramref name="layer"/> (0-based): outputs × inputs.</summary>
    public int WeightCount(int layer) => Sizes[layer + 1] * Sizes[layer];

    public int TotalWeights => Enumerable.Range(0, LayerCount).Sum(WeightCount);

    public int ParameterCount => TotalWeights + Sizes.Skip(1).Sum();

    /// <summary>Offset of layer <paramref name="layer"/>'s weights in the generated layout (per layer: W row-major by output neuron, then b).</summary>
    public int WeightOffset(int layer) => Enumerable.Range(0, layer).Sum(l => WeightCount(l) + Sizes[l + 1]);

    public int BiasOffset(int layer) => WeightOffset(layer) + WeightCount(layer);

    // FLOP counts (benchmarks/README.md, "The floor"): a multiply-add is 2 FLOPs; only the work proportional
    // to the weights is counted (biases, activations, the loss and δ of the output are left out), so the
    // floor is a lower bound on the time of any implementation of the operation.

    /// <summary>Forward: one multiply-add per weight.</summary>
    public long ForwardFlops => 2L * TotalWeights;

    /// <summary>
    /// TrainStep: forward (2 per weight), the hidden δ (Σₖ δₖ·Wₖⱼ: 2 per weight of every layer but the first),
    /// and the update W ← W − (α·δⱼ)·aᵢ (2 per weight).
    /// </summary>
    public long TrainStepFlops => 6L * TotalWeights - 2L * WeightCount(0);

    /// <summary>TrainBatch of <paramref name="rows"/>: per row forward, δ and gradient accumulation (as TrainStep), then one update (2 per weight).</summary>
    public long TrainBatchFlops(int rows) => rows * TrainStepFlops + 2L * TotalWeights;

    public override string ToString() => Name;
}
