namespace Backprop.Serialization;

/// <summary>What is wrong with a model file that <see cref="NetworkSerializer"/> or an interchange format refused to load.</summary>
public enum ModelFormatError
{
    /// <summary>The data does not start with the model file's magic bytes: it is not a Backprop model file.</summary>
    NotAModelFile = 1,

    /// <summary>The file was written in a format version this library does not read (usually a newer one).</summary>
    UnsupportedVersion = 2,

    /// <summary>The data ends before the end its header announces: an incomplete copy or download.</summary>
    Truncated = 3,

    /// <summary>
    /// The contents do not match their CRC-32 checksum, the header holds values no writer produces, or bytes follow
    /// the checksum in a file: the file was damaged.
    /// </summary>
    Corrupted = 4,

    /// <summary>The file holds parameters of the other precision (float for a double network, or the reverse).</summary>
    PrecisionMismatch = 5,

    /// <summary>The file was saved from a network of another architecture (sizes, activations or loss).</summary>
    ArchitectureMismatch = 6,

    /// <summary>
    /// The file is valid but holds what a dense network of this library is not: an operator such as <c>Conv</c>,
    /// <c>BatchNormalization</c> or a <c>Dropout</c> left in an export, an element type such as float16, or a graph
    /// that is not a chain of layers.
    /// </summary>
    Unsupported = 7,
}
