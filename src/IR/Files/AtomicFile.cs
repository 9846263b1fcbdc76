using System.Text;

namespace GraphDL.IR;

/// <summary>
/// Writes a file through a temporary file in the same directory and a rename, so a reader (a browser reloading an
/// SVG, a script polling a report, another process loading a cached kernel) sees the old file or the whole new one,
/// never half of one, and a failed write leaves no stray file behind. Every file GraphDL writes goes through here.
/// </summary>
public static class AtomicFile
{
    /// <exception cref="IOException">The directory is missing or not writable, or the disk is full.</exception>
    /// <exception cref="UnauthorizedAccessException">The file or its directory may not be written.</exception>
    public static void Write(string path, byte[] bytes)
    {
        var full = Path.GetFullPath(path);
        var temporary = $"{full}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        try
        {
            File.WriteAllBytes(temporary, bytes);
            File.Move(temporary, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }
        }
    }

    /// <summary>Writes <paramref name="text"/> as UTF-8 (no byte order mark).</summary>
    public static void Write(string path, string text) => Write(path, new UTF8Encoding(false).GetBytes(text));
}
