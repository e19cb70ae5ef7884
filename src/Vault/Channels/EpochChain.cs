using System.Collections.Immutable;
using System.Security.Cryptography;
using SecureDialogue.Vault.Keys;
using SecureDialogue.Vault.Primitives;

namespace SecureDialogue.Vault.Channels;

/// <summary>
/// A client's verified view of a channel's epochs. Epoch 0 must be signed by a trust anchor (a device the
/// State certified); every later record by a managing member of the epoch before it, linked by hash. Who
/// may read is decided here, from signatures, never by the server. Not thread-safe: one per channel view.
/// </summary>
public sealed class EpochChain
{
    /// <summary>Most fork evidence kept per chain; one conflicting record already proves the split.</summary>
    public const int MaxConflictingRecords = 16;

    private readonly ImmutableHashSet<DeviceId> _anchors;
    private readonly List<EpochRecord> _records = [];
    private readonly List<EpochRecord> _conflicts = [];

    /// <summary>Starts an empty chain for a channel.</summary>
    /// <param name="review">The review.</param>
    /// <param name="channel">The channel.</param>
    /// <param name="trustAnchors">Devices allowed to open epoch 0.</param>
    public EpochChain(Guid review, ChannelId channel, IEnumerable<DeviceId> trustAnchors)
    {
        Review = review;
        Channel = channel;
        _anchors = [.. trustAnchors];
    }

    /// <summary>The review.</summary>
    public Guid Review { get; }

    /// <summary>The channel.</summary>
    public ChannelId Channel { get; }

    /// <summary>Accepted records, by epoch.</summary>
    public IReadOnlyList<EpochRecord> Records => _records;

    /// <summary>
    /// Correctly signed records that contradict an accepted one for the same epoch: evidence that the server
    /// showed different histories. Kept so the user can report it.
    /// </summary>
    public IReadOnlyList<EpochRecord> ConflictingRecords => _conflicts;

    /// <summary>The latest accepted record.</summary>
    public EpochRecord? Current => _records.Count == 0 ? null : _records[^1];

    /// <summary>Verifies an encoded record and appends it as the next epoch.</summary>
    public Result<EpochRecord, EpochError> Accept(ReadOnlySpan<byte> encoded)
    {
        var decoded = EpochRecordCodec.Decode(encoded);
        return decoded.IsSuccess ? Accept(decoded.Value) : decoded.Error;
    }

    /// <summary>Verifies a record and appends it as the next epoch.</summary>
    public Result<EpochRecord, EpochError> Accept(EpochRecord record)
    {
        if (record.Review != Review || record.Channel != Channel)
        {
            return EpochError.WrongContext;
        }

        if (record.Epoch < _records.Count)
        {
            var known = _records[(int)record.Epoch];
            if (CryptographicOperations.FixedTimeEquals(known.Hash, record.Hash))
            {
                return EpochError.Replayed;
            }

            // Only a record the same signer could have made here is evidence of a fork; anything else is a
            // forgery the server could mint at will, and must not raise a fork alarm or be kept as evidence.
            var previous = record.Epoch == 0 ? null : _records[(int)record.Epoch - 1];
            if (!CryptographicOperations.FixedTimeEquals(previous?.Hash ?? new byte[32], record.PreviousRecordHash.Span))
            {
                return EpochError.OutOfOrder;
            }

            var verdict = Verify(record, previous);
            if (verdict != EpochError.None)
            {
                return verdict;
            }

            if (_conflicts.Count < MaxConflictingRecords && !_conflicts.Any(c => CryptographicOperations.FixedTimeEquals(c.Hash, record.Hash)))
            {
                _conflicts.Add(record);
            }

            return EpochError.Fork;
        }

        if (record.Epoch != _records.Count)
        {
            return EpochError.OutOfOrder;
        }

        var expectedPrevious = Current?.Hash ?? new byte[32];
        if (!CryptographicOperations.FixedTimeEquals(expectedPrevious, record.PreviousRecordHash.Span))
        {
            return EpochError.OutOfOrder;
        }

        var error = Verify(record, Current);
        if (error != EpochError.None)
        {
            return error;
        }

        _records.Add(record);
        return record;
    }

    // Authorisation by the epoch before (or a trust anchor for epoch 0), signature and structure.
    private EpochError Verify(EpochRecord record, EpochRecord? previous)
    {
        var authorized = previous is null
            ? _anchors.Contains(record.Author)
            : previous.FindMember(record.Author) is { MayManage: true };
        if (!authorized)
        {
            return EpochError.NotAuthorized;
        }

        // The author's keys come from its own entry; its id is a hash of those keys, so they cannot be swapped.
        var author = record.FindMember(record.Author);
        if (author is null)
        {
            return EpochError.NotAuthorized;
        }

        if (!VerifySignature(record, author.Device) || !HasDistinctMembers(record) || !HistoryGoesToMembers(record))
        {
            return EpochError.Invalid;
        }

        return EpochError.None;
    }

    internal static bool VerifySignature(EpochRecord record, DevicePublicKeys author)
    {
        byte[] signed = [.. ProtocolConstants.EpochRecordContext, .. record.SignedPart.Span];
        return Ed25519.Verify(author.SigningKey, signed, record.Signature.Span);
    }

    private static bool HasDistinctMembers(EpochRecord record) =>
        record.Members.Select(m => m.Device.Id).Distinct().Count() == record.Members.Length;

    private static bool HistoryGoesToMembers(EpochRecord record) =>
        record.HistoryGrants.All(g => record.FindMember(g.Recipient) is not null) &&
        record.HistoryGrants.Select(g => g.Recipient).Distinct().Count() == record.HistoryGrants.Length;
}
