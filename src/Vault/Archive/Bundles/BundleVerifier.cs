using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using SecureDialogue.Vault.Attachments;
using SecureDialogue.Vault.Certification;
using SecureDialogue.Vault.Channels;
using SecureDialogue.Vault.Envelopes;
using SecureDialogue.Vault.Keys;
using SecureDialogue.Vault.Merkle;
using SecureDialogue.Vault.Primitives;

namespace SecureDialogue.Vault.Archive.Bundles;

/// <summary>
/// Verifies a sealed bundle offline, in one streaming pass (section 17.7): framing and limits, the header, every
/// device card's self-signature, every checkpoint's log signature, timestamp and cosignatures, every entry's
/// encoding and place, every envelope's signature against its sender's card and membership, every epoch record's
/// signature and chain, every archived trust statement's signature against its certifier's card (who certified whom),
/// attachment ciphertexts against their digests, the tree (the root recomputed with a
/// <see cref="MerkleFrontier"/> and compared to every checkpoint as its size is reached) and the seal. Memory is
/// bounded by one entry, the cards, one (size, root) pair per checkpoint, the member ids of the epochs and, for
/// corrections and retractions, about 100 bytes per envelope entry; never the entries. Reports the first failure, naming the entry.
/// </summary>
public static partial class BundleVerifier
{
    /// <summary>Verifies the bundle read from <paramref name="bundle"/> (read to its end; not disposed).</summary>
    /// <exception cref="IOException">Reading failed.</exception>
    public static async Task<BundleVerification> VerifyAsync(Stream bundle, BundleVerifierOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        using var reader = new BundleReader(bundle, leaveOpen: true);
        var run = new Run(reader, options ?? new BundleVerifierOptions());
        var failure = await run.ExecuteAsync(cancellationToken).ConfigureAwait(false);
        return failure is null
            ? new BundleVerification { Header = run.Header, Summary = run.Summary() }
            : new BundleVerification { Header = run.Header, Failure = failure };
    }

    private sealed class ChannelState
    {
        public uint Next;
        public byte[] LastHash = new byte[32];
        public HashSet<DeviceId> Managers = [];
        public readonly List<HashSet<DeviceId>> Members = [];
    }

    private sealed partial class Run(BundleReader reader, BundleVerifierOptions options)
    {
        private readonly Dictionary<DeviceId, DevicePublicKeys> _cards = [];
        private readonly List<(long Size, byte[] Root)> _checkpoints = [];
        private readonly Dictionary<long, byte[]> _rootsBySize = [];
        private readonly Dictionary<string, ChannelState> _channels = new(StringComparer.Ordinal);
        private readonly Dictionary<ArchiveEntryKind, long> _kinds = [];
        private readonly HashSet<string> _cosigners = new(StringComparer.Ordinal);
        private readonly List<BundleTrustStatement> _statements = [];
        private readonly Dictionary<DeviceId, ulong> _sequences = [];
        private readonly Dictionary<DeviceId, string> _roots = [];
        private readonly MerkleFrontier _frontier = new();
        private ArchiveKeyRing _keys = null!;
        private int _nextCheckpoint;
        private long _lastMatchedSize;
        private int _certificates;
        private int _cosignatures;
        private long _trackedMembers;
        private long _envelopeSignatures;
        private long _epochSignatures;
        private long _attachments;
        private long _envelopesBeside;
        private byte[] _sealDigest = [];

        public BundleHeader? Header { get; private set; }

        public BundleSummary Summary() => new()
        {
            Review = Header!.Review,
            Origin = Header.Origin,
            CreatedAt = Header.CreatedAt,
            TreeSize = Header.TreeSize,
            Root = _frontier.Root(),
            LogKeys = [.. Header.LogKeys.Select(k => k.VerifierKey)],
            AttachmentMode = Header.AttachmentMode,
            EntriesByKind = _kinds,
            Checkpoints = _checkpoints.Count,
            Cosignatures = _cosignatures,
            Cosigners = _cosigners.Count,
            DeviceCards = _cards.Count,
            Certificates = _certificates,
            TrustStatements = _statements,
            EnvelopeSignatures = _envelopeSignatures,
            EpochRecordSignatures = _epochSignatures,
            AttachmentCiphertexts = _attachments,
            EnvelopesBeside = _envelopesBeside,
            SealDigest = _sealDigest,
            Size = reader.Position,
        };

