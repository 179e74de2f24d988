using System.Numerics;
using System.Text.RegularExpressions;
using Backprop.Tests.Registry;

namespace Backprop.Tests;

/// <summary>
/// Wrong span lengths throw ArgumentException naming the parameter and stating the expected length,
/// before anything is computed or changed.
/// </summary>
public class ArgumentTests
{
    [Theory]
    [MemberData(nameof(NetworkRegistry.AllNames), MemberType = typeof(NetworkRegistry))]
    public void Single_sample_methods_reject_spans_of_the_wrong_length(string name)
        => NetworkRegistry.Get(name).CreateAndRun(AssertSingleSampleMethodsRejectWrongLengths, AssertSingleSampleMethodsRejectWrongLengths);

    [Theory]
    [MemberData(nameof(NetworkRegistry.AllNames), MemberType = typeof(NetworkRegistry))]
    public void TrainBatch_rejects_empty_partial_and_mismatched_rows(string name)
        => NetworkRegistry.Get(name).CreateAndRun(AssertTrainBatchRejectsBadRows, AssertTrainBatchRejectsBadRows);

    [Theory]
    [MemberData(nameof(NetworkRegistry.AllNames), MemberType = typeof(NetworkRegistry))]
    public void Batched_methods_reject_partial_and_mismatched_rows_and_accept_none(string name)
        => NetworkRegistry.Get(name).CreateAndRun(AssertBatchedMethodsCheckTheirRows, AssertBatchedMethodsCheckTheirRows);

    [Theory]
    [MemberData(nameof(NetworkRegistry.AllNames), MemberType = typeof(NetworkRegistry))]
    public void Training_methods_refuse_non_finite_values_and_rates_naming_the_row_and_change_nothing(string name)
        => NetworkRegistry.Get(name).CreateAndRun(AssertTrainingRefusesNonFiniteValues, AssertTrainingRefusesNonFiniteValues);

    private static void AssertTrainingRefusesNonFiniteValues<T>(INetwork<T> network, Architecture architecture)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int inputs = architecture.InputSize;
        int outputs = architecture.OutputSize;
        network.InitializeParameters(3);
        T rate = T.CreateChecked(0.1);
        T[] Ones(int length) => [.. Enumerable.Repeat(T.One, length)];

        foreach (T bad in new[] { T.NaN, T.PositiveInfinity, T.NegativeInfinity })
        {
            // One row: the bad value last, past any whole vector, and first.
            foreach (int at in new[] { inputs - 1, 0 })
            {
                T[] input = Ones(inputs);
                input[at] = bad;
                AssertRefuses(network, $"TrainStep with {bad} at input[{at}]", "input", $"row 0, column {at}", () => network.TrainStep(input, Ones(outputs), rate));
            }

            T[] target = Ones(outputs);
            target[outputs - 1] = bad;
            AssertRefuses(network, $"TrainStep with {bad} in the target", "target", $"row 0, column {outputs - 1}", () => network.TrainStep(Ones(inputs), target, rate));

            // Seventy rows (more than one block): the bad value in row 67.
            T[] rows = Ones(70 * inputs);
            rows[(67 * inputs) + (inputs / 2)] = bad;
            AssertRefuses(network, $"TrainBatch with {bad} in row 67", "inputs", $"row 67, column {inputs / 2}", () => network.TrainBatch(rows, Ones(70 * outputs), rate));
            T[] targets = Ones(70 * outputs);
            targets[(3 * outputs) + (outputs - 1)] = bad;
            AssertRefuses(network, $"TrainBatch with {bad} in target row 3", "targets", $"row 3, column {outputs - 1}", () => network.TrainBatch(Ones(70 * inputs), targets, rate));
        }

        foreach (T badRate in new[] { T.NaN, T.PositiveInfinity, T.NegativeInfinity, T.CreateChecked(-0.1) })
        {
            T[] before = network.Parameters.ToArray();
            var stepRate = Assert.Throws<ArgumentOutOfRangeException>(() => network.TrainStep(Ones(inputs), Ones(outputs), badRate));
            var batchRate = Assert.Throws<ArgumentOutOfRangeException>(() => network.TrainBatch(Ones(2 * inputs), Ones(2 * outputs), badRate));
            Assert.Equal("learningRate", stepRate.ParamName);
            Assert.Equal("learningRate", batchRate.ParamName);
            Assert.True(before.AsSpan().SequenceEqual(network.Parameters), $"A learning rate of {badRate} changed the parameters.");
        }

