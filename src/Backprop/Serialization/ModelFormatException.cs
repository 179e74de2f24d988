using System;
using System.IO;

namespace Backprop.Serialization;

/// <summary>
/// A model file could not be loaded into a network: <see cref="Error"/> says why, and the message says what was
/// found and what was expected. When it is thrown, the network's parameters have not been changed.
/// </summary>
/// <remarks>
/// It derives from <see cref="IOException"/> (<see cref="InvalidDataException"/>, the natural base, is sealed), so code
/// that already handles I/O failures around loading a file handles it too.
/// </remarks>
public sealed class ModelFormatException : IOException
{
    /// <summary>Creates the exception with a default message.</summary>
    public ModelFormatException()
        : this(ModelFormatError.Corrupted, "The model file could not be read.")
    {
    }

    /// <summary>Creates the exception for an error with a message.</summary>
    /// <param name="message">What is wrong, for a person.</param>
    public ModelFormatException(string message)
        : this(ModelFormatError.Corrupted, message)
    {
    }

    /// <summary>Creates the exception with a message and the exception that caused it.</summary>
    /// <param name="message">What is wrong, for a person.</param>
    /// <param name="innerException">The cause.</param>
    public ModelFormatException(string message, Exception innerException)
        : base(message, innerException) => Error = ModelFormatError.Corrupted;

    /// <summary>Creates the exception for <paramref name="error"/>.</summary>
    /// <param name="error">What is wrong, for a program.</param>
    /// <param name="message">What is wrong, for a person.</param>
    public ModelFormatException(ModelFormatError error, string message)
        : base(message) => Error = error;

    /// <summary>What is wrong with the file.</summary>
    public ModelFormatError Error { get; }
}
