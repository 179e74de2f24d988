// Every output activation with the half sum-squared error L = ½ Σₖ (tₖ − yₖ)²: one network without a
// hidden layer and one with three, plus the float twin of the deep one (see FloatPrecisionTests).
namespace Backprop.Tests.Networks;

[Network(Loss.HalfSumSquaredError, Precision = Precision.Double)]
[Input(4)]
[Dense(3, Activation.Identity)]
public partial class IdentityHalfSseNoHidden;

// Wide enough that the emitter splits its sums (more than 8 terms per statement), in the forward pass
// (11 terms into layer 1) and in the hidden δ (10 terms back from layer 2).
[Network(Loss.HalfSumSquaredError, Precision = Precision.Double)]
[Input(10)]
[Dense(12, Activation.LeakyReLU)]
[Dense(10, Activation.Sigmoid)]
[Dense(4, Activation.Identity)]
[Dense(2, Activation.Identity)]
public partial class IdentityHalfSseThreeHidden;

[Network(Loss.HalfSumSquaredError)]
[Input(10)]
[Dense(12, Activation.LeakyReLU)]
[Dense(10, Activation.Sigmoid)]
[Dense(4, Activation.Identity)]
[Dense(2, Activation.Identity)]
public partial class IdentityHalfSseThreeHiddenFloat;

[Network(Loss.HalfSumSquaredError, Precision = Precision.Double)]
[Input(3)]
[Dense(1, Activation.Sigmoid)]
public partial class SigmoidHalfSseNoHidden;

[Network(Loss.HalfSumSquaredError, Precision = Precision.Double)]
[Input(4)]
[Dense(3, Activation.ReLU)]
[Dense(4, Activation.Tanh)]
[Dense(5, Activation.LeakyReLU)]
[Dense(3, Activation.Sigmoid)]
public partial class SigmoidHalfSseThreeHidden;

[Network(Loss.HalfSumSquaredError)]
[Input(4)]
[Dense(3, Activation.ReLU)]
[Dense(4, Activation.Tanh)]
[Dense(5, Activation.LeakyReLU)]
[Dense(3, Activation.Sigmoid)]
public partial class SigmoidHalfSseThreeHiddenFloat;

[Network(Loss.HalfSumSquaredError, Precision = Precision.Double)]
[Input(5)]
[Dense(4, Activation.Tanh)]
public partial class TanhHalfSseNoHidden;

[Network(Loss.HalfSumSquaredError, Precision = Precision.Double)]
[Input(3)]
[Dense(4, Activation.Identity)]
[Dense(3, Activation.Sigmoid)]
[Dense(4, Activation.ReLU)]
[Dense(3, Activation.Tanh)]
public partial class TanhHalfSseThreeHidden;

[Network(Loss.HalfSumSquaredError)]
[Input(3)]
[Dense(4, Activation.Identity)]
[Dense(3, Activation.Sigmoid)]
[Dense(4, Activation.ReLU)]
[Dense(3, Activation.Tanh)]
public partial class TanhHalfSseThreeHiddenFloat;

[Network(Loss.HalfSumSquaredError, Precision = Precision.Double)]
[Input(2)]
[Dense(2, Activation.ReLU)]
public partial class ReLUHalfSseNoHidden;

[Network(Loss.HalfSumSquaredError, Precision = Precision.Double)]
[Input(4)]
[Dense(5, Activation.Sigmoid)]
[Dense(5, Activation.LeakyReLU)]
[Dense(3, Activation.Tanh)]
[Dense(2, Activation.ReLU)]
public partial class ReLUHalfSseThreeHidden;

[Network(Loss.HalfSumSquaredError)]
[Input(4)]
[Dense(5, Activation.Sigmoid)]
[Dense(5, Activation.LeakyReLU)]
[Dense(3, Activation.Tanh)]
[Dense(2, Activation.ReLU)]
public partial class ReLUHalfSseThreeHiddenFloat;

[Network(Loss.HalfSumSquaredError, Precision = Precision.Double)]
[Input(3)]
[Dense(3, Activation.LeakyReLU)]
public partial class LeakyReLUHalfSseNoHidden;

[Network(Loss.HalfSumSquaredError, Precision = Precision.Double)]
[Input(3)]
[Dense(3, Activation.Tanh)]
[Dense(4, Activation.Identity)]
[Dense(4, Activation.ReLU)]
[Dense(4, Activation.LeakyReLU)]
public partial class LeakyReLUHalfSseThreeHidden;

[Network(Loss.HalfSumSquaredError)]
[Input(3)]
[Dense(3, Activation.Tanh)]
[Dense(4, Activation.Identity)]
[Dense(4, Activation.ReLU)]
[Dense(4, Activation.LeakyReLU)]
public partial class LeakyReLUHalfSseThreeHiddenFloat;

[Network(Loss.HalfSumSquaredError, Precision = Precision.Double)]
[Input(4)]
[Dense(2, Activation.Softmax)]
public partial class SoftmaxHalfSseNoHidden;

[Network(Loss.HalfSumSquaredError, Precision = Precision.Double)]
[Input(3)]
[Dense(4, Activation.ReLU)]
[Dense(5, Activation.Sigmoid)]
[Dense(3, Activation.Identity)]
[Dense(3, Activation.Softmax)]
public partial class SoftmaxHalfSseThreeHidden;

[Network(Loss.HalfSumSquaredError)]
[Input(3)]
[Dense(4, Activation.ReLU)]
[Dense(5, Activation.Sigmoid)]
[Dense(3, Activation.Identity)]
[Dense(3, Activation.Softmax)]
public partial class SoftmaxHalfSseThreeHiddenFloat;
