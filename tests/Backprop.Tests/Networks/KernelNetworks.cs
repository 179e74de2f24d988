// Networks whose layers run in the kernel form: rows that fill SIMD vectors, or layers unrolling would push past
// the JIT's MinOpts budget. LayerEmissionTests reads each generated header to prove which layers take the kernels.
namespace Backprop.Tests.Networks;

// 1,152 weights in layer 1 and 96 in layer 2, each row at least 24 wide: both layers run in the kernels.
[Network(Loss.CrossEntropy, Precision = Precision.Double)]
[Input(48)]
[Dense(24, Activation.ReLU)]
[Dense(4, Activation.Softmax)]
public partial class KernelCrossEntropy48To24To4;

[Network(Loss.CrossEntropy)]
[Input(48)]
[Dense(24, Activation.ReLU)]
[Dense(4, Activation.Softmax)]
public partial class KernelCrossEntropy48To24To4Float;

// MNIST-sized: both layers in the kernels, 784-wide rows.
[Network(Loss.CrossEntropy, Precision = Precision.Double)]
[Input(784)]
[Dense(128, Activation.ReLU)]
[Dense(10, Activation.Softmax)]
public partial class KernelCrossEntropy784To128To10;

[Network(Loss.CrossEntropy)]
[Input(784)]
[Dense(128, Activation.ReLU)]
[Dense(10, Activation.Softmax)]
public partial class KernelCrossEntropy784To128To10Float;

// The kernel form's output paths of the other δ rules: sigmoid · binary cross-entropy, softmax through its
// Jacobian (mean squared error), and the chain rule (tanh · half sum-squared error).
[Network(Loss.BinaryCrossEntropy, Precision = Precision.Double)]
[Input(300)]
[Dense(64, Activation.Tanh)]
[Dense(12, Activation.Sigmoid)]
public partial class KernelBinaryCrossEntropy300To64To12;

[Network(Loss.MeanSquaredError, Precision = Precision.Double)]
[Input(300)]
[Dense(64, Activation.LeakyReLU)]
[Dense(12, Activation.Softmax)]
public partial class KernelSoftmaxMse300To64To12;

[Network(Loss.HalfSumSquaredError, Precision = Precision.Double)]
[Input(300)]
[Dense(64, Activation.Sigmoid)]
[Dense(12, Activation.Tanh)]
public partial class KernelTanhHalfSse300To64To12;

// Four layers in the kernels, from rows of 4 inputs (the narrowest a kernel takes) to a 200-wide identity output's
// rows; none fills exactly one vector at every layer, so there is no register form.
[Network(Loss.SumSquaredError, Precision = Precision.Double)]
[Input(4)]
[Dense(6, Activation.Tanh)]
[Dense(8, Activation.Sigmoid)]
[Dense(200, Activation.ReLU)]
[Dense(3, Activation.Identity)]
public partial class Kernel4To6To8To200To3;

// An identity hidden layer in the kernels whose activations and δ (2,206 doubles with the output's) are too large
// for the stack: the scratch buffer of Backward and TrainStep is rented from ArrayPool.
[Network(Loss.BinaryCrossEntropy, Precision = Precision.Double)]
[Input(8)]
[Dense(1100, Activation.Identity)]
[Dense(2, Activation.Sigmoid)]
public partial class KernelRentedScratch8To1100To2;