        public async Task<BundleFailure?> ExecuteAsync(CancellationToken cancellationToken)
        {
            switch (await reader.ReadMagicAsync(cancellationToken).ConfigureAwait(false))
            {
                case BundleReadStatus.Truncated:
                    return Fail(BundleFailureReason.Truncated, 0, null, "the file is shorter than the bundle magic");
                case BundleReadStatus.Ok:
                    break;
                default:
                    return Fail(BundleFailureReason.Malformed, 0, null, "not a SecureDialogue bundle (wrong magic)");
            }

            var failure = await ReadHeaderAsync(cancellationToken).ConfigureAwait(false)
                ?? await ReadCardsAsync(cancellationToken).ConfigureAwait(false)
                ?? await ReadCertificatesAsync(cancellationToken).ConfigureAwait(false)
                ?? await ReadCheckpointsAsync(cancellationToken).ConfigureAwait(false);
            if (failure is not null)
            {
                return failure;
            }

            failure = MatchCheckpoints(null);
            for (long index = 0; failure is null && index < Header!.TreeSize; index++)
            {
                failure = await ReadEntryAsync(index, cancellationToken).ConfigureAwait(false);
            }

            return failure ?? await ReadSealAsync(cancellationToken).ConfigureAwait(false);
        }

        private async Task<BundleFailure?> ReadHeaderAsync(CancellationToken cancellationToken)
        {
            var (failure, body) = await NextAsync(BundleRecordType.Header, "the header", null, cancellationToken).ConfigureAwait(false);
            if (failure is not null)
            {
                return failure;
            }

            var decoded = BundleHeader.Decode(body.Span);
            if (!decoded.TryGetValue(out var header, out var error))
            {
                return error == BundleHeaderError.UnsupportedVersion
                    ? Fail(BundleFailureReason.UnsupportedVersion, reader.RecordOffset, null, "the bundle's format version is not 1")
                    : Fail(BundleFailureReason.Malformed, reader.RecordOffset, null, "the header is malformed");
            }

            Header = header;
            if (options.TrustedLogKeys is { } trusted)
            {
                foreach (var key in header.LogKeys)
                {
                    if (!trusted.Any(t => string.Equals(t.Name, key.Name, StringComparison.Ordinal) && t.PublicKey.SequenceEqual(key.PublicKey)))
                    {
                        return Fail(BundleFailureReason.ForeignLogKey, reader.RecordOffset, null, $"the header names the log key {key.VerifierKey}, which is not trusted");
                    }
                }
            }

            return null;
        }

        private async Task<BundleFailure?> ReadCardsAsync(CancellationToken cancellationToken)
        {
            for (var i = 0; i < Header!.DeviceCardCount; i++)
            {
                var (failure, body) = await NextAsync(BundleRecordType.DeviceCard, $"device card {i}", null, cancellationToken).ConfigureAwait(false);
                if (failure is not null)
                {
                    return failure;
                }

                if (!DevicePublicKeys.Decode(body.Span).TryGetValue(out var card, out var error))
                {
                    return Fail(BundleFailureReason.DeviceCardInvalid, reader.RecordOffset, null, $"device card {i} is invalid ({error})");
                }

                if (!_cards.TryAdd(card.Id, card))
                {
                    return Fail(BundleFailureReason.DeviceCardInvalid, reader.RecordOffset, null, $"device card {i} ({card.Id}) is listed twice");
                }
            }

            _keys = new ArchiveKeyRing(Header.LogKeys, _cards.Values.Select(CosignerKey.ForDevice));
            return null;
        }

        private async Task<BundleFailure?> ReadCertificatesAsync(CancellationToken cancellationToken)
        {
            for (var i = 0; i < Header!.CertificateCount; i++)
            {
                var (failure, _) = await NextAsync(BundleRecordType.Certificate, $"certificate {i}", null, cancellationToken).ConfigureAwait(false);
                if (failure is not null)
                {
                    return failure;
                }

                _certificates++;
            }

            return null;
        }

