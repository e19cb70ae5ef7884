using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using SecureDialogue.Messaging.Blobs;
using SecureDialogue.Messaging.Persistence;
using SecureDialogue.Vault.Archive;
using SecureDialogue.Vault.Channels;
using SecureDialogue.Vault.Keys;

namespace SecureDialogue.Messaging.Archive.Sealing;

/// <summary>
/// The <see cref="IArchiveSource"/> over the server's review log (<see cref="ArchiveReader"/>) and blob store. The
/// snapshot's size is that of a checkpoint of the log's current size (signed now when none is stored yet); its
/// checkpoints are every stored one up to that size, then every checkpoint a <c>Cosignature</c> entry below it cosigns
/// (with its cosignature lines); its device cards are the members' registered devices, every device an epoch record
/// lists and every certifier and subject of the review's trust statements. An attachment entry's blob is the blob of the entry's channel with the entry's length whose SHA-256 is the
/// entry's digest: found by the SHA-256 recorded at commit, or, for blobs committed before it was recorded (migration
/// 0007), by hashing the candidates (the blob store names blobs by BLAKE2b-256). A summary-form envelope entry's envelope
/// is the row of <c>envelopes</c> the entry names (channel, sequence), read with the entry. Scoped.
/// </summary>
internal sealed class DbArchiveSource(MessagingDbContext db, ArchiveReader reader, CheckpointService checkpoints, ArchiveKey key, IBlobStore blobs) : IArchiveSource
{
    private const int Page = 256;
    private readonly Dictionary<long, string?> _channels = [];

    // Envelopes beside the summary entries of the page being read, until the sealer takes them (at most one page's).
    private readonly Dictionary<long, byte[]> _envelopes = [];

