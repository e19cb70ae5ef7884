using System.Text.Json;

namespace SecureDialogue.Client.Profile;

/// <summary>
/// Loads and saves one channel's state in the profile. The own send counter lives in its own file and is
/// only changed under an exclusive lock file, so two processes on one profile never use the same counter.
/// </summary>
internal sealed class ChannelStateStore
{
    private const long MaxStateSize = 64L * 1024 * 1024;
    private static readonly TimeSpan LockTimeout = TimeSpan.FromSeconds(10);

    private readonly ProfileLayout _layout;
    private readonly Guid _review;
    private readonly string _channel;

    public ChannelStateStore(ProfileLayout layout, Guid review, string channel)
    {
        _layout = layout;
        _review = review;
        _channel = channel;
    }

    /// <summary>The saved state; a fresh one when none exists. Null when the file exists but cannot be parsed.</summary>
    public ChannelStateDocument? Load()
    {
        var bytes = AtomicStateFile.Read(_layout.ChannelStatePath(_review, _channel), MaxStateSize);
        if (bytes is null)
        {
            return new ChannelStateDocument();
        }

        try
        {
            var document = JsonSerializer.Deserialize(bytes, ProfileJsonContext.Default.ChannelStateDocument);
            return document is { Version: ChannelStateDocument.CurrentVersion } ? document : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public void Save(ChannelStateDocument document) =>
        AtomicStateFile.Write(_layout.ChannelStatePath(_review, _channel), JsonSerializer.SerializeToUtf8Bytes(document, ProfileJsonContext.Default.ChannelStateDocument));

    /// <summary>The last counter reserved (0 if none).</summary>
    public ulong ReadCounter() => ReadCounterFile();

    /// <summary>
    /// Reserves the next own counter, above both the saved one and <paramref name="floor"/> (the highest own
    /// counter seen in history), and saves it before returning: a counter handed out is never handed out again.
    /// </summary>
    public async Task<ulong> ReserveCounterAsync(ulong floor, TimeProvider time, CancellationToken cancellationToken)
    {
        using var held = await AcquireLockAsync(time, cancellationToken).ConfigureAwait(false);
        var next = checked(Math.Max(ReadCounterFile(), floor) + 1);
        WriteCounterFile(next);
        return next;
    }

    /// <summary>Raises the saved counter to <paramref name="seen"/> when history shows a higher own counter.</summary>
    public async Task RaiseCounterAsync(ulong seen, TimeProvider time, CancellationToken cancellationToken)
    {
        if (seen <= ReadCounterFile())
        {
            return;
        }

        using var held = await AcquireLockAsync(time, cancellationToken).ConfigureAwait(false);
        if (seen > ReadCounterFile())
        {
            WriteCounterFile(seen);
        }
    }

    private ulong ReadCounterFile()
    {
        var bytes = AtomicStateFile.Read(_layout.CounterPath(_review, _channel), 4096);
        if (bytes is null)
        {
            return 0;
        }

        try
        {
            return JsonSerializer.Deserialize(bytes, ProfileJsonContext.Default.CounterDocument)?.Counter
                   ?? throw new IOException("counter.json is empty.");
        }
        catch (JsonException e)
        {
            // Never guess a counter: reusing one would let others take a new item for a replay.
            throw new IOException("counter.json is corrupt; fix or remove it knowing that counters must never repeat.", e);
        }
    }

    private void WriteCounterFile(ulong counter) =>
        AtomicStateFile.Write(_layout.CounterPath(_review, _channel), JsonSerializer.SerializeToUtf8Bytes(new CounterDocument(counter), ProfileJsonContext.Default.CounterDocument));

    private async Task<FileStream> AcquireLockAsync(TimeProvider time, CancellationToken cancellationToken)
    {
        var path = _layout.CounterLockPath(_review, _channel);
        AtomicStateFile.EnsureDirectory(Path.GetDirectoryName(path)!);
        var started = time.GetTimestamp();
        while (true)
        {
            try
            {
                var options = new FileStreamOptions { Mode = FileMode.OpenOrCreate, Access = FileAccess.ReadWrite, Share = FileShare.None };
                if (!OperatingSystem.IsWindows())
                {
                    options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
                }

                return new FileStream(path, options);
            }
            catch (IOException) when (time.GetElapsedTime(started) < LockTimeout)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(20), time, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
