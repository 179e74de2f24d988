// Sigmoid with the binary cross-entropy L = −Σₖ [tₖ·ln yₖ + (1 − tₖ)·ln(1 − yₖ)]: logistic regression
// (no hidden layer, one output), a multi-label network with two hidden layers, and one with three, plus
// the float twin of the deep one. XorNetworks.cs holds two more.
namespace Backprop.Tests.Networks;

[Network(Loss.BinaryCrossEntropy, Precision = Precision.Double)]
[Input(4)]
[Dense(1, Activation.Sigmoid)]
public partial class SigmoidBceNoHidden;

// The hidden δ of layer 1 sums 11 terms, so the emitter splits it before applying LeakyReLU′.
[Network(Loss.BinaryCrossEntropy, Precision = Precision.Double)]
[Input(6)]
[Dense(5, Activation.LeakyReLU)]
[Dense(11, Activation.Sigmoid)]
[Dense(2, Activation.Sigmoid)]
public partial class SigmoidBceTwoHidden;

[Network(Loss.BinaryCrossEntropy, Precision = Precision.Double)]
[Input(3)]
[Dense(5, Activation.ReLU)]
[Dense(4, Activation.Identity)]
[Dense(3, Activation.Tanh)]
[Dense(3, Activation.Sigmoid)]
public partial class SigmoidBceThreeHidden;

[Network(Loss.BinaryCrossEntropy)]
[Input(3)]
[Dense(5, Activation.ReLU)]
[Dense(4, Activation.Identity)]
[Dense(3, Activation.Tanh)]
[Dense(3, Activation.Sigmoid)]
public partial class SigmoidBceThreeHiddenFloat;
