// The measured networks, float, as a user would declare them. Shapes.cs describes each again, by hand,
// for the baselines.
namespace Backprop.Benchmarks.Networks;

[Network(Loss.SumSquaredError)]
[Input(2)]
[Dense(3, Activation.Sigmoid)]
[Dense(1, Activation.Sigmoid)]
public partial class Xor2x3x1;

[Network(Loss.CrossEntropy)]
[Input(4)]
[Dense(8, Activation.Tanh)]
[Dense(3, Activation.Softmax)]
public partial class Iris4x8x3;

[Network(Loss.CrossEntropy)]
[Input(16)]
[Dense(16, Activation.ReLU)]
[Dense(16, Activation.ReLU)]
[Dense(4, Activation.Softmax)]
public partial class Deep16x16x16x4;

[Network(Loss.CrossEntropy)]
[Input(64)]
[Dense(32, Activation.ReLU)]
[Dense(10, Activation.Softmax)]
public partial class Digits64x32x10;

[Network(Loss.CrossEntropy)]
[Input(784)]
[Dense(128, Activation.ReLU)]
[Dense(10, Activation.Softmax)]
public partial class Mnist784x128x10;
