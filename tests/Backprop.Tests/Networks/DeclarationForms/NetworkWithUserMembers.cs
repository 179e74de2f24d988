namespace Backprop.Tests.Networks.DeclarationForms;

/// <summary>
/// A network whose own members sit beside the generated ones: an overload of Forward with other
/// parameters, and a field named like the generated methods' parameters.
/// </summary>
[Network(Loss.MeanSquaredError, Precision = Precision.Double)]
[Input(2)]
[Dense(3, Activation.LeakyReLU)]
[Dense(2, Activation.Identity)]
public partial class NetworkWithUserMembers
{
    private readonly double input = 0.5;

    /// <summary>Forward for a single repeated input value: the user's overload, not a generated member.</summary>
    public double[] Forward(double value)
    {
        var output = new double[OutputCount];
        Forward([value * input * 2, value * input * 2], output);
        return output;
    }
}
