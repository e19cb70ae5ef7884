using SecureDialogue.Client.Publication;
using SecureDialogue.Vault;
using SecureDialogue.Vault.Envelopes;
using SecureDialogue.Vault.Publication;

namespace SecureDialogue.Client.Channels;

public sealed partial class ChannelSession
{
    /// <summary>
    /// Fetches the item at <paramref name="sequence"/> again, opens and verifies it with this device's keys (nothing is
    /// taken from earlier reads), and returns a draft from which a publication record is built on this device. The
    /// server is asked only for the envelope it already serves; the archive proof is added by the caller
    /// (<c>PublicationDraft.WithArchive</c>). Who may publish is decided by the server when the record is
    /// submitted (the reviewed State's focal point).
    /// </summary>
    /// <param name="sequence">The item's channel sequence (at least 1).</param>
    /// <param name="cancellationToken">Cancels the fetch.</param>
    public async Task<Result<PublicationDraft, PreparePublicationFailure>> PreparePublicationAsync(long sequence, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(sequence, 1);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_epochsDirty && await FetchEpochsAsync(cancellationToken).ConfigureAwait(false) is { } epochError)
            {
                return new PreparePublicationFailure(epochError, null, false);
            }

            var page = await FetchPageAsync(sequence - 1, cancellationToken).ConfigureAwait(false);
            if (!page.TryGetValue(out var envelopes, out var error))
            {
                return new PreparePublicationFailure(error, null, false);
            }

            var stored = envelopes.Items.FirstOrDefault(i => i.Sequence == sequence);
            if (stored?.Envelope is not { } bytes)
            {
                return new PreparePublicationFailure(null, null, true);
            }

            var opened = EnvelopeOpener.Open(bytes, _keyring, IsHistorical(sequence));
            if (!opened.TryGetValue(out var item, out var openError))
            {
                return new PreparePublicationFailure(null, openError, false);
            }

            var author = SenderOf(item.Header.Sender).StateCode;
            var entry = stored.ArchiveIndex is { } index
                ? Vault.Archive.ArchiveEntry.Create(item.Header.Review, index, Vault.Archive.ArchiveEntryKind.Envelope, stored.StoredAt, Archive.ArchivedEnvelope.Payload(stored))
                : null;
            return new PublicationDraft(item, sequence, _core.Device, _core.Time, State(author), State(_me.StateCode), entry);
        }
        finally
        {
            _gate.Release();
        }
    }

    private static StateCode? State(string? code) => StateCode.TryParse(code, out var state) ? state : null;
}
