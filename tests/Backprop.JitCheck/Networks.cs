// The networks whose generated methods must compile with full optimisation, from the smallest to the
// MNIST-sized ones past which every layer loops; each in float and double. The sizes in between are
// the ones near the planner's unroll-or-loop boundary, where an estimate that is too low would give
// the JIT a method past its MinOpts thresholds.
namespace Backprop.JitCheck.Networks;

[Network(Loss.SumSquaredError)]
[Input(2)]
[Dense(3, Activation.Sigmoid)]
[Dense(1, Activation.Sigmoid)]
public partial class Net2x3x1;

[Network(Loss.SumSquaredError, Precision = Precision.Double)]
[Input(2)]
[Dense(3, Activation.Sigmoid)]
[Dense(1, Activation.Sigmoid)]
public partial class Net2x3x1Double;

[Network(Loss.CrossEntropy)]
[Input(4)]
[Dense(8, Activation.Tanh)]
[Dense(3, Activation.Softmax)]
public partial class Net4x8x3;

[Network(Loss.CrossEntropy, Precision = Precision.Double)]
[Input(4)]
[Dense(8, Activation.Tanh)]
[Dense(3, Activation.Softmax)]
public partial class Net4x8x3Double;

[Network(Loss.CrossEntropy)]
[Input(16)]
[Dense(16, Activation.ReLU)]
[Dense(16, Activation.ReLU)]
[Dense(4, Activation.Softmax)]
public partial class Net16x16x16x4;

[Network(Loss.CrossEntropy, Precision = Precision.Double)]
[Input(16)]
[Dense(16, Activation.ReLU)]
[Dense(16, Activation.ReLU)]
[Dense(4, Activation.Softmax)]
public partial class Net16x16x16x4Double;

[Network(Loss.MeanSquaredError)]
[Input(24)]
[Dense(24, Activation.Tanh)]
[Dense(24, Activation.Sigmoid)]
[Dense(6, Activation.Identity)]
public partial class Net24x24x24x6;

[Network(Loss.CrossEntropy)]
[Input(32)]
[Dense(32, Activation.LeakyReLU)]
[Dense(10, Activation.Softmax)]
public partial class Net32x32x10;

[Network(Loss.CrossEntropy)]
[Input(64)]
[Dense(32, Activation.ReLU)]
[Dense(10, Activation.Softmax)]
public partial class Net64x32x10;

[Network(Loss.CrossEntropy, Precision = Precision.Double)]
[Input(64)]
[Dense(32, Activation.ReLU)]
[Dense(10, Activation.Softmax)]
public partial class Net64x32x10Double;

[Network(Loss.CrossEntropy)]
[Input(784)]
[Dense(128, Activation.ReLU)]
[Dense(10, Activation.Softmax)]
public partial class Net784x128x10;

[Network(Loss.CrossEntropy, Precision = Precision.Double)]
[Input(784)]
[Dense(128, Activation.ReLU)]
[Dense(10, Activation.Softmax)]
public partial class Net784x128x10Double;

[Network(Loss.CrossEntropy)]
[Input(784)]
[Dense(256, Activation.ReLU)]
[Dense(128, Activation.ReLU)]
[Dense(10, Activation.Softmax)]
public partial class Net784x256x128x10;

[Network(Loss.CrossEntropy, Precision = Precision.Double)]
[Input(784)]
[Dense(256, Activation.ReLU)]
[Dense(128, Activation.ReLU)]
[Dense(10, Activation.Softmax)]
public partial class Net784x256x128x10Double;