        // A rate of zero is a step that changes nothing, not an error.
        network.TrainStep(Ones(inputs), Ones(outputs), T.Zero);
    }

    /// <summary>The call throws ArgumentException naming the parameter and where the bad value is, and changes no parameter.</summary>
    private static void AssertRefuses<T>(INetwork<T> network, string call, string parameterName, string where, Action action)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T[] before = network.Parameters.ToArray();

        ArgumentException exception = Assert.Throws<ArgumentException>(action);

        Assert.True(parameterName == exception.ParamName, $"{call}: ParamName is '{exception.ParamName}', expected '{parameterName}'.");
        Assert.True(exception.Message.Contains(where, StringComparison.Ordinal), $"{call}: the message does not say \"{where}\": \"{exception.Message}\"");
        Assert.True(before.AsSpan().SequenceEqual(network.Parameters), $"{call}: the parameters changed although the call was refused.");
    }

    private static void AssertBatchedMethodsCheckTheirRows<T>(INetwork<T> network, Architecture architecture)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int inputs = architecture.InputSize;
        int outputs = architecture.OutputSize;
        int parameters = architecture.ParameterCount;
        if (inputs > 1)
        {
            AssertRejects(network, "ForwardBatch with a partial input row", "inputs", inputs, () => network.ForwardBatch(new T[inputs + 1], new T[outputs]));
            AssertRejects(network, "BackwardBatch with a partial input row", "inputs", inputs, () => network.BackwardBatch(new T[(2 * inputs) - 1], new T[2 * outputs], new T[parameters]));
        }

        AssertRejects(network, "ForwardBatch with more output rows", "outputs", 2 * outputs, () => network.ForwardBatch(new T[2 * inputs], new T[3 * outputs]));
        AssertRejects(network, "ForwardBatch with outputs but no inputs", "outputs", 0, () => network.ForwardBatch([], new T[outputs]));
        AssertRejects(network, "BackwardBatch with fewer target rows", "targets", 3 * outputs, () => network.BackwardBatch(new T[3 * inputs], new T[outputs], new T[parameters]));
        AssertRejects(network, "BackwardBatch with a short gradient", "gradient", parameters, () => network.BackwardBatch(new T[inputs], new T[outputs], new T[parameters - 1]));

        // No rows is a batch too: nothing to compute, nothing added, a loss sum of zero.
        network.ForwardBatch([], []);
        var gradient = new T[parameters];
        Assert.Equal(T.Zero, network.BackwardBatch([], [], gradient));
        Assert.All(gradient, g => Assert.Equal(T.Zero, g));
    }

    private static void AssertSingleSampleMethodsRejectWrongLengths<T>(INetwork<T> network, Architecture architecture)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int inputs = architecture.InputSize;
        int outputs = architecture.OutputSize;
        int parameters = architecture.ParameterCount;
        T learningRate = T.CreateChecked(0.1);
        foreach (int wrongBy in new[] { -1, 1 })
        {
            AssertRejects(network, "Forward", "input", inputs, () => network.Forward(new T[inputs + wrongBy], new T[outputs]));
            AssertRejects(network, "Forward", "output", outputs, () => network.Forward(new T[inputs], new T[outputs + wrongBy]));
            AssertRejects(network, "ComputeLoss", "input", inputs, () => network.ComputeLoss(new T[inputs + wrongBy], new T[outputs]));
            AssertRejects(network, "ComputeLoss", "target", outputs, () => network.ComputeLoss(new T[inputs], new T[outputs + wrongBy]));
            AssertRejects(network, "Backward", "input", inputs, () => network.Backward(new T[inputs + wrongBy], new T[outputs], new T[parameters]));
            AssertRejects(network, "Backward", "target", outputs, () => network.Backward(new T[inputs], new T[outputs + wrongBy], new T[parameters]));
            AssertRejects(network, "Backward", "gradient", parameters, () => network.Backward(new T[inputs], new T[outputs], new T[parameters + wrongBy]));
            AssertRejects(network, "TrainStep", "input", inputs, () => network.TrainStep(new T[inputs + wrongBy], new T[outputs], learningRate));
            AssertRejects(network, "TrainStep", "target", outputs, () => network.TrainStep(new T[inputs], new T[outputs + wrongBy], learningRate));
        }

        AssertRejects(network, "Forward", "input", inputs, () => network.Forward([], new T[outputs]));
        AssertRejects(network, "TrainStep", "target", outputs, () => network.TrainStep(new T[inputs], [], learningRate));
    }

    private static void AssertTrainBatchRejectsBadRows<T>(INetwork<T> network, Architecture architecture)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int inputs = architecture.InputSize;
        int outputs = architecture.OutputSize;
        T learningRate = T.CreateChecked(0.1);

        AssertRejects(network, "TrainBatch with no rows", "inputs", inputs, () => network.TrainBatch([], [], learningRate));
        if (inputs > 1)
        {
            // With one input per row every length is a whole number of rows.
            AssertRejects(network, "TrainBatch with a partial input row", "inputs", inputs, () => network.TrainBatch(new T[inputs - 1], new T[outputs], learningRate));
            AssertRejects(network, "TrainBatch with a row and a part", "inputs", inputs, () => network.TrainBatch(new T[inputs + 1], new T[2 * outputs], learningRate));
        }

        AssertRejects(network, "TrainBatch with more target rows", "targets", 2 * outputs, () => network.TrainBatch(new T[2 * inputs], new T[3 * outputs], learningRate));
        AssertRejects(network, "TrainBatch with fewer target rows", "targets", 3 * outputs, () => network.TrainBatch(new T[3 * inputs], new T[outputs], learningRate));
        AssertRejects(network, "TrainBatch with inputs but no targets", "targets", 2 * outputs, () => network.TrainBatch(new T[2 * inputs], [], learningRate));
        AssertRejects(network, "TrainBatch with a partial target row", "targets", 2 * outputs, () => network.TrainBatch(new T[2 * inputs], new T[(2 * outputs) + 1], learningRate));
    }

    /// <summary>
    /// Asserts the call throws ArgumentException with <paramref name="parameterName"/> as ParamName and the
    /// expected length in its message (as a whole number), and that the parameters are untouched.
    /// </summary>
    private static void AssertRejects<T>(INetwork<T> network, string call, string parameterName, int expectedLength, Action action)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T[] before = network.Parameters.ToArray();

        ArgumentException exception = Assert.Throws<ArgumentException>(action);

        Assert.True(parameterName == exception.ParamName, $"{call}: ParamName is '{exception.ParamName}', expected '{parameterName}'.");
        Assert.True(
            Regex.IsMatch(exception.Message, $@"(?<![\d.,]){expectedLength}(?!\d)(?![.,]\d)"),
            $"{call}, '{parameterName}': the message does not state the expected length {expectedLength}: \"{exception.Message}\"");
        Assert.True(before.AsSpan().SequenceEqual(network.Parameters), $"{call}: the parameters changed although the call was rejected.");
    }
}
