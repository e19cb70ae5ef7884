namespace SecureDialogue.Messaging.Archive;

/// <summary>
/// Tells <see cref="CheckpointScheduler"/> which review logs grew (in this process), so it looks at them without
/// polling every review. Appends on another server sharing the database are found by the scheduler's periodic sweep.
/// </summary>
internal sealed class CheckpointSignal : IDisposable
{
    private readonly Lock _lock = new();
    private readonly HashSet<Guid> _dirty = [];
    private readonly SemaphoreSlim _wake = new(0, 1);

    /// <summary>Records that <paramref name="review"/>'s log grew (called before the commit; the scheduler reads committed state).</summary>
    public void Appended(Guid review)
    {
        lock (_lock)
        {
            _dirty.Add(review);
        }

        if (_wake.CurrentCount == 0)
        {
            try
            {
                _wake.Release();
            }
            catch (SemaphoreFullException)
            {
                // Already signalled.
            }
        }
    }

    /// <summary>Waits for an append or the timeout, then returns the reviews that grew since the last call.</summary>
    public async Task<IReadOnlyCollection<Guid>> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        await _wake.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);

        lock (_lock)
        {
            var dirty = _dirty.ToArray();
            _dirty.Clear();
            return dirty;
        }
    }

    public void Dispose() => _wake.Dispose();
}
