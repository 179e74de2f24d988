using System;
using System.Numerics;

namespace Backprop.Internal;

/// <summary>Maps the generic T of <see cref="INetwork{T}"/> to the <see cref="Precision"/> it stands for.</summary>
internal static class NumericFormat
{
    /// <summary>The precision of <typeparamref name="T"/>; throws for anything but float and double.</summary>
    public static Precision PrecisionOf<T>()
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        // typeof(T) == typeof(X) is folded by the JIT and by Native AOT: no reflection.
        if (typeof(T) == typeof(float))
        {
            return Precision.Single;
        }

        if (typeof(T) == typeof(double))
        {
            return Precision.Double;
        }

        throw new NotSupportedException($"Networks compute in float or double; {typeof(T).Name} is not supported.");
    }

    public static string Describe(Precision precision) => precision switch
    {
        Precision.Single => "float (Precision.Single)",
        Precision.Double => "double (Precision.Double)",
        _ => $"unknown precision {(int)precision}",
    };

    public static int SizeOf(Precision precision) => precision == Precision.Double ? sizeof(double) : sizeof(float);
}
