using Backprop;

namespace Digits;

/// <summary>An 8×8 image (64 grey levels) → 32 tanh → 10 digits (softmax), trained with cross-entropy.</summary>
[Network(Loss.CrossEntropy)]
[Input(64)]
[Dense(32, Activation.Tanh)]
[Dense(10, Activation.Softmax)]
public partial class DigitsNet;
