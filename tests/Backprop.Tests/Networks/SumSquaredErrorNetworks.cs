// Every output activation with the sum-squared error L = Σₖ (tₖ − yₖ)²: one network without a hidden
// layer and one with three, plus the float twin of the deep one (see FloatPrecisionTests).
namespace Backprop.Tests.Networks;

[Network(Loss.SumSquaredError, Precision = Precision.Double)]
[Input(3)]
[Dense(2, Activation.Identity)]
public partial class IdentitySseNoHidden;

// The smallest network there is: one input, one identity output (linear regression).
[Network(Loss.SumSquaredError, Precision = Precision.Double)]
[Input(1)]
[Dense(1, Activation.Identity)]
public partial class IdentitySseScalar;

[Network(Loss.SumSquaredError, Precision = Precision.Double)]
[Input(3)]
[Dense(5, Activation.Tanh)]
[Dense(4, Activation.ReLU)]
[Dense(3, Activation.Sigmoid)]
[Dense(1, Activation.Identity)]
public partial class IdentitySseThreeHidden;

[Network(Loss.SumSquaredError)]
[Input(3)]
[Dense(5, Activation.Tanh)]
[Dense(4, Activation.ReLU)]
[Dense(3, Activation.Sigmoid)]
[Dense(1, Activation.Identity)]
public partial class IdentitySseThreeHiddenFloat;

[Network(Loss.SumSquaredError, Precision = Precision.Double)]
[Input(4)]
[Dense(3, Activation.Sigmoid)]
public partial class SigmoidSseNoHidden;

[Network(Loss.SumSquaredError, Precision = Precision.Double)]
[Input(3)]
[Dense(4, Activation.LeakyReLU)]
[Dense(5, Activation.Identity)]
[Dense(3, Activation.Tanh)]
[Dense(2, Activation.Sigmoid)]
public partial class SigmoidSseThreeHidden;

[Network(Loss.SumSquaredError, Precision = Precision.Single)]
[Input(3)]
[Dense(4, Activation.LeakyReLU)]
[Dense(5, Activation.Identity)]
[Dense(3, Activation.Tanh)]
[Dense(2, Activation.Sigmoid)]
public partial class SigmoidSseThreeHiddenFloat;

[Network(Loss.SumSquaredError, Precision = Precision.Double)]
[Input(2)]
[Dense(3, Activation.Tanh)]
public partial class TanhSseNoHidden;

[Network(Loss.SumSquaredError, Precision = Precision.Double)]
[Input(4)]
[Dense(3, Activation.Sigmoid)]
[Dense(5, Activation.ReLU)]
[Dense(4, Activation.LeakyReLU)]
[Dense(2, Activation.Tanh)]
public partial class TanhSseThreeHidden;

[Network(Loss.SumSquaredError)]
[Input(4)]
[Dense(3, Activation.Sigmoid)]
[Dense(5, Activation.ReLU)]
[Dense(4, Activation.LeakyReLU)]
[Dense(2, Activation.Tanh)]
public partial class TanhSseThreeHiddenFloat;

[Network(Loss.SumSquaredError, Precision = Precision.Double)]
[Input(3)]
[Dense(4, Activation.ReLU)]
public partial class ReLUSseNoHidden;

[Network(Loss.SumSquaredError, Precision = Precision.Double)]
[Input(3)]
[Dense(5, Activation.Identity)]
[Dense(4, Activation.Tanh)]
[Dense(3, Activation.LeakyReLU)]
[Dense(3, Activation.ReLU)]
public partial class ReLUSseThreeHidden;

[Network(Loss.SumSquaredError)]
[Input(3)]
[Dense(5, Activation.Identity)]
[Dense(4, Activation.Tanh)]
[Dense(3, Activation.LeakyReLU)]
[Dense(3, Activation.ReLU)]
public partial class ReLUSseThreeHiddenFloat;

[Network(Loss.SumSquaredError, Precision = Precision.Double)]
[Input(5)]
[Dense(2, Activation.LeakyReLU)]
public partial class LeakyReLUSseNoHidden;

[Network(Loss.SumSquaredError, Precision = Precision.Double)]
[Input(2)]
[Dense(4, Activation.ReLU)]
[Dense(4, Activation.Sigmoid)]
[Dense(5, Activation.Identity)]
[Dense(2, Activation.LeakyReLU)]
public partial class LeakyReLUSseThreeHidden;

[Network(Loss.SumSquaredError)]
[Input(2)]
[Dense(4, Activation.ReLU)]
[Dense(4, Activation.Sigmoid)]
[Dense(5, Activation.Identity)]
[Dense(2, Activation.LeakyReLU)]
public partial class LeakyReLUSseThreeHiddenFloat;

[Network(Loss.SumSquaredError, Precision = Precision.Double)]
[Input(3)]
[Dense(3, Activation.Softmax)]
public partial class SoftmaxSseNoHidden;

[Network(Loss.SumSquaredError, Precision = Precision.Double)]
[Input(4)]
[Dense(5, Activation.Tanh)]
[Dense(3, Activation.LeakyReLU)]
[Dense(4, Activation.Sigmoid)]
[Dense(4, Activation.Softmax)]
public partial class SoftmaxSseThreeHidden;

[Network(Loss.SumSquaredError)]
[Input(4)]
[Dense(5, Activation.Tanh)]
[Dense(3, Activation.LeakyReLU)]
[Dense(4, Activation.Sigmoid)]
[Dense(4, Activation.Softmax)]
public partial class SoftmaxSseThreeHiddenFloat;
