// The XOR sample's network, declared here so the test proves it trains (XorTrainingTests):
// 2 inputs → 4 tanh → 1 sigmoid, binary cross-entropy, in both precisions.
namespace Backprop.Tests.Networks;

[Network(Loss.BinaryCrossEntropy, Precision = Precision.Double)]
[Input(2)]
[Dense(4, Activation.Tanh)]
[Dense(1, Activation.Sigmoid)]
public partial class XorNetwork;

[Network(Loss.BinaryCrossEntropy)]
[Input(2)]
[Dense(4, Activation.Tanh)]
[Dense(1, Activation.Sigmoid)]
public partial class XorNetworkFloat;
