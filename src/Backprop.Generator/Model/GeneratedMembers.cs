using System.Collections.Generic;

namespace Backprop.Generator.Model;

/// <summary>
/// The names of every member the emitter adds to a network class. The parser checks them against
/// the user's own members, and none of them may be Loss, Activation, Precision, Network, Input or
/// Dense: attribute arguments bind with the class's members in scope, so a generated method named
/// Loss would break <c>[Network(Loss.CrossEntropy)]</c> with CS0119.
/// </summary>
internal static class GeneratedMembers
{
    public const string InputCount = "InputCount";
    public const string OutputCount = "OutputCount";
    public const string ParameterCount = "ParameterCount";
    public const string Parameters = "Parameters";
    public const string Architecture = "Architecture";
    public const string InitializeParameters = "InitializeParameters";
    public const string Forward = "Forward";
    public const string ComputeLoss = "ComputeLoss";
    public const string Backward = "Backward";
    public const string TrainStep = "TrainStep";
    public const string TrainBatch = "TrainBatch";
    public const string ForwardBatch = "ForwardBatch";
    public const string BackwardBatch = "BackwardBatch";
    public const string ParametersField = "_parameters";
    public const string BatchGradientField = "_batchGradient";
    public const string CreateParameters = "CreateParameters";
    public const string AccumulateGradient = "AccumulateGradient";
    public const string AccumulateBatchGradient = "AccumulateBatchGradient";
    public const string ForwardInRegisters = "ForwardInRegisters";
    public const string TrainStepInRegisters = "TrainStepInRegisters";
    public const string ForwardInRegisterPairs = "ForwardInRegisterPairs";
    public const string ResetToCompiledWeights = "ResetToCompiledWeights";
    public const string CompiledParameters = "CompiledParameters";

    /// <summary>The interface's properties a generated network implements explicitly (its constants cannot).</summary>
    public static readonly string[] ExplicitInterfaceProperties = [InputCount, OutputCount, ParameterCount, Architecture];

    /// <summary>The name a stub records for the user's own explicit implementation of one of <see cref="ExplicitInterfaceProperties"/>.</summary>
    public static string ExplicitImplementation(string property) => "INetwork." + property;

    /// <summary>
    /// Each generated member: its name, and for a method the fully qualified types of its parameters
    /// (a user method with the same name but other parameters is an overload, not a conflict).
    /// <paramref name="compiledWeights"/>: the declaration names a weights file, which adds ResetToCompiledWeights
    /// and the CompiledParameters it copies from.
    /// </summary>
    public static IEnumerable<(string Name, string[]? ParameterTypes)> All(Precision precision, bool compiledWeights = false)
    {
        string t = precision == Precision.Double ? "double" : "float";
        string span = $"global::System.Span<{t}>";
        string readOnlySpan = $"global::System.ReadOnlySpan<{t}>";

        yield return (InputCount, null);
        yield return (OutputCount, null);
        yield return (ParameterCount, null);
        yield return (Parameters, null);
        yield return (Architecture, null);
        yield return (ParametersField, null);
        yield return (BatchGradientField, null);
        yield return (InitializeParameters, ["int"]);
        yield return (InitializeParameters, [span, "int"]);
        yield return (CreateParameters, []);
        yield return (Forward, [readOnlySpan, span]);
        yield return (ComputeLoss, [readOnlySpan, readOnlySpan]);
        yield return (Backward, [readOnlySpan, readOnlySpan, span]);
        yield return (AccumulateGradient, [readOnlySpan, readOnlySpan, span]);
        yield return (TrainStep, [readOnlySpan, readOnlySpan, t]);
        yield return (TrainBatch, [readOnlySpan, readOnlySpan, t]);
        yield return (ForwardBatch, [readOnlySpan, span]);
        yield return (BackwardBatch, [readOnlySpan, readOnlySpan, span]);
        yield return (AccumulateBatchGradient, [readOnlySpan, readOnlySpan, span, "int", t]);
        yield return (ForwardInRegisters, [readOnlySpan, span]);
        yield return (TrainStepInRegisters, [readOnlySpan, readOnlySpan, t]);
        yield return (ForwardInRegisterPairs, [readOnlySpan, span]);
        if (compiledWeights)
        {
            yield return (ResetToCompiledWeights, []);
            yield return (CompiledParameters, null);
        }
    }
}
