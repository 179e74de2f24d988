using Backprop.Serialization;

namespace Backprop.Interop.Formats;

/// <summary>The runtime's side of the shared readers: their refusals as the public <see cref="ModelFormatException"/>.</summary>
internal static class ModelFormat
{
    public static ModelFormatException From(InvalidModelException exception)
        => new(
            exception.Problem switch
            {
                ModelProblem.NotAModel => ModelFormatError.NotAModelFile,
                ModelProblem.Truncated => ModelFormatError.Truncated,
                ModelProblem.Corrupted => ModelFormatError.Corrupted,
                ModelProblem.Unsupported => ModelFormatError.Unsupported,
                ModelProblem.PrecisionMismatch => ModelFormatError.PrecisionMismatch,
                _ => ModelFormatError.ArchitectureMismatch,
            },
            exception.Message);
}
