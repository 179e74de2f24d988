using System;
using System.Numerics;

namespace Backprop.CompilerServices;

/// <summary>
/// An element-wise activation a = g(z) and its derivative g′, in every form generated code runs: one value (the
/// unrolled layers), a span (the kernel form) and one SIMD vector of any width (the register form). Generated code
/// names the operator as a type argument of <see cref="Activations"/>; one struct per activation carries them all.
/// </summary>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
public interface IActivationOperator<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>
    /// Whether <see cref="Derivative(T)"/> reads the pre-activation z (<see langword="true"/>) or the stored
    /// activation a = g(z) (<see langword="false"/>), so a network keeps z only for the activations that need it.
    /// </summary>
    static abstract bool DerivativeReadsPreActivation { get; }

    /// <summary>g(z).</summary>
    static abstract T Invoke(T z);

    /// <summary>g′, from z or from a as <see cref="DerivativeReadsPreActivation"/> says.</summary>
    static abstract T Derivative(T input);

    /// <summary>a = g(z) element-wise over equal-length spans (which may be the same span).</summary>
    internal static abstract void Invoke(ReadOnlySpan<T> z, Span<T> a);

    /// <summary>g(z) per lane.</summary>
    internal static abstract TVector Invoke<TVector, TLanes>(TVector z)
        where TVector : struct
        where TLanes : IVectorLanes<TVector, T>;

    /// <summary>g′ per lane, from z or from a as <see cref="DerivativeReadsPreActivation"/> says.</summary>
    internal static abstract TVector Derivative<TVector, TLanes>(TVector input)
        where TVector : struct
        where TLanes : IVectorLanes<TVector, T>;
}
