namespace SecureDialogue.Client.Profile;

/// <summary>
/// Writes profile state so that a file is either the old or the new version, never a mix: a temporary file
/// (mode 0600, created exclusively) is written and flushed to disk, then renamed over the target. The
/// directory itself is not fsynced after the rename (as for the key store, docs/protocol.md section 14).
/// </summary>
internal static class AtomicStateFile
{
    /// <summary>Replaces <paramref name="path"/> with <paramref name="contents"/>; creates the directory (0700) if missing.</summary>
    /// <exception cref="IOException">The file could not be written.</exception>
    public static void Write(string path, ReadOnlySpan<byte> contents)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        EnsureDirectory(directory);
        var temporary = Path.Combine(directory, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Options = FileOptions.WriteThrough };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            using (var stream = new FileStream(temporary, options))
            {
                stream.Write(contents);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, path, overwrite: true);
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }
    }

    /// <summary>The file's bytes, or null when it does not exist. Files larger than <paramref name="maxLength"/> are refused.</summary>
    /// <exception cref="IOException">The file exists but could not be read, or is too large.</exception>
    public static byte[]? Read(string path, long maxLength)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            if (stream.Length > maxLength)
            {
                throw new IOException($"{Path.GetFileName(path)} is larger than {maxLength} bytes.");
            }

            var bytes = new byte[stream.Length];
            stream.ReadExactly(bytes);
            return bytes;
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (DirectoryNotFoundException)
        {
            return null;
        }
    }

    /// <summary>Creates a directory readable by its owner only (0700) if it does not exist.</summary>
    public static void EnsureDirectory(string directory)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(directory);
        }
        else
        {
            // Each missing level gets 0700 (CreateDirectory applies the mode to the last level only).
            var missing = new Stack<string>();
            for (var current = Path.GetFullPath(directory); !Directory.Exists(current); current = Path.GetDirectoryName(current)!)
            {
                missing.Push(current);
            }

            while (missing.TryPop(out var level))
            {
                Directory.CreateDirectory(level, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
        }
    }

    public static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort: a leftover temporary file is ignored on the next read.
        }
    }
}
