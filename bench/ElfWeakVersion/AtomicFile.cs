namespace GraphDL.Bench.ElfWeakVersion;

/// <summary>Replaces a file's contents so that no reader ever sees half of them.</summary>
public static class AtomicFile
{
    /// <summary>
    /// Writes <paramref name="contents"/> to a temporary file beside <paramref name="path"/>, gives it the file's
    /// permissions, and renames it over the file (atomic within one file system). The file's old inode is left as it
    /// was, so a hard link to it (e.g. from a package cache) keeps the original bytes.
    /// </summary>
    public static void Replace(string path, byte[] contents)
    {
        string full = Path.GetFullPath(path);
        string temporary = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Environment.ProcessId}.tmp");
        try
        {
            File.WriteAllBytes(temporary, contents);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(temporary, File.GetUnixFileMode(full));
            }
            File.Move(temporary, full, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }
}
