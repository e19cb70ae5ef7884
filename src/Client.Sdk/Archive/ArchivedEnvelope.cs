using SecureDialogue.Contracts;
using SecureDialogue.Vault.Envelopes;
using SecureDialogue.Vault.Publication;

namespace SecureDialogue.Client.Archive;

/// <summary>
/// The payload of a served envelope's archive <c>Envelope</c> entry (docs/protocol.md 16.2.1): the envelope's summary
/// (section 7.12) when the server says the log records summaries (<see cref="StoredEnvelope.ArchiveForm"/> 1), otherwise
/// the envelope's bytes as served. The summary is computed here from the envelope received, so the entry checked by
/// inclusion still binds every byte of it (the summary signs the ciphertext's hash).
/// </summary>
internal static class ArchivedEnvelope
{
    /// <summary>How the log recorded <paramref name="stored"/>: any value other than 1 is the whole envelope.</summary>
    public static EnvelopeEntryForm FormOf(StoredEnvelope stored) =>
        stored.ArchiveForm == (int)EnvelopeEntryForm.Summary ? EnvelopeEntryForm.Summary : EnvelopeEntryForm.WholeEnvelope;

    /// <summary>
    /// The entry's payload. An envelope that does not decode has no summary: its bytes are returned as they are, and the
    /// inclusion check then fails (the log cannot have recorded a summary of it).
    /// </summary>
    public static byte[] Payload(StoredEnvelope stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        var bytes = stored.Envelope ?? [];
        return FormOf(stored) == EnvelopeEntryForm.Summary && Envelope.Decode(bytes).TryGetValue(out var envelope, out _)
            ? EnvelopeSummary.Of(envelope).Encode()
            : bytes;
    }
}