        private async Task<BundleFailure?> ReadCheckpointsAsync(CancellationToken cancellationToken)
        {
            var origin = Header!.Origin;
            for (var i = 0; i < Header.CheckpointCount; i++)
            {
                var (failure, body) = await NextAsync(BundleRecordType.Checkpoint, $"checkpoint {i}", null, cancellationToken).ConfigureAwait(false);
                if (failure is not null)
                {
                    return failure;
                }

                if (!SignedCheckpoint.Parse(body.Span).TryGetValue(out var note, out var parseError))
                {
                    return Fail(BundleFailureReason.CheckpointInvalid, reader.RecordOffset, null, $"checkpoint {i} does not parse ({parseError})");
                }

                if (!note.Verify(_keys, origin).TryGetValue(out var verified, out var error))
                {
                    return Fail(BundleFailureReason.CheckpointInvalid, reader.RecordOffset, null, $"checkpoint {i} (size {note.TreeSize}) does not verify ({error})");
                }

                if (note.TreeSize > Header.TreeSize || (_checkpoints.Count > 0 && note.TreeSize < _checkpoints[^1].Size))
                {
                    return Fail(BundleFailureReason.CheckpointOrder, reader.RecordOffset, null,
                        $"checkpoint {i} (size {note.TreeSize}) is out of order or beyond the bundle's {Header.TreeSize} entries");
                }

                CountCosignatures(verified);
                var root = note.RootHash.ToArray();
                _checkpoints.Add((note.TreeSize, root));
                _rootsBySize.TryAdd(note.TreeSize, root);
            }

            if (_checkpoints[^1].Size != Header.TreeSize)
            {
                return Fail(BundleFailureReason.CheckpointOrder, reader.RecordOffset, null,
                    $"no checkpoint signs the bundle's tree size {Header.TreeSize} (the largest is {_checkpoints[^1].Size})");
            }

            return null;
        }

        private async Task<BundleFailure?> ReadEntryAsync(long index, CancellationToken cancellationToken)
        {
            var (failure, body) = await NextAsync(BundleRecordType.Entry, $"entry {index}", index, cancellationToken).ConfigureAwait(false);
            if (failure is not null)
            {
                return failure;
            }

            var offset = reader.RecordOffset;
            var decoded = ArchiveEntry.Decode(body.Span);
            if (!decoded.TryGetValue(out var entry, out var error))
            {
                return Fail(BundleFailureReason.EntryMalformed, offset, index, $"the entry does not decode ({error})");
            }

            if (entry.Review != Header!.Review || entry.Index != index)
            {
                return Fail(BundleFailureReason.EntryMalformed, offset, index, $"the entry is not leaf {index} of this review's log");
            }

            var leaf = MerkleHash.Leaf(body.Span);
            _kinds[entry.Kind] = _kinds.GetValueOrDefault(entry.Kind) + 1;
            failure = entry.Kind switch
            {
                ArchiveEntryKind.Envelope => CheckEnvelope(entry, await EnvelopeBesideAsync(entry, cancellationToken).ConfigureAwait(false), offset),
                ArchiveEntryKind.EpochRecord => CheckEpochRecord(entry, offset),
                ArchiveEntryKind.MembershipChange => CheckTrustStatement(entry, offset),
                ArchiveEntryKind.Cosignature => CheckCosignature(entry, offset),
                ArchiveEntryKind.LogKeyChange => CheckLogKeyChange(entry, offset),
                ArchiveEntryKind.Correction or ArchiveEntryKind.Retraction => CheckAmendment(entry, offset),
                ArchiveEntryKind.AttachmentCiphertext when entry.Form == ArchivePayloadForm.Digest && Header.AttachmentMode == BundleAttachmentMode.Ciphertexts =>
                    await CheckAttachmentAsync(entry, cancellationToken).ConfigureAwait(false),
                _ => null,
            };
            if (failure is not null)
            {
                return failure;
            }

            if (entry.Kind == ArchiveEntryKind.Envelope)
            {
                RememberEnvelope(entry);
            }

            _frontier.Append(leaf);
            return MatchCheckpoints(offset);
        }

