using System;
using System.Linq;
using System.Numerics;
using System.Reflection;
using System.Reflection.Emit;
using System.Runtime.CompilerServices;
using Backprop;

namespace Backprop.JitCheck;

/// <summary>
/// Calls every generated method of every network declared in this assembly, so that the JIT compiles each
/// one; run by Backprop.Tests' JitMinOptsTests with <c>DOTNET_TieredCompilation=0</c> (every method is
/// compiled once, fully optimised, unless the JIT falls back to MinOpts for its size),
/// <c>DOTNET_JitDisasmSummary=1</c> and <c>DOTNET_JitStdOutFile</c>, and the summary is read there.
/// </summary>
/// <remarks>
/// Writes one line per network to standard output, <c>network: Full.Type.Name</c>, so the test knows which
/// types to look for. It also compiles a canary: a dynamic method of 24,000 bytes of IL, past the JIT's
/// 20,000-instruction threshold, which must show as MinOpts. The test checks it does, so a change in the
/// summary's wording cannot make the check pass without looking.
/// </remarks>
public static class Program
{
    public const string CanaryName = "MinOptsCanary";

    public static int Main()
    {
        Type[] networks = typeof(Program).Assembly.GetTypes()
            .Where(t => t.GetCustomAttribute<NetworkAttribute>() is not null)
            .OrderBy(t => t.FullName, StringComparer.Ordinal)
            .ToArray();

        foreach (Type type in networks)
        {
            object network = Activator.CreateInstance(type)!;
            switch (network)
            {
                case INetwork<float> single:
                    Exercise(single);
                    break;
                case INetwork<double> @double:
                    Exercise(@double);
                    break;
                default:
                    throw new InvalidOperationException($"{type} implements neither INetwork<float> nor INetwork<double>.");
            }

            Console.WriteLine($"network: {type.FullName}");
        }

        Console.WriteLine($"canary: {RunCanary()}");
        return 0;
    }

    /// <summary>
    /// Every public member of <see cref="INetwork{T}"/> that runs generated code, twice; Backward runs AccumulateGradient,
    /// TrainBatch and BackwardBatch run AccumulateBatchGradient.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Exercise<T>(INetwork<T> network)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        const int rows = 2;
        network.InitializeParameters(1);
        T[] inputs = new T[rows * network.InputCount];
        T[] targets = new T[rows * network.OutputCount];
        for (int i = 0; i < inputs.Length; i++)
        {
            inputs[i] = T.CreateChecked((i % 7) / 7.0 - 0.4);
        }

        for (int row = 0; row < rows; row++)
        {
            targets[row * network.OutputCount + row % network.OutputCount] = T.One;
        }

        ReadOnlySpan<T> input = inputs.AsSpan(0, network.InputCount);
        ReadOnlySpan<T> target = targets.AsSpan(0, network.OutputCount);
        T[] output = new T[network.OutputCount];
        T[] gradient = new T[network.ParameterCount];
        T rate = T.CreateChecked(0.01);
        T sum = T.Zero;
        for (int repeat = 0; repeat < 2; repeat++)
        {
            network.Forward(input, output);
            sum += output[0];
            sum += network.ComputeLoss(input, target);
            sum += network.Backward(input, target, gradient);
            sum += network.TrainStep(input, target, rate);
            sum += network.TrainBatch(inputs, targets, rate);
            sum += network.BackwardBatch(inputs, targets, gradient);
            T[] outputs = new T[rows * network.OutputCount];
            network.ForwardBatch(inputs, outputs);
            sum += outputs[0];
        }

        if (!T.IsFinite(sum))
        {
            throw new InvalidOperationException($"{network.GetType()}: a non-finite result ({sum}).");
        }
    }

    /// <summary>A method of 12,000 <c>ldc.i4.1; add</c> pairs: 24,001 IL instructions, past the JIT's MinOpts threshold of 20,000.</summary>
    private static int RunCanary()
    {
        DynamicMethod method = new(CanaryName, typeof(int), [typeof(int)], typeof(Program).Module);
        ILGenerator il = method.GetILGenerator();
        il.Emit(OpCodes.Ldarg_0);
        for (int i = 0; i < 12_000; i++)
        {
            il.Emit(OpCodes.Ldc_I4_1);
            il.Emit(OpCodes.Add);
        }

        il.Emit(OpCodes.Ret);
        return method.CreateDelegate<Func<int, int>>()(0);
    }
}