    public async Task<ArchiveSnapshot?> GetSnapshotAsync(Guid review, CancellationToken cancellationToken = default)
    {
        if (!await db.Reviews.AnyAsync(r => r.Id == review, cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        var size = await reader.SizeAsync(review, cancellationToken).ConfigureAwait(false);
        var note = await checkpoints.AtLeastAsync(db, review, size, size, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"no checkpoint of review {review} at size {size}");
        var last = Parse(note);
        var treeSize = last.TreeSize;

        var signed = new List<SignedCheckpoint>();
        foreach (var text in await reader.CheckpointsAsync(review, cancellationToken).ConfigureAwait(false))
        {
            var checkpoint = Parse(text);
            if (checkpoint.TreeSize <= treeSize)
            {
                signed.Add(checkpoint);
            }
        }

        var cosigned = new List<SignedCheckpoint>();
        foreach (var cosignature in await reader.CosignaturesAsync(review, cancellationToken).ConfigureAwait(false))
        {
            if (cosignature.EntryIndex >= treeSize)
            {
                continue;
            }

            var entries = await reader.ReadEntriesAsync(review, cosignature.EntryIndex, 1, cancellationToken).ConfigureAwait(false);
            if (entries.Count == 1 && SignedCheckpoint.Parse(entries[0].Payload.Span).TryGetValue(out var checkpoint, out _))
            {
                cosigned.Add(checkpoint);
            }
        }

        // Stored signings first, then the cosigned copies; stable by size, so the last one is of size n.
        var all = signed.Concat(cosigned).OrderBy(c => c.TreeSize).ToList();

        var cards = new Dictionary<DeviceId, DevicePublicKeys>();
        foreach (var device in await reader.DevicesAsync(review, cancellationToken).ConfigureAwait(false))
        {
            if (DevicePublicKeys.Decode(device.Card).TryGetValue(out var card, out _))
            {
                cards.TryAdd(card.Id, card);
            }
        }

        foreach (var record in await reader.EpochRecordsAsync(review, cancellationToken).ConfigureAwait(false))
        {
            if (EpochRecord.Decode(record.Record).TryGetValue(out var epoch, out _))
            {
                foreach (var member in epoch.Members)
                {
                    cards.TryAdd(member.Device.Id, member.Device);
                }
            }
        }

        // The archived trust statements are checked against their certifiers' and subjects' cards (docs/protocol.md 17.5),
        // including devices of people no longer in the review (a replaced focal point, a removed expert).
        var named = await db.TrustStatements.AsNoTracking()
            .Where(t => t.ReviewId == review)
            .Select(t => new { t.CertifierDevice, t.SubjectDevice })
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        var missing = named.SelectMany(t => new[] { t.CertifierDevice, t.SubjectDevice })
            .Where(id => DeviceId.TryParse(id, out var parsed) && !cards.ContainsKey(parsed))
            .Distinct(StringComparer.Ordinal).ToList();
        foreach (var card in await db.Devices.AsNoTracking().Where(d => missing.Contains(d.DeviceId)).Select(d => d.Card).ToListAsync(cancellationToken).ConfigureAwait(false))
        {
            if (DevicePublicKeys.Decode(card).TryGetValue(out var decoded, out _))
            {
                cards.TryAdd(decoded.Id, decoded);
            }
        }

        return new ArchiveSnapshot(treeSize, key.Keys, all, [.. cards.Values.OrderBy(c => c.Id.ToString(), StringComparer.Ordinal)], []);
    }

    public async IAsyncEnumerable<ArchiveEntry> ReadEntriesAsync(Guid review, long treeSize, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        for (long start = 0; start < treeSize; start += Page)
        {
            var page = await reader.ReadEntriesAsync(review, start, (int)Math.Min(Page, treeSize - start), cancellationToken).ConfigureAwait(false);
            if (page.Count == 0)
            {
                yield break;
            }

            foreach (var stored in page)
            {
                if (!ArchiveEntry.Decode(stored.Encoded).TryGetValue(out var entry, out var error))
                {
                    throw new InvalidOperationException($"entry {stored.Index} does not decode ({error})");
                }

                if (entry.Kind == ArchiveEntryKind.AttachmentCiphertext)
                {
                    _channels[entry.Index] = stored.Channel;
                }

                if (stored.Envelope is { } envelope)
                {
                    _envelopes[entry.Index] = envelope;
                }

                yield return entry;
            }
        }
    }

    public async Task<ArchiveAttachmentContent?> OpenAttachmentAsync(Guid review, ArchiveEntry entry, CancellationToken cancellationToken = default)
    {
        if (!_channels.TryGetValue(entry.Index, out var channel) || channel is null)
        {
            return null;
        }

        // Blobs record their ciphertext's SHA-256 at commit (migration 0007): one indexed lookup. Blobs committed before
        // that have none; only those candidates of the entry's length are hashed.
        var length = entry.PayloadLength;
        var digest = entry.PayloadDigest.ToArray();
        var recorded = await db.Blobs.AsNoTracking()
            .Where(b => b.ReviewId == review && b.Channel == channel && b.Sha256 == digest && b.Length == length)
            .Select(b => b.BlobId)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        foreach (var candidate in recorded)
        {
            if (BlobId.TryParse(candidate, out var id) && await OpenAsync(id, cancellationToken).ConfigureAwait(false) is { } content)
            {
                return content;
            }
        }

        var unhashed = await db.Blobs.AsNoTracking()
            .Where(b => b.ReviewId == review && b.Channel == channel && b.Sha256 == null && b.Length == length)
            .Select(b => b.BlobId)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        foreach (var candidate in unhashed)
        {
            if (BlobId.TryParse(candidate, out var id) &&
                await Sha256Async(id, cancellationToken).ConfigureAwait(false) is { } sha256 && CryptographicOperations.FixedTimeEquals(sha256, digest) &&
                await OpenAsync(id, cancellationToken).ConfigureAwait(false) is { } content)
            {
                return content;
            }
        }

        return null;
    }

    public Task<byte[]?> OpenEnvelopeAsync(Guid review, ArchiveEntry entry, CancellationToken cancellationToken = default) =>
        Task.FromResult(_envelopes.Remove(entry.Index, out var envelope) ? envelope : null);

    private async Task<ArchiveAttachmentContent?> OpenAsync(BlobId id, CancellationToken cancellationToken)
    {
        var opened = await blobs.OpenReadAsync(id, cancellationToken: cancellationToken).ConfigureAwait(false);
        return opened.TryGetValue(out var read, out _) ? new ArchiveAttachmentContent(id.ToHash(), read.Content) : null;
    }

    private async Task<byte[]?> Sha256Async(BlobId id, CancellationToken cancellationToken)
    {
        var opened = await blobs.OpenReadAsync(id, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!opened.TryGetValue(out var read, out _))
        {
            return null;
        }

        await using (read.ConfigureAwait(false))
        {
            return await SHA256.HashDataAsync(read.Content, cancellationToken).ConfigureAwait(false);
        }
    }

    private static SignedCheckpoint Parse(string note) =>
        SignedCheckpoint.Parse(note).TryGetValue(out var checkpoint, out var error)
            ? checkpoint
            : throw new InvalidOperationException($"a stored checkpoint does not parse ({error})");
}
