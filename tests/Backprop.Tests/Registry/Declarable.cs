namespace Backprop.Tests.Registry;

/// <summary>What a declaration may combine: the hidden activations and the output activation · loss pairs the generator accepts.</summary>
public static class Declarable
{
    /// <summary>Every activation a hidden layer may have (softmax is for the output layer only).</summary>
    public static IReadOnlyList<Activation> HiddenActivations { get; } =
        [Activation.Identity, Activation.Sigmoid, Activation.Tanh, Activation.ReLU, Activation.LeakyReLU];

    /// <summary>The output activation · loss pairs the generator accepts.</summary>
    public static IReadOnlyList<(Activation Output, Loss Loss)> AcceptedPairs { get; } =
    [
        .. from output in HiddenActivations.Append(Activation.Softmax)
           from loss in new[] { Loss.SumSquaredError, Loss.HalfSumSquaredError, Loss.MeanSquaredError }
           select (output, loss),
        (Activation.Softmax, Loss.CrossEntropy),
        (Activation.Sigmoid, Loss.BinaryCrossEntropy),
    ];
}
