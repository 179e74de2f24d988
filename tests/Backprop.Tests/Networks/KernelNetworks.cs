// Networks large enough that the planner loops layers instead of unrolling them (TrainStep would pass
// the JIT's MinOpts budget). LoopedLayerTests reads each generated header to prove which layers loop.
namespace Backprop.Tests.Networks;

// 1,152 weights in layer 1: looped; layer 2 (96 weights) stays unrolled, reading a span.
[Network(Loss.CrossEntropy, Precision = Precision.Double)]
[Input(48)]
[Dense(24, Activation.ReLU)]
[Dense(4, Activation.Softmax)]
public partial class LoopedCrossEntropy48To24To4;

[Network(Loss.CrossEntropy)]
[Input(48)]
[Dense(24, Activation.ReLU)]
[Dense(4, Activation.Softmax)]
public partial class LoopedCrossEntropy48To24To4Float;

// MNIST-sized: both layers loop.
[Network(Loss.CrossEntropy, Precision = Precision.Double)]
[Input(784)]
[Dense(128, Activation.ReLU)]
[Dense(10, Activation.Softmax)]
public partial class LoopedCrossEntropy784To128To10;

[Network(Loss.CrossEntropy)]
[Input(784)]
[Dense(128, Activation.ReLU)]
[Dense(10, Activation.Softmax)]
public partial class LoopedCrossEntropy784To128To10Float;

// The looped output paths of the other δ rules: sigmoid · binary cross-entropy, softmax · squared error,
// and the chain rule (tanh · half sum-squared error).
[Network(Loss.BinaryCrossEntropy, Precision = Precision.Double)]
[Input(300)]
[Dense(64, Activation.Tanh)]
[Dense(12, Activation.Sigmoid)]
public partial class LoopedBinaryCrossEntropy300To64To12;

[Network(Loss.MeanSquaredError, Precision = Precision.Double)]
[Input(300)]
[Dense(64, Activation.LeakyReLU)]
[Dense(12, Activation.Softmax)]
public partial class LoopedSoftmaxMse300To64To12;

[Network(Loss.HalfSumSquaredError, Precision = Precision.Double)]
[Input(300)]
[Dense(64, Activation.Sigmoid)]
[Dense(12, Activation.Tanh)]
public partial class LoopedTanhHalfSse300To64To12;

// Two unrolled layers, the second feeding a looped one (so its activations and δ live in a buffer while
// the first's stay in locals), and a looped identity output.
[Network(Loss.SumSquaredError, Precision = Precision.Double)]
[Input(4)]
[Dense(6, Activation.Tanh)]
[Dense(8, Activation.Sigmoid)]
[Dense(200, Activation.ReLU)]
[Dense(3, Activation.Identity)]
public partial class MixedUnrolledAndLooped4To6To8To200To3;

// A looped identity hidden layer whose activations and δ (2,206 doubles with the output's) are too large
// for the stack: the scratch buffer of Backward and TrainStep is rented from ArrayPool.
[Network(Loss.BinaryCrossEntropy, Precision = Precision.Double)]
[Input(8)]
[Dense(1100, Activation.Identity)]
[Dense(2, Activation.Sigmoid)]
public partial class LoopedRentedScratch8To1100To2;
