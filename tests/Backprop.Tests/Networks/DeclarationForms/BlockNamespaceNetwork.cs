namespace Backprop.Tests.Networks.DeclarationForms.Block
{
    [Network(Loss.HalfSumSquaredError, Precision = Precision.Double)]
    [Input(3)]
    [Dense(4, Activation.ReLU)]
    [Dense(2, Activation.ReLU)]
    internal partial class BlockNamespaceNetwork;
}
