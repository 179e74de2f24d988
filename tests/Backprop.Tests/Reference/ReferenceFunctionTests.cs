using Backprop.Tests.Numerics;

namespace Backprop.Tests.Reference;

/// <summary>
/// The reference implementation's own functions against values computed elsewhere (mpmath at 40 digits, rounded to
/// 19), so a slip in the reference cannot pass for agreement with the generated code.
/// </summary>
public class ReferenceFunctionTests
{
    [Theory]
    [InlineData(0.001, 0.0011283787909692363799, 0.99887162120903076362)]
    [InlineData(0.1, 0.1124629160182848922, 0.8875370839817151078)]
    [InlineData(0.5, 0.52049987781304653768, 0.47950012218695346232)]
    [InlineData(1, 0.84270079294971486934, 0.15729920705028513066)]
    [InlineData(1.5, 0.96610514647531072707, 0.033894853524689272933)]
    [InlineData(1.999, 0.99530155665137051003, 0.0046984433486294899663)]
    [InlineData(2, 0.99532226501895273416, 0.0046777349810472658379)]
    [InlineData(2.5, 0.99959304798255504106, 0.00040695201744495893956)]
    [InlineData(3, 0.99997790950300141456, 0.000022090496998585441373)]
    [InlineData(3.5, 0.99999925690162765859, 7.4309837234141274552e-7)]
    [InlineData(5, 0.99999999999846254021, 1.5374597944280348502e-12)]
    [InlineData(-0.7, -0.67780119383741847298, 1.677801193837418473)]
    public void Erf_and_erfc_agree_with_tabulated_values(double x, double erf, double erfc)
    {
        // The series sums a few dozen positive terms: within 6 ulps (measured), 1.5·10⁻¹⁵ relative.
        NumericAssert.Close(erf, ReferenceFunctions.Erf(x), 1.5e-15, 1e-300, $"erf({x})");

        // Below 1.5, erfc is 1 − erf: exact to erf's rounding, 10⁻¹⁵ absolute. Beyond, the continued fraction is as
        // exact as e^(−x²) is, whose argument carries 2x²·ε of rounding.
        NumericAssert.Close(erfc, ReferenceFunctions.Erfc(x), x < 1.5 ? Math.Max(4e-16, 1e-15 / erfc) : Math.Max(1e-15, 4 * x * x * 1.2e-16), 1e-300, $"erfc({x})");
    }

    [Theory]
    [InlineData(-8, 6.2209605742717841235e-16)]
    [InlineData(-3, 0.0013498980316300945267)]
    [InlineData(-1, 0.15865525393145705141)]
    [InlineData(-0.25, 0.40129367431707627576)]
    [InlineData(0, 0.5)]
    [InlineData(0.5, 0.69146246127401310364)]
    [InlineData(2, 0.9772498680518207928)]
    [InlineData(6, 0.99999999901341235496)]
    public void The_normal_distribution_function_agrees_with_tabulated_values(double z, double expected)
    {
        // Φ(z) = ½·erfc(−z/√2) inherits the rounding of z/√2 amplified by erfc's e^(−x²): 2x²·ε, 7·10⁻¹⁵ at z = −8.
        double x = z / Math.Sqrt(2);
        NumericAssert.Close(expected, ReferenceFunctions.NormalCdf(z), Math.Max(2e-15, 4 * x * x * 1.2e-16), 1e-300, $"Φ({z})");
    }

    [Theory]
    [InlineData(1e-10, 1.00000000005e-10, 9.9999999995e-11)]
    [InlineData(-1e-5, -9.99995000016666625e-6, 9.9999500003333308334e-6)]
    [InlineData(0.3, 0.34985880757600310398, 0.26236426446749105204)]
    [InlineData(-0.02, -0.019801326693244697779, 0.019802627296179713026)]
    [InlineData(-5, -0.9932620530009145329, 1.7917594692280550008)]
    [InlineData(-40, -0.99999999999999999575, 3.7135720667043078039)]
    public void ExpMinusOne_and_LogOnePlus_keep_their_relative_accuracy(double x, double expMinusOne, double logOnePlusAbs)
    {
        NumericAssert.Close(expMinusOne, ReferenceFunctions.ExpMinusOne(x), 4e-16, 1e-300, $"e^{x} − 1");
        NumericAssert.Close(logOnePlusAbs, ReferenceFunctions.LogOnePlus(Math.Abs(x)), 4e-16, 1e-300, $"ln(1 + {Math.Abs(x)})");
    }

    [Theory]
    [InlineData(Activation.GELU, new[] { -3, -1, 0.5, 2 }, new[] { -0.00404969409489028358, -0.1586552539314570514, 0.3457312306370065518, 1.954499736103641586 })]
    [InlineData(Activation.SiLU, new[] { -3, -1, 0.5, 2 }, new[] { -0.1422776195327003426, -0.2689414213699951207, 0.3112296656009272823, 1.761594155955764888 })]
    [InlineData(Activation.ELU, new[] { -3, -1, 0.5, 2 }, new[] { -0.950212931632136057, -0.6321205588285576784, 0.5, 2.0 })]
    [InlineData(Activation.Softplus, new[] { -40, -10, -3, -1, 0.5, 2 }, new[] { 4.248354255291588986e-18, 4.539889921686464677e-5, 0.04858735157374205876, 0.313261687518222834, 0.9740769841801066809, 2.126928011042972496 })]
    public void The_reference_activations_agree_with_tabulated_values(Activation activation, double[] z, double[] expected)
        => NumericAssert.AllClose(expected, ReferenceNetwork.Activate(activation, z), 1e-15, 1e-300, $"{activation}");

    [Theory]
    [InlineData(Loss.Huber, new[] { 0.5, -2.0, 3.0 }, new[] { 0.0, 0.0, 2.0 }, (0.125 + 1.5 + 0.5) / 3)]
    [InlineData(Loss.Huber, new[] { 1.0, -1.0 }, new[] { 0.0, 0.0 }, 0.5)]
    [InlineData(Loss.MeanAbsoluteError, new[] { 0.5, -2.0, 3.0 }, new[] { 0.0, 0.0, 2.0 }, (0.5 + 2 + 1) / 3)]
    [InlineData(Loss.MeanSquaredError, new[] { 0.5, -2.0, 3.0 }, new[] { 0.0, 0.0, 2.0 }, (0.25 + 4 + 1) / 3)]
    public void The_reference_losses_agree_with_their_definitions_worked_by_hand(Loss loss, double[] y, double[] t, double expected)
        => NumericAssert.Close(expected, ReferenceNetwork.LossOf(loss, y, t), 1e-15, 1e-300, $"{loss}");
}
