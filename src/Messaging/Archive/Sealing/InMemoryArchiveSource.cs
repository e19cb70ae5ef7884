using System.Runtime.CompilerServices;
using SecureDialogue.Vault.Archive;

namespace SecureDialogue.Messaging.Archive.Sealing;

/// <summary>An <see cref="IArchiveSource"/> over lists held in memory: one review's snapshot, entries, attachment blobs and envelopes kept beside summary entries (tests, demos).</summary>
internal sealed class InMemoryArchiveSource(Guid review, ArchiveSnapshot snapshot, IReadOnlyList<ArchiveEntry> entries, IReadOnlyDictionary<long, (byte[] BlobId, byte[] Ciphertext)>? attachments = null,
    IReadOnlyDictionary<long, byte[]>? envelopes = null)
    : IArchiveSource
{
    public Task<ArchiveSnapshot?> GetSnapshotAsync(Guid requested, CancellationToken cancellationToken = default) =>
        Task.FromResult(requested == review ? snapshot : null);

    public async IAsyncEnumerable<ArchiveEntry> ReadEntriesAsync(Guid requested, long treeSize, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (requested != review)
        {
            yield break;
        }

        foreach (var entry in entries.Take((int)Math.Min(treeSize, entries.Count)))
        {
            cancellationToken.ThrowIfCancellationRequested();
            await Task.Yield();
            yield return entry;
        }
    }

    public Task<ArchiveAttachmentContent?> OpenAttachmentAsync(Guid requested, ArchiveEntry entry, CancellationToken cancellationToken = default) =>
        Task.FromResult(requested == review && attachments is not null && attachments.TryGetValue(entry.Index, out var blob)
            ? new ArchiveAttachmentContent(blob.BlobId, new MemoryStream(blob.Ciphertext, writable: false))
            : null);

    public Task<byte[]?> OpenEnvelopeAsync(Guid requested, ArchiveEntry entry, CancellationToken cancellationToken = default) =>
        Task.FromResult(requested == review && envelopes is not null && envelopes.TryGetValue(entry.Index, out var envelope) ? envelope : null);
}
