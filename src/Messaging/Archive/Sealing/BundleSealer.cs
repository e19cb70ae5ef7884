using System.Globalization;
using SecureDialogue.Vault.Archive;
using SecureDialogue.Vault.Archive.Bundles;
using SecureDialogue.Vault.Envelopes;

namespace SecureDialogue.Messaging.Archive.Sealing;

/// <summary>
/// Seals a review's archive: reads a snapshot from the <see cref="IArchiveSource"/>, writes the bundle to a private spool
/// file (streaming, one entry at a time), verifies the whole file with <see cref="BundleVerifier"/> against the log keys,
/// stores it in the <see cref="ISealedBundleStore"/> under <c>reviews/{review}/{time}-{size}.sdlb</c> and returns a receipt.
/// Nothing is stored when any check fails.
/// </summary>
internal sealed partial class BundleSealer(
    IArchiveSource source, ISealedBundleStore store, CheckpointSigner signer, SealedStorageOptions options, TimeProvider time, ILogger<BundleSealer> logger)
{
    /// <summary>Seals <paramref name="review"/>; null when the source does not know it.</summary>
    /// <exception cref="SealingException">The source's data is inconsistent or incomplete (message says what); nothing was stored.</exception>
    /// <exception cref="SealedStoreException">The store refused.</exception>
    public async Task<SealReceipt?> SealAsync(Guid review, BundleAttachmentMode mode, CancellationToken cancellationToken = default)
    {
        var snapshot = await source.GetSnapshotAsync(review, cancellationToken).ConfigureAwait(false);
        if (snapshot is null)
        {
            return null;
        }

        var now = time.GetUtcNow();
        await using var spool = SealingSpool.Create(options.SpoolDirectory);
        BundleWritten written;
        try
        {
            written = await WriteAsync(review, snapshot, mode, now, spool, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException)
        {
            LogRefused(logger, review, e.Message);
            throw new SealingException($"Cannot seal review {review}: {e.Message}", e);
        }

        spool.Position = 0;
        var verification = await BundleVerifier.VerifyAsync(spool, new BundleVerifierOptions { TrustedLogKeys = snapshot.LogKeys }, cancellationToken).ConfigureAwait(false);
        if (!verification.IsValid)
        {
            LogRefused(logger, review, verification.Failure!.ToString());
            throw new SealingException($"Cannot seal review {review}: the bundle does not verify ({verification.Failure}).");
        }

        spool.Position = 0;
        var name = string.Create(CultureInfo.InvariantCulture, $"reviews/{review:D}/{now.UtcDateTime:yyyyMMdd'T'HHmmssfff'Z'}-{written.TreeSize}.sdlb");
        var stored = await store.PutAsync(name, spool, cancellationToken).ConfigureAwait(false);
        LogSealed(logger, review, written.TreeSize, stored.Backend, stored.Key, stored.Size);
        return new SealReceipt(review, stored, written.TreeSize, written.Root, written.SealDigest, now);
    }

    private async Task<BundleWritten> WriteAsync(Guid review, ArchiveSnapshot snapshot, BundleAttachmentMode mode, DateTimeOffset now, Stream spool, CancellationToken cancellationToken)
    {
        var header = new BundleHeader(review, now, mode, snapshot.TreeSize, snapshot.LogKeys, snapshot.DeviceCards.Count, snapshot.Certificates.Count, snapshot.Checkpoints.Count);
        var writer = await BundleWriter.CreateAsync(spool, header, signer, cancellationToken).ConfigureAwait(false);
        foreach (var card in snapshot.DeviceCards)
        {
            await writer.WriteDeviceCardAsync(card, cancellationToken).ConfigureAwait(false);
        }

        foreach (var certificate in snapshot.Certificates)
        {
            await writer.WriteCertificateAsync(certificate, cancellationToken).ConfigureAwait(false);
        }

        foreach (var checkpoint in snapshot.Checkpoints)
        {
            await writer.WriteCheckpointAsync(checkpoint, cancellationToken).ConfigureAwait(false);
        }

        await foreach (var entry in source.ReadEntriesAsync(review, snapshot.TreeSize, cancellationToken).ConfigureAwait(false))
        {
            if (mode == BundleAttachmentMode.Ciphertexts && entry.Kind == ArchiveEntryKind.AttachmentCiphertext && entry.Form == ArchivePayloadForm.Digest)
            {
                var content = await source.OpenAttachmentAsync(review, entry, cancellationToken).ConfigureAwait(false)
                    ?? throw new InvalidOperationException($"the ciphertext of entry {entry.Index} is not available; seal with digests only");
                await using (content.Ciphertext.ConfigureAwait(false))
                {
                    await writer.WriteEntryAsync(entry, new BundleAttachment(content.BlobId, content.Ciphertext), cancellationToken).ConfigureAwait(false);
                }
            }
            else if (BundleFormat.IsSummaryEnvelopeEntry(entry))
            {
                // The log holds the summary; the bundle carries the envelope beside it (docs/protocol.md 17.1).
                var bytes = await source.OpenEnvelopeAsync(review, entry, cancellationToken).ConfigureAwait(false)
                    ?? throw new InvalidOperationException($"the envelope of entry {entry.Index} is not available");
                var envelope = Envelope.Decode(bytes).TryGetValue(out var decoded, out _) ? decoded
                    : throw new InvalidOperationException($"the envelope of entry {entry.Index} does not decode");
                await writer.WriteEnvelopeEntryAsync(entry, envelope, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await writer.WriteEntryAsync(entry, null, cancellationToken).ConfigureAwait(false);
            }
        }

        if (writer.EntryCount != snapshot.TreeSize)
        {
            throw new InvalidOperationException($"the source gave {writer.EntryCount} entries for a tree of {snapshot.TreeSize}");
        }

        return await writer.CompleteAsync(cancellationToken).ConfigureAwait(false);
    }

    [LoggerMessage(EventId = 5101, Level = LogLevel.Information, Message = "Sealed review {Review} at tree size {TreeSize}: {Backend} {Key}, {Size} bytes")]
    private static partial void LogSealed(ILogger logger, Guid review, long treeSize, string backend, string key, long size);

    [LoggerMessage(EventId = 5102, Level = LogLevel.Warning, Message = "Refused to seal review {Review}: {Reason}")]
    private static partial void LogRefused(ILogger logger, Guid review, string reason);
}

/// <summary>What sealing stored: where (key, version), the file's SHA-256 and size, and the tree it seals.</summary>
/// <param name="Review">The review.</param>
/// <param name="Stored">The stored object (backend, key, version id, SHA-256, size, retain-until).</param>
/// <param name="TreeSize">Number of entries.</param>
/// <param name="Root">Their RFC 9162 root (the last checkpoint's root).</param>
/// <param name="SealDigest">SHA-256 of the bundle before its seal (what the log key signed).</param>
/// <param name="SealedAt">When.</param>
internal sealed record SealReceipt(Guid Review, SealedObject Stored, long TreeSize, byte[] Root, byte[] SealDigest, DateTimeOffset SealedAt);

/// <summary>The archive could not be sealed as given (inconsistent or incomplete source data); nothing was stored.</summary>
internal sealed class SealingException(string message, Exception? inner = null) : Exception(message, inner);
