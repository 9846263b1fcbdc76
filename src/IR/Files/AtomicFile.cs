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

    /// <summary>
    /// Streams the file's contents through <paramref name="write"/> into the temporary file (large files, checkpoints,
    /// need no second copy in memory), flushes it to disk, then renames it over <paramref name="path"/>. If
    /// <paramref name="write"/> throws, or the process dies before the rename, the old file is untouched; the flush
    /// before the rename keeps a crash of the machine from leaving a renamed but empty file.
    /// </summary>
    /// <exception cref="IOException">The directory is missing or not writable, or the disk is full.</exception>
    /// <exception cref="UnauthorizedAccessException">The file or its directory may not be written.</exception>
    public static void Write(string path, Action<Stream> write)
    {
        var full = Path.GetFullPath(path);
        var temporary = $"{full}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1 << 16))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
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
