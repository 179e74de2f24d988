// Every output activation with the mean squared error L = (1/n) Σₖ (tₖ − yₖ)²: one network without a
// hidden layer and one with three, plus the float twin of the deep one (see FloatPrecisionTests).
namespace Backprop.Tests.Networks;

[Network(Loss.MeanSquaredError, Precision = Precision.Double)]
[Input(2)]
[Dense(4, Activation.Identity)]
public partial class IdentityMseNoHidden;

[Network(Loss.MeanSquaredError, Precision = Precision.Double)]
[Input(4)]
[Dense(4, Activation.Sigmoid)]
[Dense(3, Activation.LeakyReLU)]
[Dense(5, Activation.ReLU)]
[Dense(3, Activation.Identity)]
public partial class IdentityMseThreeHidden;

[Network(Loss.MeanSquaredError)]
[Input(4)]
[Dense(4, Activation.Sigmoid)]
[Dense(3, Activation.LeakyReLU)]
[Dense(5, Activation.ReLU)]
[Dense(3, Activation.Identity)]
public partial class IdentityMseThreeHiddenFloat;

[Network(Loss.MeanSquaredError, Precision = Precision.Double)]
[Input(5)]
[Dense(2, Activation.Sigmoid)]
public partial class SigmoidMseNoHidden;

[Network(Loss.MeanSquaredError, Precision = Precision.Double)]
[Input(3)]
[Dense(5, Activation.Tanh)]
[Dense(5, Activation.Identity)]
[Dense(4, Activation.ReLU)]
[Dense(4, Activation.Sigmoid)]
public partial class SigmoidMseThreeHidden;

[Network(Loss.MeanSquaredError)]
[Input(3)]
[Dense(5, Activation.Tanh)]
[Dense(5, Activation.Identity)]
[Dense(4, Activation.ReLU)]
[Dense(4, Activation.Sigmoid)]
public partial class SigmoidMseThreeHiddenFloat;

[Network(Loss.MeanSquaredError, Precision = Precision.Double)]
[Input(3)]
[Dense(1, Activation.Tanh)]
public partial class TanhMseNoHidden;

[Network(Loss.MeanSquaredError, Precision = Precision.Double)]
[Input(2)]
[Dense(4, Activation.LeakyReLU)]
[Dense(3, Activation.Tanh)]
[Dense(3, Activation.Sigmoid)]
[Dense(3, Activation.Tanh)]
public partial class TanhMseThreeHidden;

[Network(Loss.MeanSquaredError)]
[Input(2)]
[Dense(4, Activation.LeakyReLU)]
[Dense(3, Activation.Tanh)]
[Dense(3, Activation.Sigmoid)]
[Dense(3, Activation.Tanh)]
public partial class TanhMseThreeHiddenFloat;

[Network(Loss.MeanSquaredError, Precision = Precision.Double)]
[Input(4)]
[Dense(3, Activation.ReLU)]
public partial class ReLUMseNoHidden;

[Network(Loss.MeanSquaredError, Precision = Precision.Double)]
[Input(3)]
[Dense(4, Activation.Sigmoid)]
[Dense(4, Activation.ReLU)]
[Dense(5, Activation.Tanh)]
[Dense(4, Activation.ReLU)]
public partial class ReLUMseThreeHidden;

[Network(Loss.MeanSquaredError)]
[Input(3)]
[Dense(4, Activation.Sigmoid)]
[Dense(4, Activation.ReLU)]
[Dense(5, Activation.Tanh)]
[Dense(4, Activation.ReLU)]
public partial class ReLUMseThreeHiddenFloat;

[Network(Loss.MeanSquaredError, Precision = Precision.Double)]
[Input(3)]
[Dense(4, Activation.LeakyReLU)]
public partial class LeakyReLUMseNoHidden;

[Network(Loss.MeanSquaredError, Precision = Precision.Double)]
[Input(5)]
[Dense(3, Activation.Identity)]
[Dense(5, Activation.LeakyReLU)]
[Dense(4, Activation.Sigmoid)]
[Dense(3, Activation.LeakyReLU)]
public partial class LeakyReLUMseThreeHidden;

[Network(Loss.MeanSquaredError)]
[Input(5)]
[Dense(3, Activation.Identity)]
[Dense(5, Activation.LeakyReLU)]
[Dense(4, Activation.Sigmoid)]
[Dense(3, Activation.LeakyReLU)]
public partial class LeakyReLUMseThreeHiddenFloat;

// Ten outputs: the softmax sum and the loss are split over several statements.
[Network(Loss.MeanSquaredError, Precision = Precision.Double)]
[Input(3)]
[Dense(10, Activation.Softmax)]
public partial class SoftmaxMseNoHidden;

[Network(Loss.MeanSquaredError, Precision = Precision.Double)]
[Input(4)]
[Dense(3, Activation.LeakyReLU)]
[Dense(4, Activation.Tanh)]
[Dense(5, Activation.ReLU)]
[Dense(2, Activation.Softmax)]
public partial class SoftmaxMseThreeHidden;

[Network(Loss.MeanSquaredError)]
[Input(4)]
[Dense(3, Activation.LeakyReLU)]
[Dense(4, Activation.Tanh)]
[Dense(5, Activation.ReLU)]
[Dense(2, Activation.Softmax)]
public partial class SoftmaxMseThreeHiddenFloat;
