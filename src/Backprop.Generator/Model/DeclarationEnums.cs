namespace Backprop.Generator.Model;

// Mirrors of the runtime library's enums (Backprop.Activation, Loss, Precision): the generator
// cannot reference the runtime assembly, so the values must stay identical to it.

/// <summary>The activation of a dense layer.</summary>
internal enum Activation
{
    Identity = 0,
    Sigmoid = 1,
    Tanh = 2,
    ReLU = 3,
    LeakyReLU = 4,
    Softmax = 5,
    GELU = 6,
    SiLU = 7,
    ELU = 8,
    Softplus = 9,
}

/// <summary>The loss of a network.</summary>
internal enum Loss
{
    SumSquaredError = 0,
    HalfSumSquaredError = 1,
    MeanSquaredError = 2,
    CrossEntropy = 3,
    BinaryCrossEntropy = 4,
    Huber = 5,
    MeanAbsoluteError = 6,
}

/// <summary>The floating-point type of a network.</summary>
internal enum Precision
{
    Single = 0,
    Double = 1,
}
