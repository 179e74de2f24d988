using System;
using System.Collections.Generic;
using System.Globalization;

namespace Backprop.Interop.Formats;

/// <summary>
/// Names the activation an element-wise ONNX subgraph computes by evaluating it: exporters write the same function
/// in many ways (GELU as <c>Div → Erf → Add → Mul → Mul</c> or with <c>Mul</c> by 1/√2, SiLU as
/// <c>Sigmoid → Mul</c>, ELU as <c>Elu</c>), and every way computes the same values. The subgraph is run in double at
/// thirteen points spread over both signs and compared with each of the library's activations; exactly one must
/// agree everywhere (to 1e-5 relative, far looser than a float exporter's constants and far tighter than any two
/// activations' difference at these points).
/// </summary>
internal static class ActivationIdentifier
{
    private static readonly double[] Probes = [-7, -3, -1.5, -0.75, -0.2, -0.01, 0, 0.03, 0.3, 0.9, 2, 4.5, 8];

    private const double Tolerance = 1e-5;

    /// <summary>The element-wise operators an activation may be written with.</summary>
    public static bool IsElementwise(string opType) => opType is
        "Identity" or "Add" or "Sub" or "Mul" or "Div" or "Pow" or "Neg" or "Abs" or "Exp" or "Log" or "Sqrt"
        or "Reciprocal" or "Max" or "Min" or "Erf" or "Tanh" or "Sigmoid" or "Relu" or "LeakyRelu" or "Elu"
        or "Softplus" or "Cast";

    private static readonly (string Name, Func<double, double> Function)[] Candidates =
    [
        ("Identity", z => z),
        ("Sigmoid", Sigmoid),
        ("Tanh", Math.Tanh),
        ("ReLU", z => Math.Max(z, 0)),
        ("LeakyReLU", z => z > 0 ? z : 0.01 * z),
        ("GELU", z => 0.5 * z * (1 + Erf(z / Math.Sqrt(2)))),
        ("SiLU", z => z * Sigmoid(z)),
        ("ELU", z => z > 0 ? z : Math.Exp(z) - 1),
        ("Softplus", z => Math.Max(z, 0) + Math.Log(1 + Math.Exp(-Math.Abs(z)))),
    ];

    /// <summary>
    /// The library's name for the function <paramref name="nodes"/> compute from <paramref name="input"/> to
    /// <paramref name="output"/>, or null when it is none of them; <paramref name="sample"/> then says what it gives at 1.
    /// </summary>
    /// <remarks>
    /// <paramref name="nodes"/> are the subgraph's nodes in graph (topological) order; <paramref name="constant"/> gives
    /// the scalar value of a name the subgraph reads but does not compute, or null.
    /// </remarks>
    public static string? Identify(
        IReadOnlyList<OnnxNode> nodes, string input, string output, Func<string, double?> constant, out string sample)
    {
        double[] values = new double[Probes.Length];
        for (int p = 0; p < Probes.Length; p++)
        {
            values[p] = Evaluate(nodes, input, output, Probes[p], constant);
        }

        sample = Evaluate(nodes, input, output, 1, constant).ToString("R", CultureInfo.InvariantCulture);
        string? match = null;
        foreach ((string name, Func<double, double> function) in Candidates)
        {
            bool agrees = true;
            for (int p = 0; p < Probes.Length && agrees; p++)
            {
                double expected = function(Probes[p]);
                agrees = Math.Abs(values[p] - expected) <= Tolerance * Math.Max(1, Math.Abs(expected));
            }

            if (agrees)
            {
                if (match is not null)
                {
                    return null; // cannot happen with these probes; never pick one of two
                }

                match = name;
            }
        }

        return match;
    }

    private static double Evaluate(IReadOnlyList<OnnxNode> nodes, string input, string output, double z, Func<string, double?> constant)
    {
        var computed = new Dictionary<string, double>(StringComparer.Ordinal) { [input] = z };
        double Value(string name) => computed.TryGetValue(name, out double value) ? value : constant(name) ?? double.NaN;

        foreach (OnnxNode node in nodes)
        {
            double x = node.Inputs.Count > 0 ? Value(node.Inputs[0]) : double.NaN;
            double y = node.Inputs.Count > 1 ? Value(node.Inputs[1]) : double.NaN;
            double alpha = node.Attributes.TryGetValue("alpha", out OnnxAttribute? a) && a.Float is float f ? f : double.NaN;
            double result = node.OpType switch
            {
                "Identity" => x,
                "Cast" => IsFloatingPoint(node) ? x : double.NaN,
                "Add" => x + y,
                "Sub" => x - y,
                "Mul" => x * y,
                "Div" => x / y,
                "Pow" => Math.Pow(x, y),
                "Neg" => -x,
                "Abs" => Math.Abs(x),
                "Exp" => Math.Exp(x),
                "Log" => Math.Log(x),
                "Sqrt" => Math.Sqrt(x),
                "Reciprocal" => 1 / x,
                "Max" => Fold(node, Value, Math.Max),
                "Min" => Fold(node, Value, Math.Min),
                "Erf" => Erf(x),
                "Tanh" => Math.Tanh(x),
                "Sigmoid" => Sigmoid(x),
                "Relu" => Math.Max(x, 0),
                "LeakyRelu" => x >= 0 ? x : (double.IsNaN(alpha) ? 0.01 : alpha) * x,
                "Elu" => x >= 0 ? x : (double.IsNaN(alpha) ? 1 : alpha) * (Math.Exp(x) - 1),
                "Softplus" => Math.Max(x, 0) + Math.Log(1 + Math.Exp(-Math.Abs(x))),
                _ => double.NaN,
            };

            foreach (string name in node.Outputs)
            {
                computed[name] = result;
            }
        }

        return Value(output);
    }

    private static double Fold(OnnxNode node, Func<string, double> value, Func<double, double, double> combine)
    {
        double result = value(node.Inputs[0]);
        for (int i = 1; i < node.Inputs.Count; i++)
        {
            result = combine(result, value(node.Inputs[i]));
        }

        return result;
    }

    /// <summary>A <c>Cast</c> between float and double changes no value the identification can see; any other cast is refused.</summary>
    private static bool IsFloatingPoint(OnnxNode cast)
        => cast.Attributes.TryGetValue("to", out OnnxAttribute? to) && to.Int is OnnxSchema.DataType.Float or OnnxSchema.DataType.Double;

    private static double Sigmoid(double z) => 1 / (1 + Math.Exp(-z));

    /// <summary>The error function to about 1e-7 (Abramowitz and Stegun 7.1.26): enough to tell GELU from the rest.</summary>
    private static double Erf(double x)
    {
        double t = 1 / (1 + (0.3275911 * Math.Abs(x)));
        double polynomial = t * (0.254829592 + (t * (-0.284496736 + (t * (1.421413741 + (t * (-1.453152027 + (t * 1.061405429))))))));
        double magnitude = 1 - (polynomial * Math.Exp(-x * x));
        return x < 0 ? -magnitude : magnitude;
    }
}
