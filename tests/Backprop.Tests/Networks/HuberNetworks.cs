// Huber's loss (δ = 1, mean over the outputs) with every output activation: unrolled, in the kernel form and
// in the register form, which the networks of the new activations (GELU, SiLU, ELU, softplus) have here, as
// output and hidden activations. Float twins of most (see FloatPrecisionTests); LayerEmissionTests reads each
// generated header to prove which form each has.
namespace Backprop.Tests.Networks;

// Identity: one unrolled layer.
[Network(Loss.Huber, Precision = Precision.Double)]
[Input(3)]
[Dense(2, Activation.Identity)]
public partial class IdentityHuberNoHidden;

// Sigmoid after ELU, tanh and GELU hidden layers (the first vectorised, the rest unrolled).
[Network(Loss.Huber, Precision = Precision.Double)]
[Input(4)]
[Dense(5, Activation.ELU)]
[Dense(3, Activation.Tanh)]
[Dense(4, Activation.GELU)]
[Dense(3, Activation.Sigmoid)]
public partial class SigmoidHuberThreeHidden;

// Tanh in the kernel form, after a SiLU hidden layer.
[Network(Loss.Huber, Precision = Precision.Double)]
[Input(6)]
[Dense(8, Activation.SiLU)]
[Dense(5, Activation.Tanh)]
public partial class TanhHuber6To8To5;

[Network(Loss.Huber)]
[Input(6)]
[Dense(8, Activation.SiLU)]
[Dense(5, Activation.Tanh)]
public partial class TanhHuber6To8To5Float;

// ReLU after a LeakyReLU hidden layer, both unrolled.
[Network(Loss.Huber, Precision = Precision.Double)]
[Input(3)]
[Dense(4, Activation.LeakyReLU)]
[Dense(2, Activation.ReLU)]
public partial class ReLUHuber3To4To2;

// The register form (double: inputs of 512 and 256 bits; float: 256 and 128) with a softplus hidden layer.
[Network(Loss.Huber, Precision = Precision.Double)]
[Input(8)]
[Dense(4, Activation.Softplus)]
[Dense(4, Activation.LeakyReLU)]
public partial class LeakyReLUHuber8To4To4;

[Network(Loss.Huber)]
[Input(8)]
[Dense(4, Activation.Softplus)]
[Dense(4, Activation.LeakyReLU)]
public partial class LeakyReLUHuber8To4To4Float;

// Softmax through its full Jacobian in the register form, after a GELU hidden layer.
[Network(Loss.Huber, Precision = Precision.Double)]
[Input(4)]
[Dense(8, Activation.GELU)]
[Dense(3, Activation.Softmax)]
public partial class SoftmaxHuber4To8To3;

[Network(Loss.Huber)]
[Input(4)]
[Dense(8, Activation.GELU)]
[Dense(3, Activation.Softmax)]
public partial class SoftmaxHuber4To8To3Float;

// GELU output in the register form, after an ELU hidden layer.
[Network(Loss.Huber, Precision = Precision.Double)]
[Input(4)]
[Dense(8, Activation.ELU)]
[Dense(4, Activation.GELU)]
public partial class GELUHuber4To8To4;

[Network(Loss.Huber)]
[Input(4)]
[Dense(8, Activation.ELU)]
[Dense(4, Activation.GELU)]
public partial class GELUHuber4To8To4Float;

// Sixteen inputs: the float network runs in 512-bit registers, its double twin (1,024 bits) in the kernel form.
[Network(Loss.Huber, Precision = Precision.Double)]
[Input(16)]
[Dense(16, Activation.GELU)]
[Dense(5, Activation.SiLU)]
public partial class SiLUHuber16To16To5;

[Network(Loss.Huber)]
[Input(16)]
[Dense(16, Activation.GELU)]
[Dense(5, Activation.SiLU)]
public partial class SiLUHuber16To16To5Float;

// ELU output in the register form, after a SiLU hidden layer; three outputs leave a row over.
[Network(Loss.Huber, Precision = Precision.Double)]
[Input(8)]
[Dense(8, Activation.SiLU)]
[Dense(3, Activation.ELU)]
public partial class ELUHuber8To8To3;

[Network(Loss.Huber)]
[Input(8)]
[Dense(8, Activation.SiLU)]
[Dense(3, Activation.ELU)]
public partial class ELUHuber8To8To3Float;

// Softplus output in the register form (double 256 bits, float 128), after a SiLU hidden layer.
[Network(Loss.Huber, Precision = Precision.Double)]
[Input(4)]
[Dense(4, Activation.SiLU)]
[Dense(4, Activation.Softplus)]
public partial class SoftplusHuber4To4To4;

[Network(Loss.Huber)]
[Input(4)]
[Dense(4, Activation.SiLU)]
[Dense(4, Activation.Softplus)]
public partial class SoftplusHuber4To4To4Float;
