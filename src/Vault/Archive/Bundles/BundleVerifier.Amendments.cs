using System.Globalization;
using SecureDialogue.Vault.Amendments;
using SecureDialogue.Vault.Envelopes;

namespace SecureDialogue.Vault.Archive.Bundles;

public static partial class BundleVerifier
{
    private sealed partial class Run
    {
        // Every Envelope entry by (channel, sender, counter): its index and, for a full envelope, its envelope id (a
        // summary-form entry, docs/protocol.md 7.12, has none). About 100 bytes per envelope: the one part of the
        // verifier's memory that grows with the log, so that corrections and retractions can be checked in one pass.
        private readonly Dictionary<string, (long Index, byte[]? Id)> _envelopes = new(StringComparer.Ordinal);

        private void RememberEnvelope(ArchiveEntry entry)
        {
            if (entry.Form != ArchivePayloadForm.Inline)
            {
                return;
            }

            if (Envelope.Decode(entry.Payload).TryGetValue(out var envelope, out _))
            {
                _envelopes[Key(envelope.Header.Channel.Value, envelope.Header.Sender, envelope.Header.Counter)] = (entry.Index, envelope.ComputeId());
            }
            else if (EnvelopeSummary.Decode(entry.Payload.Span).TryGetValue(out var summary, out _))
            {
                _envelopes[Key(summary.Header.Channel.Value, summary.Header.Sender, summary.Header.Counter)] = (entry.Index, null);
            }
        }

        // docs/protocol.md 21.3: a publication withdrawal (JSON, starts with '{') is the server's word and is not checked here.
        private BundleFailure? CheckAmendment(ArchiveEntry entry, long offset)
        {
            if (entry.Kind == ArchiveEntryKind.Retraction && entry.Form == ArchivePayloadForm.Inline && entry.Payload.Length > 0 && entry.Payload.Span[0] == (byte)'{')
            {
                return null;
            }

            if (entry.Form != ArchivePayloadForm.Inline || !AmendmentCodec.Decode(entry.Payload.Span).TryGetValue(out var statement, out _))
            {
                return Fail(BundleFailureReason.AmendmentInvalid, offset, entry.Index, "the correction or retraction is not an inline amendment statement that decodes");
            }

            var amendment = statement.Amendment;
            var kind = amendment.Action == AmendmentAction.Correct ? ArchiveEntryKind.Correction : ArchiveEntryKind.Retraction;
            if (kind != entry.Kind || amendment.Review != Header!.Review)
            {
                return Fail(BundleFailureReason.AmendmentInvalid, offset, entry.Index, $"the statement is a {amendment.Action} of another review or kind than the entry");
            }

            if (!_cards.TryGetValue(amendment.Author, out var card) || !AmendmentCodec.Verify(entry.Payload.Span, card).IsSuccess)
            {
                return Fail(BundleFailureReason.AmendmentInvalid, offset, entry.Index, $"the statement's signature does not verify with device {amendment.Author}'s card in the bundle");
            }

            if (!Names(amendment, amendment.TargetEnvelopeId.Span, amendment.TargetCounter, out var target) || target != entry.Target)
            {
                return Fail(BundleFailureReason.AmendmentInvalid, offset, entry.Index,
                    $"entry {entry.Target} is not the envelope of device {amendment.Author} the statement names (counter {amendment.TargetCounter} in '{amendment.Channel}')");
            }

            if (amendment.Action == AmendmentAction.Correct && !Names(amendment, amendment.ReplacementEnvelopeId.Span, amendment.ReplacementCounter, out _))
            {
                return Fail(BundleFailureReason.AmendmentInvalid, offset, entry.Index,
                    $"no earlier envelope entry of device {amendment.Author} is the replacement the correction names (counter {amendment.ReplacementCounter})");
            }

            return null;
        }

        private bool Names(Amendment amendment, ReadOnlySpan<byte> id, ulong counter, out long index)
        {
            index = -1;
            if (!_envelopes.TryGetValue(Key(amendment.Channel.Value, amendment.Author, counter), out var found) ||
                (found.Id is not null && !found.Id.AsSpan().SequenceEqual(id)))
            {
                return false;
            }

            index = found.Index;
            return true;
        }

        private static string Key(string channel, Keys.DeviceId sender, ulong counter) =>
            string.Create(CultureInfo.InvariantCulture, $"{channel}/{sender}/{counter}");
    }
}
