// A network in the global namespace: the generated file must not open a namespace.
[Network(Loss.SumSquaredError, Precision = Precision.Double)]
[Input(3)]
[Dense(2, Activation.LeakyReLU)]
[Dense(2, Activation.Identity)]
public partial class GlobalNamespaceNetwork;