        // Compares the recomputed root with every checkpoint of the frontier's size.
        private BundleFailure? MatchCheckpoints(long? offset)
        {
            var size = _frontier.Size;
            while (_nextCheckpoint < _checkpoints.Count && _checkpoints[_nextCheckpoint].Size == size)
            {
                if (!CryptographicOperations.FixedTimeEquals(_frontier.Root(), _checkpoints[_nextCheckpoint].Root))
                {
                    var first = _lastMatchedSize;
                    var detail = first == size - 1
                        ? $"the entry changes the tree: the root of size {size} is not checkpoint {_nextCheckpoint}'s signed root"
                        : $"entries {first} to {size - 1} do not recompute to checkpoint {_nextCheckpoint}'s signed root of size {size} (one of them was changed)";
                    return new BundleFailure(BundleFailureReason.RootMismatch, offset ?? reader.RecordOffset, size == 0 ? null : first, detail)
                    {
                        LastEntryIndex = size == 0 ? null : size - 1,
                    };
                }

                _lastMatchedSize = size;
                _nextCheckpoint++;
            }

            return null;
        }

        // A summary-form envelope entry is followed by the envelope it describes (section 17.5): read it here. The failure
        // (a missing, undecodable or different envelope) names the entry; null for a whole-envelope entry.
        private async Task<(BundleFailure? Failure, Envelope? Envelope)?> EnvelopeBesideAsync(ArchiveEntry entry, CancellationToken cancellationToken)
        {
            if (!BundleFormat.IsSummaryEnvelopeEntry(entry))
            {
                return null;
            }

            var (failure, body) = await NextAsync(BundleRecordType.Envelope, $"the envelope of entry {entry.Index}", entry.Index, cancellationToken).ConfigureAwait(false);
            if (failure is not null)
            {
                return (failure with { Reason = failure.Reason == BundleFailureReason.Malformed ? BundleFailureReason.EnvelopeMismatch : failure.Reason }, null);
            }

            if (!Envelope.Decode(body.ToArray()).TryGetValue(out var envelope, out _) ||
                !EnvelopeSummary.Decode(entry.Payload.Span).Value!.Describes(envelope))
            {
                return (Fail(BundleFailureReason.EnvelopeMismatch, reader.RecordOffset, entry.Index,
                    "the envelope beside the entry does not decode, or is not the one the entry's summary describes (a byte was changed)"), null);
            }

            _envelopesBeside++;
            return (null, envelope);
        }

        private BundleFailure? CheckEnvelope(ArchiveEntry entry, (BundleFailure? Failure, Envelope? Envelope)? beside, long offset)
        {
            if (beside is { Failure: { } failure })
            {
                return failure;
            }

            Envelope? envelope = beside?.Envelope;
            if ((envelope is null && (entry.Form != ArchivePayloadForm.Inline || !Envelope.Decode(entry.Payload).TryGetValue(out envelope, out _))) ||
                envelope!.Header.Review != Header!.Review)
            {
                return Fail(BundleFailureReason.EnvelopeMalformed, offset, entry.Index, "the envelope does not decode, is not inline, or is for another review");
            }

            var header = envelope.Header;
            if (!_channels.TryGetValue(header.Channel.Value, out var channel) || header.Epoch >= channel.Next ||
                !channel.Members[(int)header.Epoch].Contains(header.Sender))
            {
                return Fail(BundleFailureReason.EnvelopeSenderNotMember, offset, entry.Index,
                    $"the sender {header.Sender} is not a member of epoch {header.Epoch} of channel '{header.Channel}' in the log before this entry");
            }

            if (!EnvelopeVerifier.VerifySignature(envelope, _cards[header.Sender]))
            {
                return Fail(BundleFailureReason.EnvelopeSignature, offset, entry.Index, $"the envelope's signature does not verify with device {header.Sender}'s card");
            }

            _envelopeSignatures++;
            return null;
        }

