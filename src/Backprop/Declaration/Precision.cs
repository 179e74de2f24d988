namespace Backprop;

/// <summary>The floating-point type a generated network computes in.</summary>
public enum Precision
{
    /// <summary><see cref="float"/>: the network implements <see cref="INetwork{T}"/> of <see cref="float"/>.</summary>
    Single = 0,

    /// <summary><see cref="double"/>: the network implements <see cref="INetwork{T}"/> of <see cref="double"/>.</summary>
    Double = 1,
}
