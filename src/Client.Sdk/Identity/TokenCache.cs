using System.Text.Json;
using SecureDialogue.Client.Identity.Cache;
using SecureDialogue.Vault;

namespace SecureDialogue.Client.Identity;

/// <summary>
/// The signed-in account's tokens in the profile directory: <c>tokens.json</c>, readable and writable by its
/// owner only (0600, in a 0700 directory), replaced atomically. A cache that other users can read is
/// refused. Tokens are secrets: nothing here logs them.
/// </summary>
public sealed class TokenCache
{
    /// <summary>File name of the cache inside the profile directory.</summary>
    public const string FileName = "tokens.json";

    /// <summary>File name of the lock that serialises refreshes across processes.</summary>
    public const string LockFileName = "tokens.lock";

    private const int MaxFileBytes = 1024 * 1024;
    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OwnerOnlyDirectory = OwnerOnlyFile | UnixFileMode.UserExecute;
    private const UnixFileMode GroupOrOther = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
                                              | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <summary>A cache in <paramref name="profileDirectory"/>; nothing is touched until the first call.</summary>
    public TokenCache(string profileDirectory)
    {
        ArgumentException.ThrowIfNullOrEmpty(profileDirectory);
        Directory = Path.GetFullPath(profileDirectory);
    }

    /// <summary>The profile directory.</summary>
    public string Directory { get; }

    /// <summary>Full path of the cache file.</summary>
    public string FilePath => Path.Combine(Directory, FileName);

    /// <summary>Full path of the lock file.</summary>
    internal string LockPath => Path.Combine(Directory, LockFileName);

    /// <summary>Reads the cached tokens.</summary>
    /// <returns>The tokens; <see cref="IdentityErrorKind.NotSignedIn"/> when there is no cache;
    /// <see cref="IdentityErrorKind.CacheUnreadable"/> when it is malformed or readable by other users.</returns>
    public async Task<Result<TokenSet, IdentityError>> LoadAsync(CancellationToken cancellationToken = default)
    {
        var path = FilePath;
        try
        {
            if (!File.Exists(path))
            {
                return new IdentityError(IdentityErrorKind.NotSignedIn, "not signed in");
            }

            if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & GroupOrOther) != 0)
            {
                return new IdentityError(IdentityErrorKind.CacheUnreadable,
                    $"{path} is accessible to other users: it was not used; sign in again to replace it");
            }

            byte[] bytes;
            var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 4096, FileOptions.Asynchronous);
            await using (stream.ConfigureAwait(false))
            {
                if (stream.Length > MaxFileBytes)
                {
                    return Malformed(path);
                }

                bytes = new byte[stream.Length];
                await stream.ReadExactlyAsync(bytes, cancellationToken).ConfigureAwait(false);
            }

            var document = JsonSerializer.Deserialize(bytes, TokenCacheJsonContext.Default.TokenCacheDocument);
            return document?.ToTokenSet() is { } tokens ? tokens : Malformed(path);
        }
        catch (JsonException)
        {
            return Malformed(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new IdentityError(IdentityErrorKind.CacheUnreadable, $"cannot read {path}: {e.GetType().Name}");
        }
    }

    /// <summary>Writes the tokens: a new owner-only file moved over the old one, so readers see one or the other.</summary>
    /// <returns><c>null</c> on success, else a <see cref="IdentityErrorKind.CacheWriteFailed"/> error.</returns>
    public async Task<IdentityError?> SaveAsync(TokenSet tokens, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        var path = FilePath;
        var temporary = Path.Combine(Directory, $".{FileName}.{Guid.NewGuid():N}.tmp");
        try
        {
            EnsureDirectory();
            var bytes = JsonSerializer.SerializeToUtf8Bytes(TokenCacheDocument.From(tokens), TokenCacheJsonContext.Default.TokenCacheDocument);
            var stream = new FileStream(temporary, OwnerOnlyOptions(FileMode.CreateNew, FileAccess.Write));
            await using (stream.ConfigureAwait(false))
            {
                await stream.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
                await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, path, overwrite: true);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete(temporary);
            return new IdentityError(IdentityErrorKind.CacheWriteFailed, $"cannot write {path}: {e.GetType().Name}");
        }
        catch (OperationCanceledException)
        {
            TryDelete(temporary);
            throw;
        }
    }

    /// <summary>Deletes the cache; true when there was one.</summary>
    public bool Delete()
    {
        var path = FilePath;
        if (!File.Exists(path))
        {
            return false;
        }

        File.Delete(path);
        return true;
    }

    /// <summary>Creates the profile directory, owner-only, when it does not exist.</summary>
    internal void EnsureDirectory()
    {
        if (OperatingSystem.IsWindows())
        {
            System.IO.Directory.CreateDirectory(Directory);
        }
        else
        {
            System.IO.Directory.CreateDirectory(Directory, OwnerOnlyDirectory);
        }
    }

    /// <summary>File options that create files readable and writable by their owner only.</summary>
    internal static FileStreamOptions OwnerOnlyOptions(FileMode mode, FileAccess access, FileShare share = FileShare.None)
    {
        var options = new FileStreamOptions { Mode = mode, Access = access, Share = share, Options = FileOptions.Asynchronous };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = OwnerOnlyFile;
        }

        return options;
    }

    private static IdentityError Malformed(string path) =>
        new(IdentityErrorKind.CacheUnreadable, $"{path} is not a token cache this version understands: sign in again");

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort: the temporary file is owner-only.
        }
    }

    /// <inheritdoc />
    public override string ToString() => $"TokenCache({FilePath})";
}
