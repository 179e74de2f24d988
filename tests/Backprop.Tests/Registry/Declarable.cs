namespace Backprop.Tests.Registry;

/// <summary>What a declaration may combine: the hidden activations and the output activation · loss pairs the generator accepts.</summary>
public static class Declarable
{
    /// <summary>Every activation a hidden layer may have (softmax is for the output layer only).</summary>
    public static IReadOnlyList<Activation> HiddenActivations { get; } =
    [
        Activation.Identity, Activation.Sigmoid, Activation.Tanh, Activation.ReLU, Activation.LeakyReLU,
        Activation.GELU, Activation.SiLU, Activation.ELU, Activation.Softplus,
    ];

    /// <summary>The losses of the outputs y alone, which accept any output activation, softmax included.</summary>
    public static IReadOnlyList<Loss> LossesOfAnyOutput { get; } =
        [Loss.SumSquaredError, Loss.HalfSumSquaredError, Loss.MeanSquaredError, Loss.Huber, Loss.MeanAbsoluteError];

    /// <summary>The output activation · loss pairs the generator accepts.</summary>
    public static IReadOnlyList<(Activation Output, Loss Loss)> AcceptedPairs { get; } =
    [
        .. from output in HiddenActivations.Append(Activation.Softmax)
           from loss in LossesOfAnyOutput
           select (output, loss),
        (Activation.Softmax, Loss.CrossEntropy),
        (Activation.Sigmoid, Loss.BinaryCrossEntropy),
    ];
}
