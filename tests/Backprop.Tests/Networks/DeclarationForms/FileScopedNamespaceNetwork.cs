namespace Backprop.Tests.Networks.DeclarationForms.FileScoped;

[Network(Loss.MeanSquaredError, Precision = Precision.Double)]
[Input(2)]
[Dense(3, Activation.Sigmoid)]
[Dense(2, Activation.Tanh)]
public partial class FileScopedNamespaceNetwork;