        private BundleFailure? CheckEpochRecord(ArchiveEntry entry, long offset)
        {
            if (entry.Form != ArchivePayloadForm.Inline || !EpochRecord.Decode(entry.Payload.Span).TryGetValue(out var record, out _) ||
                record.Review != Header!.Review)
            {
                return Fail(BundleFailureReason.EpochRecordMalformed, offset, entry.Index, "the epoch record does not decode, is not inline, or is for another review");
            }

            var members = new HashSet<DeviceId>();
            foreach (var member in record.Members)
            {
                if (!_cards.ContainsKey(member.Device.Id) || !members.Add(member.Device.Id))
                {
                    return Fail(BundleFailureReason.EpochRecordMalformed, offset, entry.Index,
                        $"the epoch record lists device {member.Device.Id} twice or without its card in the bundle");
                }
            }

            if (record.HistoryGrants.Any(g => !members.Contains(g.Recipient)) || record.HistoryGrants.Select(g => g.Recipient).Distinct().Count() != record.HistoryGrants.Length)
            {
                return Fail(BundleFailureReason.EpochRecordMalformed, offset, entry.Index, "the epoch record grants history to a device that is not one of its members");
            }

            var channel = _channels.GetValueOrDefault(record.Channel.Value) ?? new ChannelState();
            var authorized = record.Epoch == 0 ? members.Contains(record.Author) : channel.Managers.Contains(record.Author);
            if (record.Epoch != channel.Next || !CryptographicOperations.FixedTimeEquals(channel.LastHash, record.PreviousRecordHash.Span) || !authorized)
            {
                return Fail(BundleFailureReason.EpochChainBroken, offset, entry.Index,
                    $"epoch record {record.Epoch} of channel '{record.Channel}' does not extend the chain (expected epoch {channel.Next}, the previous record's hash, and an author who may manage)");
            }

            if (!record.HasValidAuthorSignature())
            {
                return Fail(BundleFailureReason.EpochRecordSignature, offset, entry.Index, $"the epoch record's signature does not verify with its author {record.Author}'s card");
            }

            _trackedMembers += members.Count;
            if (_trackedMembers > BundleFormat.MaxTrackedMembers)
            {
                return Fail(BundleFailureReason.LimitExceeded, offset, entry.Index, $"more than {BundleFormat.MaxTrackedMembers} member ids over all epochs");
            }

            channel.Next = record.Epoch + 1;
            channel.LastHash = record.Hash;
            channel.Managers = [.. record.Members.Where(m => m.MayManage).Select(m => m.Device.Id)];
            channel.Members.Add(members);
            _channels[record.Channel.Value] = channel;
            _epochSignatures++;
            return null;
        }

        // A MembershipChange entry is a trust statement when its inline payload starts with the statement's version byte
        // (server-written JSON starts with '{'): section 17.5. Its certifier's card and signature, its subject's card,
        // the certifier's numbering and the certifier's own root statement are checked; the rest stays opaque.
        private BundleFailure? CheckTrustStatement(ArchiveEntry entry, long offset)
        {
            if (entry.Form != ArchivePayloadForm.Inline || entry.Payload.IsEmpty || entry.Payload.Span[0] != ProtocolConstants.Version)
            {
                return null;
            }

            if (!TrustStatement.Decode(entry.Payload.Span).TryGetValue(out var statement, out var error) || statement.Review != Header!.Review)
            {
                return Fail(BundleFailureReason.TrustStatementInvalid, offset, entry.Index,
                    $"the trust statement does not decode ({error}) or is for another review");
            }

            if (!_cards.TryGetValue(statement.Certifier, out var certifier) || !statement.VerifySignature(certifier))
            {
                return Fail(BundleFailureReason.TrustStatementSignature, offset, entry.Index,
                    $"the trust statement's signature does not verify with its certifier {statement.Certifier}'s card, or that card is not in the bundle");
            }

            if (statement.Kind == TrustStatementKind.Certificate && (!_cards.TryGetValue(statement.Subject, out var subject) || !statement.Binds(subject)))
            {
                return Fail(BundleFailureReason.TrustStatementInvalid, offset, entry.Index,
                    $"the certificate names device {statement.Subject} by a card that is not in the bundle");
            }

            var expected = _sequences.GetValueOrDefault(statement.Certifier) + 1;
            if (statement.Sequence != expected)
            {
                return Fail(BundleFailureReason.TrustStatementInvalid, offset, entry.Index,
                    $"statement number {statement.Sequence} of certifier {statement.Certifier} where {expected} is due (a statement withheld or repeated)");
            }

            if (statement.IsRoot)
            {
                _roots[statement.Certifier] = statement.StateCode;
            }
            else if (!_roots.TryGetValue(statement.Certifier, out var state) || !string.Equals(state, statement.StateCode, StringComparison.Ordinal))
            {
                return Fail(BundleFailureReason.TrustStatementInvalid, offset, entry.Index,
                    $"the certifier {statement.Certifier} has no root statement for {statement.StateCode} earlier in the log");
            }

            if (_statements.Count >= BundleFormat.MaxTrustStatements)
            {
                return Fail(BundleFailureReason.LimitExceeded, offset, entry.Index, $"more than {BundleFormat.MaxTrustStatements} trust statements");
            }

            _sequences[statement.Certifier] = statement.Sequence;
            _statements.Add(new BundleTrustStatement(entry.Index, statement));
            return null;
        }

