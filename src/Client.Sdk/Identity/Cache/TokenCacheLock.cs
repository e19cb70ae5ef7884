namespace SecureDialogue.Client.Identity.Cache;

/// <summary>
/// An exclusive lock on <c>tokens.lock</c> in the profile directory, held while one process refreshes: a
/// provider that rotates refresh tokens treats a second use of the old one as theft and revokes the whole
/// grant, so two <c>sdlg</c> processes must never refresh at the same time. On Unix .NET takes an advisory
/// <c>flock</c> for <see cref="FileShare.None"/>; the lock goes when the process dies.
/// </summary>
internal sealed class TokenCacheLock : IDisposable
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(100);

    private readonly FileStream _stream;

    private TokenCacheLock(FileStream stream) => _stream = stream;

    /// <summary>Takes the lock, waiting up to <paramref name="timeout"/>; <c>null</c> when it stayed taken.</summary>
    public static async Task<TokenCacheLock?> AcquireAsync(TokenCache cache, TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        cache.EnsureDirectory();
        var deadline = time.GetUtcNow() + timeout;
        while (true)
        {
            try
            {
                return new TokenCacheLock(new FileStream(cache.LockPath, TokenCache.OwnerOnlyOptions(FileMode.OpenOrCreate, FileAccess.ReadWrite)));
            }
            catch (IOException) when (time.GetUtcNow() < deadline)
            {
                await Task.Delay(RetryDelay, time, cancellationToken).ConfigureAwait(false);
            }
            catch (IOException)
            {
                return null;
            }
        }
    }

    public void Dispose() => _stream.Dispose();
}
