namespace SecureDialogue.Messaging.Archive.Sealing;

/// <summary>Private temporary files (0600, deleted on close) where bundles are built and checked before they are stored.</summary>
internal static class SealingSpool
{
    public static FileStream Create(string? directory)
    {
        var folder = string.IsNullOrEmpty(directory) ? Path.GetTempPath() : directory;
        System.IO.Directory.CreateDirectory(folder);
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.ReadWrite,
            Options = FileOptions.Asynchronous | FileOptions.DeleteOnClose,
            BufferSize = 64 * 1024,
        };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        return new FileStream(Path.Combine(folder, $".sdlg-seal.{Guid.NewGuid():N}.tmp"), options);
    }
}
