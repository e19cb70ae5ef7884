using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using SecureDialogue.Messaging.Hosting;
using SecureDialogue.Vault.Archive;

namespace SecureDialogue.Messaging.Archive;

/// <summary>
/// The log key that signs every review's checkpoints (docs/protocol.md 16.4). Production: the 32-byte seed file named by
/// <c>Archive:KeyFile</c>. Embedded profile without a key file: generated once into <c>DATA/archive-log-key</c> (mode
/// 0600, like the development token key) and reused after restarts. The seed is read into libsodium memory and the
/// buffer wiped; only the public key leaves this class.
/// </summary>
internal sealed partial class ArchiveKey : IDisposable
{
    public ArchiveKey(IOptions<ArchiveOptions> options, IOptions<DataDirectoryOptions> data, ILogger<ArchiveKey> logger)
    {
        var configured = options.Value.KeyFile;
        var path = string.IsNullOrWhiteSpace(configured) ? Path.Combine(data.Value.Directory, ArchiveOptions.DefaultKeyFileName) : configured;
        Signer = LoadOrCreate(path, options.Value.KeyName, create: string.IsNullOrWhiteSpace(configured), logger);
        var retired = options.Value.ParseRetiredKeys();
        Current = Signer.LogKey(options.Value.KeyFirstTreeSize);
        Keys = [.. retired, Current];
    }

    /// <summary>The signer (use only from <see cref="CheckpointService"/>).</summary>
    public CheckpointSigner Signer { get; }

    /// <summary>The current key as clients trust it.</summary>
    public ArchiveLogKey Current { get; }

    /// <summary>Retired keys with their ranges, then the current key.</summary>
    public IReadOnlyList<ArchiveLogKey> Keys { get; }

    public void Dispose() => Signer.Dispose();

    private static CheckpointSigner LoadOrCreate(string path, string keyName, bool create, ILogger logger)
    {
        if (create && !File.Exists(path))
        {
            var seed = new byte[CheckpointSigner.SeedSize];
            try
            {
                RandomNumberGenerator.Fill(seed);
                var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Options = FileOptions.WriteThrough };
                if (!OperatingSystem.IsWindows())
                {
                    options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
                }

                using (var stream = new FileStream(path, options))
                {
                    stream.Write(seed);
                }

                Log.Created(logger, path);
                return CheckpointSigner.FromSeed(seed, keyName);
            }
            catch (IOException) when (File.Exists(path))
            {
                // Another process created it first: use theirs.
            }
            finally
            {
                CryptographicOperations.ZeroMemory(seed);
            }
        }

        if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & (UnixFileMode.GroupRead | UnixFileMode.OtherRead | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite)) != 0)
        {
            if (create)
            {
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
                Log.PermissionsTightened(logger, path);
            }
            else
            {
                Log.ReadableByOthers(logger, path);
            }
        }

        var bytes = File.ReadAllBytes(path);
        try
        {
            if (bytes.Length != CheckpointSigner.SeedSize)
            {
                throw new InvalidOperationException($"The archive log key file {path} must hold exactly {CheckpointSigner.SeedSize} bytes.");
            }

            return CheckpointSigner.FromSeed(bytes, keyName);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 601, Level = LogLevel.Information, Message = "Created the archive log key {Path}")]
        public static partial void Created(ILogger logger, string path);

        [LoggerMessage(EventId = 602, Level = LogLevel.Warning, Message = "The archive log key {Path} was readable by others; its mode is now 0600")]
        public static partial void PermissionsTightened(ILogger logger, string path);

        [LoggerMessage(EventId = 603, Level = LogLevel.Warning, Message = "The archive log key {Path} is readable by other users: restrict it to the server's user")]
        public static partial void ReadableByOthers(ILogger logger, string path);
    }
}
