using System;

namespace Backprop.Interop.Formats;

/// <summary>What is wrong with a model file, as the format readers shared by the runtime and the generator see it.</summary>
internal enum ModelProblem
{
    /// <summary>The bytes are not a file of the format at all.</summary>
    NotAModel,

    /// <summary>The bytes end before the structure they announce does.</summary>
    Truncated,

    /// <summary>The structure is inconsistent: a length, offset, type or value no writer produces.</summary>
    Corrupted,

    /// <summary>A valid file that holds what a dense network cannot be: an operator, a data type, a graph shape.</summary>
    Unsupported,

    /// <summary>A valid dense network in the other element type.</summary>
    PrecisionMismatch,

    /// <summary>A valid dense network of other sizes or activations.</summary>
    ArchitectureMismatch,
}

/// <summary>
/// A model file the format readers refused. The runtime turns it into its public <c>ModelFormatException</c>, the
/// generator into a diagnostic; the readers themselves know neither.
/// </summary>
internal sealed class InvalidModelException : Exception
{
    public InvalidModelException(ModelProblem problem, string message)
        : base(message) => Problem = problem;

    public ModelProblem Problem { get; }
}
