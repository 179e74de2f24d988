namespace Backprop.Training.Tests;

// One network per activation and precision, with the activation on the hidden and the output layer, for the ONNX
// export checks against ONNX Runtime (OnnxExportTests).

[Network(Loss.MeanSquaredError)]
[Input(3)]
[Dense(5, Activation.Identity)]
[Dense(2, Activation.Identity)]
public partial class OnnxIdentityFloat;

[Network(Loss.MeanSquaredError, Precision = Precision.Double)]
[Input(3)]
[Dense(5, Activation.Identity)]
[Dense(2, Activation.Identity)]
public partial class OnnxIdentityDouble;

[Network(Loss.MeanSquaredError)]
[Input(3)]
[Dense(5, Activation.Sigmoid)]
[Dense(2, Activation.Sigmoid)]
public partial class OnnxSigmoidFloat;

[Network(Loss.MeanSquaredError, Precision = Precision.Double)]
[Input(3)]
[Dense(5, Activation.Sigmoid)]
[Dense(2, Activation.Sigmoid)]
public partial class OnnxSigmoidDouble;

[Network(Loss.MeanSquaredError)]
[Input(3)]
[Dense(5, Activation.Tanh)]
[Dense(2, Activation.Tanh)]
public partial class OnnxTanhFloat;

[Network(Loss.MeanSquaredError, Precision = Precision.Double)]
[Input(3)]
[Dense(5, Activation.Tanh)]
[Dense(2, Activation.Tanh)]
public partial class OnnxTanhDouble;

[Network(Loss.MeanSquaredError)]
[Input(3)]
[Dense(5, Activation.ReLU)]
[Dense(2, Activation.ReLU)]
public partial class OnnxReLUFloat;

[Network(Loss.MeanSquaredError, Precision = Precision.Double)]
[Input(3)]
[Dense(5, Activation.ReLU)]
[Dense(2, Activation.ReLU)]
public partial class OnnxReLUDouble;

[Network(Loss.MeanSquaredError)]
[Input(3)]
[Dense(5, Activation.LeakyReLU)]
[Dense(2, Activation.LeakyReLU)]
public partial class OnnxLeakyReLUFloat;

[Network(Loss.MeanSquaredError, Precision = Precision.Double)]
[Input(3)]
[Dense(5, Activation.LeakyReLU)]
[Dense(2, Activation.LeakyReLU)]
public partial class OnnxLeakyReLUDouble;

[Network(Loss.MeanSquaredError)]
[Input(3)]
[Dense(5, Activation.GELU)]
[Dense(2, Activation.GELU)]
public partial class OnnxGELUFloat;

[Network(Loss.MeanSquaredError, Precision = Precision.Double)]
[Input(3)]
[Dense(5, Activation.GELU)]
[Dense(2, Activation.GELU)]
public partial class OnnxGELUDouble;

[Network(Loss.MeanSquaredError)]
[Input(3)]
[Dense(5, Activation.SiLU)]
[Dense(2, Activation.SiLU)]
public partial class OnnxSiLUFloat;

[Network(Loss.MeanSquaredError, Precision = Precision.Double)]
[Input(3)]
[Dense(5, Activation.SiLU)]
[Dense(2, Activation.SiLU)]
public partial class OnnxSiLUDouble;

[Network(Loss.MeanSquaredError)]
[Input(3)]
[Dense(5, Activation.ELU)]
[Dense(2, Activation.ELU)]
public partial class OnnxELUFloat;

[Network(Loss.MeanSquaredError, Precision = Precision.Double)]
[Input(3)]
[Dense(5, Activation.ELU)]
[Dense(2, Activation.ELU)]
public partial class OnnxELUDouble;

[Network(Loss.MeanSquaredError)]
[Input(3)]
[Dense(5, Activation.Softplus)]
[Dense(2, Activation.Softplus)]
public partial class OnnxSoftplusFloat;

[Network(Loss.MeanSquaredError, Precision = Precision.Double)]
[Input(3)]
[Dense(5, Activation.Softplus)]
[Dense(2, Activation.Softplus)]
public partial class OnnxSoftplusDouble;