        private BundleFailure? CheckCosignature(ArchiveEntry entry, long offset)
        {
            if (entry.Form != ArchivePayloadForm.Inline || !SignedCheckpoint.Parse(entry.Payload.Span).TryGetValue(out var note, out _) ||
                !note.Verify(_keys, Header!.Origin).TryGetValue(out var verified, out _) || verified.Cosignatures.Count == 0)
            {
                return Fail(BundleFailureReason.CosignatureInvalid, offset, entry.Index, "the cosigned checkpoint does not verify, or carries no cosignature of a member device");
            }

            // Two checkpoints of one size with different roots cannot both recompute: one fails at RootMismatch.
            if (note.TreeSize > entry.Index || !_rootsBySize.TryGetValue(note.TreeSize, out var root) || !CryptographicOperations.FixedTimeEquals(root, note.RootHash))
            {
                return Fail(BundleFailureReason.CosignatureInvalid, offset, entry.Index,
                    $"the cosigned tree head of size {note.TreeSize} is not one of the bundle's checkpoints before this entry");
            }

            CountCosignatures(verified);
            return null;
        }

        private BundleFailure? CheckLogKeyChange(ArchiveEntry entry, long offset)
        {
            string? text = null;
            try
            {
                text = entry.Form == ArchivePayloadForm.Inline ? SignedNote.StrictUtf8.GetString(entry.Payload.Span) : null;
            }
            catch (DecoderFallbackException)
            {
            }

            var announced = text is not null && ArchiveLogKey.FromVerifierKey(text).TryGetValue(out var key, out _) ? key : null;
            if (announced is null || !Header!.LogKeys.Any(k => string.Equals(k.Name, announced.Name, StringComparison.Ordinal) &&
                                                             k.PublicKey.SequenceEqual(announced.PublicKey) && k.FirstTreeSize == entry.Index + 1))
            {
                return Fail(BundleFailureReason.LogKeyChangeInvalid, offset, entry.Index,
                    "the log key change does not announce a key of the header valid from the next tree size");
            }

            return null;
        }

        private async Task<BundleFailure?> CheckAttachmentAsync(ArchiveEntry entry, CancellationToken cancellationToken)
        {
            var status = await reader.ReadFrameAsync(cancellationToken).ConfigureAwait(false);
            var offset = reader.RecordOffset;
            if (status != BundleReadStatus.Ok || reader.Type != BundleRecordType.Attachment)
            {
                return status == BundleReadStatus.End || status == BundleReadStatus.Truncated
                    ? Fail(BundleFailureReason.Truncated, offset, entry.Index, "the bundle ends before the entry's attachment ciphertext")
                    : Fail(BundleFailureReason.AttachmentMismatch, offset, entry.Index, "the entry's attachment ciphertext record is missing");
            }

            if (reader.Length - 32 != entry.PayloadLength)
            {
                return Fail(BundleFailureReason.AttachmentMismatch, offset, entry.Index, "the attachment ciphertext's length is not the entry's");
            }

            using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            using var blake = new AttachmentCiphertextHash();
            var blobId = new byte[32];
            var prefix = 0;
            while (true)
            {
                var chunk = await reader.ReadChunkAsync(cancellationToken).ConfigureAwait(false);
                if (chunk is not { } piece)
                {
                    return Fail(BundleFailureReason.Truncated, offset, entry.Index, "the bundle ends inside the entry's attachment ciphertext");
                }

                if (piece.IsEmpty)
                {
                    break;
                }

                var span = piece.Span;
                if (prefix < 32)
                {
                    var take = Math.Min(32 - prefix, span.Length);
                    span[..take].CopyTo(blobId.AsSpan(prefix));
                    prefix += take;
                    span = span[take..];
                }

                sha.AppendData(span);
                blake.Append(span);
            }

            if (!CryptographicOperations.FixedTimeEquals(sha.GetHashAndReset(), entry.PayloadDigest) || !AttachmentCiphertextHash.Matches(blobId, blake.Finish()))
            {
                return Fail(BundleFailureReason.AttachmentMismatch, offset, entry.Index, "the attachment ciphertext does not match the entry's SHA-256 or its blob id");
            }

            _attachments++;
            return null;
        }

