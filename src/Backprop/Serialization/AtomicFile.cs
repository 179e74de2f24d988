using System;
using System.IO;

namespace Backprop.Serialization;

/// <summary>
/// Writes a file so that readers see the old one or the new one, never a part of either: the contents go to a
/// temporary file in the same directory, are flushed to disk, then the temporary file is renamed over the target. If
/// anything fails, the old file is left as it was and the temporary one removed. Every model writer saves through it.
/// </summary>
internal static class AtomicFile
{
    /// <summary>Replaces the file at <paramref name="path"/> with what <paramref name="write"/> writes.</summary>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty or names no file.</exception>
    /// <exception cref="DirectoryNotFoundException">The directory of <paramref name="path"/> does not exist (the message names it, not the temporary file).</exception>
    public static void Write(string path, Action<Stream> write)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string fullPath = Path.GetFullPath(path);
        string directory = Path.GetDirectoryName(fullPath) ?? throw new ArgumentException($"'{path}' names no file.", nameof(path));
        if (!Directory.Exists(directory))
        {
            // Said here, about the file asked for: the FileStream below would name the hidden temporary file instead.
            throw new DirectoryNotFoundException($"Cannot save '{path}': the directory '{directory}' does not exist. Create it first; nothing was written.");
        }

        string temporary = Path.Combine(directory, $".{Path.GetFileName(fullPath)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1 << 16))
            {
                write(file);
                file.Flush(flushToDisk: true);
            }

            File.Move(temporary, fullPath, overwrite: true);
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
