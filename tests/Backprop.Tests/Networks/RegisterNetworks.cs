// Networks whose Forward and TrainStep have the register form (every layer's input fills one 128-, 256- or
// 512-bit vector): each δ rule, each hidden activation, output layers that are whole blocks of rows and that
// leave rows over, one layer alone, and float twins whose layers mix vector widths. (Some networks of the
// other files qualify too: SoftmaxCrossEntropyOneHidden, for one; those with GELU, SiLU, ELU and softplus layers,
// and with Huber's loss and the mean absolute error, are in HuberNetworks.cs and MeanAbsoluteErrorNetworks.cs.)
// LayerEmissionTests reads each generated header to prove which networks have it.
namespace Backprop.Tests.Networks;

// Softmax · cross-entropy; 5 outputs: two blocks of two double rows and one row over.
[Network(Loss.CrossEntropy, Precision = Precision.Double)]
[Input(8)]
[Dense(8, Activation.ReLU)]
[Dense(4, Activation.LeakyReLU)]
[Dense(5, Activation.Softmax)]
public partial class RegisterCrossEntropy8To8To4To5;

// Float: inputs of 256 and 128 bits; 5 outputs are one block of four rows and one row over.
[Network(Loss.CrossEntropy)]
[Input(8)]
[Dense(8, Activation.ReLU)]
[Dense(4, Activation.LeakyReLU)]
[Dense(5, Activation.Softmax)]
public partial class RegisterCrossEntropy8To8To4To5Float;

// The benchmark network: in double its 16 inputs are 1,024 bits, so only the float twin runs in registers.
[Network(Loss.CrossEntropy, Precision = Precision.Double)]
[Input(16)]
[Dense(16, Activation.ReLU)]
[Dense(16, Activation.ReLU)]
[Dense(4, Activation.Softmax)]
public partial class RegisterCrossEntropy16To16To16To4;

[Network(Loss.CrossEntropy)]
[Input(16)]
[Dense(16, Activation.ReLU)]
[Dense(16, Activation.ReLU)]
[Dense(4, Activation.Softmax)]
public partial class RegisterCrossEntropy16To16To16To4Float;

// Sigmoid · binary cross-entropy.
[Network(Loss.BinaryCrossEntropy, Precision = Precision.Double)]
[Input(4)]
[Dense(8, Activation.LeakyReLU)]
[Dense(2, Activation.Sigmoid)]
public partial class RegisterSigmoidBce4To8To2;

[Network(Loss.BinaryCrossEntropy)]
[Input(4)]
[Dense(8, Activation.LeakyReLU)]
[Dense(2, Activation.Sigmoid)]
public partial class RegisterSigmoidBce4To8To2Float;

// The chain rule (tanh · mean squared error), after an identity hidden layer.
[Network(Loss.MeanSquaredError, Precision = Precision.Double)]
[Input(8)]
[Dense(4, Activation.Identity)]
[Dense(4, Activation.ReLU)]
[Dense(5, Activation.Tanh)]
public partial class RegisterTanhMse8To4To4To5;

[Network(Loss.MeanSquaredError)]
[Input(8)]
[Dense(4, Activation.Identity)]
[Dense(4, Activation.ReLU)]
[Dense(5, Activation.Tanh)]
public partial class RegisterTanhMse8To4To4To5Float;

// Softmax · a squared error.
[Network(Loss.HalfSumSquaredError, Precision = Precision.Double)]
[Input(4)]
[Dense(8, Activation.LeakyReLU)]
[Dense(6, Activation.Softmax)]
public partial class RegisterSoftmaxHalfSse4To8To6;

// One layer: the output layer is also the first, whose step propagates nothing.
[Network(Loss.SumSquaredError, Precision = Precision.Double)]
[Input(8)]
[Dense(4, Activation.ReLU)]
public partial class RegisterReLUSse8To4;

// The 4-8-3 benchmark shape: a tanh hidden layer, whose z goes through a buffer for the span activation.
[Network(Loss.CrossEntropy, Precision = Precision.Double)]
[Input(4)]
[Dense(8, Activation.Tanh)]
[Dense(3, Activation.Softmax)]
public partial class RegisterTanhCrossEntropy4To8To3;

[Network(Loss.CrossEntropy)]
[Input(4)]
[Dense(8, Activation.Tanh)]
[Dense(3, Activation.Softmax)]
public partial class RegisterTanhCrossEntropy4To8To3Float;

// The output layer in one register (issue 13): identity · mean squared error over 3 of 4 (float) or 4 (double) lanes.
[Network(Loss.MeanSquaredError, Precision = Precision.Double)]
[Input(4)]
[Dense(8, Activation.Tanh)]
[Dense(3, Activation.Identity)]
public partial class RegisterIdentityMse4To8To3;

[Network(Loss.MeanSquaredError)]
[Input(4)]
[Dense(8, Activation.Tanh)]
[Dense(3, Activation.Identity)]
public partial class RegisterIdentityMse4To8To3Float;

// Sigmoid · binary cross-entropy with 4 outputs: every lane of a float block, two double blocks.
[Network(Loss.BinaryCrossEntropy, Precision = Precision.Double)]
[Input(8)]
[Dense(4, Activation.Sigmoid)]
[Dense(4, Activation.Sigmoid)]
public partial class RegisterSigmoidBce8To4To4;

[Network(Loss.BinaryCrossEntropy)]
[Input(8)]
[Dense(4, Activation.Sigmoid)]
[Dense(4, Activation.Sigmoid)]
public partial class RegisterSigmoidBce8To4To4Float;

// Softmax · mean squared error, the full Jacobian, on 3 outputs.
[Network(Loss.MeanSquaredError, Precision = Precision.Double)]
[Input(8)]
[Dense(4, Activation.ReLU)]
[Dense(3, Activation.Softmax)]
public partial class RegisterSoftmaxMse8To4To3;

[Network(Loss.MeanSquaredError)]
[Input(8)]
[Dense(4, Activation.ReLU)]
[Dense(3, Activation.Softmax)]
public partial class RegisterSoftmaxMse8To4To3Float;

// Softmax · cross-entropy on 10 outputs: in float the logits take a 512-bit vector (so the register form needs
// AVX-512 there), in double 640 bits, past the register form.
[Network(Loss.CrossEntropy, Precision = Precision.Double)]
[Input(4)]
[Dense(8, Activation.Tanh)]
[Dense(10, Activation.Softmax)]
public partial class RegisterCrossEntropy4To8To10;

[Network(Loss.CrossEntropy)]
[Input(4)]
[Dense(8, Activation.Tanh)]
[Dense(10, Activation.Softmax)]
public partial class RegisterCrossEntropy4To8To10Float;