        private async Task<BundleFailure?> ReadSealAsync(CancellationToken cancellationToken)
        {
            var status = await reader.ReadFrameAsync(cancellationToken).ConfigureAwait(false);
            var offset = reader.RecordOffset;
            if (status is BundleReadStatus.End or BundleReadStatus.Truncated)
            {
                return Fail(BundleFailureReason.Truncated, offset, null, "the bundle ends before its seal");
            }

            if (status != BundleReadStatus.Ok || reader.Type != BundleRecordType.Seal)
            {
                return Fail(BundleFailureReason.Malformed, offset, null,
                    $"a record follows the last of the header's {Header!.TreeSize} entries where the seal should be");
            }

            var digest = reader.Digest();
            if (await reader.ReadBodyAsync(cancellationToken).ConfigureAwait(false) is not { } seal || seal.Length != BundleFormat.SealSize)
            {
                return Fail(BundleFailureReason.Truncated, offset, null, "the bundle ends inside its seal");
            }

            var key = Header!.CurrentKey;
            var body = SignedNote.StrictUtf8.GetBytes(BundleFormat.SealBody(Header.Origin, Header.TreeSize, digest));
            if (!CryptographicOperations.FixedTimeEquals(seal.Span[..32], digest))
            {
                return Fail(BundleFailureReason.SealInvalid, offset, null, "the bundle's digest is not the one sealed: a byte before the seal was changed");
            }

            if (System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(seal.Span[32..]) != key.NoteKeyId ||
                !Ed25519.Verify(key.PublicKey, body, seal.Span[36..]))
            {
                return Fail(BundleFailureReason.SealInvalid, offset, null, $"the seal is not signed by the current log key {key.VerifierKey}");
            }

            _sealDigest = digest;
            var end = reader.Position;
            var after = await reader.ReadFrameAsync(cancellationToken).ConfigureAwait(false);
            return after == BundleReadStatus.End
                ? null
                : Fail(BundleFailureReason.TrailingData, end, null, "bytes follow the seal");
        }

        // Reads the next record, which must be of the expected type, and its body.
        private async Task<(BundleFailure? Failure, ReadOnlyMemory<byte> Body)> NextAsync(
            BundleRecordType expected, string what, long? entry, CancellationToken cancellationToken)
        {
            var status = await reader.ReadFrameAsync(cancellationToken).ConfigureAwait(false);
            var offset = reader.RecordOffset;
            switch (status)
            {
                case BundleReadStatus.End or BundleReadStatus.Truncated:
                    return (Fail(BundleFailureReason.Truncated, offset, entry, $"the bundle ends before {what}"), default);
                case BundleReadStatus.Malformed:
                    return (Fail(BundleFailureReason.Malformed, offset, entry, $"{what}: undefined record type or a length above its limit"), default);
            }

            if (reader.Type != expected)
            {
                return (Fail(BundleFailureReason.Malformed, offset, entry, $"{what} is expected here, not a {reader.Type} record"), default);
            }

            var body = await reader.ReadBodyAsync(cancellationToken).ConfigureAwait(false);
            return body is { } bytes
                ? (null, bytes)
                : (Fail(BundleFailureReason.Truncated, offset, entry, $"the bundle ends inside {what}"), default);
        }

        private void CountCosignatures(VerifiedCheckpoint verified)
        {
            _cosignatures += verified.Cosignatures.Count;
            foreach (var cosignature in verified.Cosignatures)
            {
                _cosigners.Add(cosignature.Cosigner.Name);
            }
        }

        private static BundleFailure Fail(BundleFailureReason reason, long offset, long? entry, string detail) =>
            new(reason, offset, entry, detail.ToString(CultureInfo.InvariantCulture));
    }
}
