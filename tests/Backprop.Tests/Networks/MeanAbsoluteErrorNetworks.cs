// The mean absolute error with every output activation: unrolled, in the kernel form and in the register form,
// with GELU, SiLU, ELU and softplus hidden layers. Float twins of some (see FloatPrecisionTests).
namespace Backprop.Tests.Networks;

// Identity output in the register form, after a softplus hidden layer.
[Network(Loss.MeanAbsoluteError, Precision = Precision.Double)]
[Input(8)]
[Dense(8, Activation.Softplus)]
[Dense(3, Activation.Identity)]
public partial class IdentityMae8To8To3;

[Network(Loss.MeanAbsoluteError)]
[Input(8)]
[Dense(8, Activation.Softplus)]
[Dense(3, Activation.Identity)]
public partial class IdentityMae8To8To3Float;

// Sigmoid: one unrolled layer, one output.
[Network(Loss.MeanAbsoluteError, Precision = Precision.Double)]
[Input(2)]
[Dense(1, Activation.Sigmoid)]
public partial class SigmoidMaeNoHidden;

// Tanh after softplus, SiLU and GELU hidden layers (4·4 weights vectorised, the rest unrolled).
[Network(Loss.MeanAbsoluteError, Precision = Precision.Double)]
[Input(3)]
[Dense(4, Activation.Softplus)]
[Dense(4, Activation.SiLU)]
[Dense(3, Activation.GELU)]
[Dense(2, Activation.Tanh)]
public partial class TanhMaeThreeHidden;

// ReLU in the kernel form, after a tanh hidden layer.
[Network(Loss.MeanAbsoluteError, Precision = Precision.Double)]
[Input(5)]
[Dense(6, Activation.Tanh)]
[Dense(4, Activation.ReLU)]
public partial class ReLUMae5To6To4;

// LeakyReLU: one unrolled layer.
[Network(Loss.MeanAbsoluteError, Precision = Precision.Double)]
[Input(3)]
[Dense(3, Activation.LeakyReLU)]
public partial class LeakyReLUMaeNoHidden;

// Softmax through its full Jacobian in the kernel form, after an ELU hidden layer.
[Network(Loss.MeanAbsoluteError, Precision = Precision.Double)]
[Input(6)]
[Dense(5, Activation.ELU)]
[Dense(4, Activation.Softmax)]
public partial class SoftmaxMae6To5To4;

[Network(Loss.MeanAbsoluteError)]
[Input(6)]
[Dense(5, Activation.ELU)]
[Dense(4, Activation.Softmax)]
public partial class SoftmaxMae6To5To4Float;

// GELU output in the register form (512, 512 and 256 bits), after softplus and ELU hidden layers; five outputs
// are two blocks of two rows and one row over.
[Network(Loss.MeanAbsoluteError, Precision = Precision.Double)]
[Input(8)]
[Dense(8, Activation.Softplus)]
[Dense(4, Activation.ELU)]
[Dense(5, Activation.GELU)]
public partial class GELUMae8To8To4To5;

// SiLU output in the register form, after an identity hidden layer.
[Network(Loss.MeanAbsoluteError, Precision = Precision.Double)]
[Input(4)]
[Dense(8, Activation.Identity)]
[Dense(3, Activation.SiLU)]
public partial class SiLUMae4To8To3;

// One ELU layer in the register form: the output layer is also the first.
[Network(Loss.MeanAbsoluteError, Precision = Precision.Double)]
[Input(4)]
[Dense(4, Activation.ELU)]
public partial class ELUMae4To4;

[Network(Loss.MeanAbsoluteError)]
[Input(4)]
[Dense(4, Activation.ELU)]
public partial class ELUMae4To4Float;

// One softplus layer in the kernel form (twelve inputs fill no vector exactly).
[Network(Loss.MeanAbsoluteError, Precision = Precision.Double)]
[Input(12)]
[Dense(4, Activation.Softplus)]
public partial class SoftplusMae12To4;
