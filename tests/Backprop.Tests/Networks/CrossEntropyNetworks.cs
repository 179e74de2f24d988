// Softmax with the cross-entropy L = −Σₖ tₖ·ln yₖ: without a hidden layer, with one, and with three
// (wide enough that the emitter splits its sums), plus the float twin of the deep one.
namespace Backprop.Tests.Networks;

[Network(Loss.CrossEntropy, Precision = Precision.Double)]
[Input(6)]
[Dense(10, Activation.Softmax)]
public partial class SoftmaxCrossEntropyNoHidden;

[Network(Loss.CrossEntropy, Precision = Precision.Double)]
[Input(4)]
[Dense(8, Activation.Sigmoid)]
[Dense(3, Activation.Softmax)]
public partial class SoftmaxCrossEntropyOneHidden;

[Network(Loss.CrossEntropy, Precision = Precision.Double)]
[Input(10)]
[Dense(12, Activation.Tanh)]
[Dense(9, Activation.ReLU)]
[Dense(6, Activation.LeakyReLU)]
[Dense(4, Activation.Softmax)]
public partial class SoftmaxCrossEntropyThreeHidden;

[Network(Loss.CrossEntropy)]
[Input(10)]
[Dense(12, Activation.Tanh)]
[Dense(9, Activation.ReLU)]
[Dense(6, Activation.LeakyReLU)]
[Dense(4, Activation.Softmax)]
public partial class SoftmaxCrossEntropyThreeHiddenFloat;
