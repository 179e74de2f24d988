using Backprop;

namespace Regression;

/// <summary>x → 16 tanh → y (identity), trained with mean squared error, in double.</summary>
[Network(Loss.MeanSquaredError, Precision = Precision.Double)]
[Input(1)]
[Dense(16, Activation.Tanh)]
[Dense(1, Activation.Identity)]
public partial class SineNet;
