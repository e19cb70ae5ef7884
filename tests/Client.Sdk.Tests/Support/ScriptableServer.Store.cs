using System.Security.Cryptography;
using SecureDialogue.Contracts;
using SecureDialogue.Vault.Channels;
using SecureDialogue.Vault.Envelopes;
using SecureDialogue.Vault.Keys;

namespace SecureDialogue.Client.Tests.Support;

/// <summary>The double's in-memory state and the checks an honest server makes (issue 3, binding design).</summary>
internal sealed partial class ScriptableServer
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Account> _accountsByToken = [];
    private readonly List<DeviceRecord> _devices = [];
    private readonly Dictionary<Guid, ReviewRecord> _reviews = [];
    private readonly Dictionary<(Guid, string), ChannelRecord> _channels = [];

    internal sealed record Account(Guid Id, string Token, string DisplayName, string? StateCode, bool IsSecretariat);

    internal sealed record DeviceRecord(string DeviceId, Guid AccountId, byte[] Card, DateTimeOffset RegisteredAt);

    internal sealed class ReviewRecord
    {
        public required Guid Id { get; init; }

        public required string ReviewedState { get; init; }

        public required List<string> ReviewingStates { get; init; }

        public List<ReviewMember> Members { get; } = [];

        public DateTimeOffset CreatedAt { get; init; }
    }

    internal sealed class ChannelRecord
    {
        public Guid Review { get; init; }

        public List<EpochRecordEntry> Epochs { get; } = [];

        public List<StoredItem> Items { get; } = [];
    }

    /// <summary>A stored envelope; <see cref="Bytes"/> may be changed by tampering hooks.</summary>
    internal sealed class StoredItem
    {
        public required long Sequence { get; init; }

        public required byte[] Bytes { get; set; }

        public required DateTimeOffset StoredAt { get; init; }

        public string? Sender { get; init; }

        public Guid? ClientMessageId { get; init; }

        public ulong Counter { get; init; }

        /// <summary>The item's index in the review's archive log (when <see cref="ServerScript.Archive"/> is on).</summary>
        public long? ArchiveIndex { get; init; }

        /// <summary>The entry's payload form as served: 1 the summary (as logs created now), 0 the whole envelope.</summary>
        public int ArchiveForm { get; init; }
    }

    private ChannelRecord Channel(Guid review, string channel)
    {
        if (!_channels.TryGetValue((review, channel), out var record))
        {
            record = new ChannelRecord { Review = review };
            _channels[(review, channel)] = record;
        }

        return record;
    }

    private static bool IsReader(ReviewRecord review, ReviewMember member, string channel) =>
        member.Role != MemberRole.Secretariat &&
        (channel == "dialogue" || (channel == "reviewers" && member.StateCode is { } s && review.ReviewingStates.Contains(s)));

    private bool MayRead(Account account, ReviewRecord review, string channel) =>
        Script.ServeNonMembers || review.Members.Any(m => m.AccountId == account.Id && IsReader(review, m, channel));

    // The checks of the binding design, in order; returns the problem type or stores and returns the ack.
    private (SendAck? Ack, string? Problem) Store(Account account, Guid reviewId, string channel, byte[] bytes)
    {
        lock (_lock)
        {
            if (!_reviews.TryGetValue(reviewId, out var review) || channel is not ("dialogue" or "reviewers"))
            {
                return (null, ProblemTypes.NotFound);
            }

            var store = Channel(reviewId, channel);
            if (Script.StoreNextWithoutValidation)
            {
                Script.StoreNextWithoutValidation = false;
                return (Append(store, bytes, null, null, 0), null);
            }

            if (Envelope.Decode(bytes) is not { IsSuccess: true } decoded)
            {
                return (null, ProblemTypes.MalformedEnvelope);
            }

            var header = decoded.Value.Header;
            if (header.Review != reviewId || header.Channel.Value != channel)
            {
                return (null, ProblemTypes.WrongContext);
            }

            var member = review.Members.FirstOrDefault(m => m.AccountId == account.Id);
            if (member is null || !IsReader(review, member, channel) || member.Role == MemberRole.Observer)
            {
                return (null, ProblemTypes.Forbidden);
            }

            var sender = header.Sender.ToString();
            var device = _devices.FirstOrDefault(d => d.DeviceId == sender && d.AccountId == account.Id);
            if (device is null)
            {
                return (null, ProblemTypes.Forbidden);
            }

            var current = store.Epochs.Count == 0 ? null : EpochRecord.Decode(store.Epochs[^1].Record).Value;
            if (current is null || header.Epoch != current.Epoch || current.FindMember(header.Sender) is null)
            {
                return (null, ProblemTypes.StaleEpoch);
            }

            if (!EnvelopeVerifier.VerifySignature(decoded.Value, DevicePublicKeys.Decode(device.Card).Value!))
            {
                return (null, ProblemTypes.InvalidSignature);
            }

            var existing = store.Items.FirstOrDefault(i => i.Sender == sender && i.ClientMessageId == header.ClientMessageId);
            if (existing is not null)
            {
                return (new SendAck(existing.Sequence, Duplicate: true), null);
            }

            var last = store.Items.Where(i => i.Sender == sender).Select(i => i.Counter).DefaultIfEmpty(0UL).Max();
            if (header.Counter <= last)
            {
                return (null, ProblemTypes.ReplayedCounter);
            }

            return (Append(store, bytes, sender, header.ClientMessageId, header.Counter), null);
        }
    }

    private SendAck Append(ChannelRecord store, byte[] bytes, string? sender, Guid? messageId, ulong counter)
    {
        var sequence = store.Items.Count == 0 ? 1 : store.Items[^1].Sequence + 1;
        var storedAt = DateTimeOffset.FromUnixTimeMilliseconds(_time.GetUtcNow().ToUnixTimeMilliseconds());
        store.Items.Add(new StoredItem
        {
            Sequence = sequence,
            Bytes = bytes,
            StoredAt = storedAt,
            Sender = sender,
            ClientMessageId = messageId,
            Counter = counter,
            ArchiveIndex = Script.Archive ? ArchiveEnvelope(store, bytes, storedAt) : null,
            ArchiveForm = Script.Archive && !Script.ArchiveWholeEnvelopes ? 1 : 0,
        });
        return new SendAck(sequence, Duplicate: false);
    }

    private string? AddEpoch(Account account, Guid reviewId, string channel, byte[] bytes, bool validate)
    {
        lock (_lock)
        {
            if (!_reviews.TryGetValue(reviewId, out var review))
            {
                return ProblemTypes.NotFound;
            }

            var store = Channel(reviewId, channel);
            if (validate)
            {
                if (EpochRecord.Decode(bytes) is not { IsSuccess: true } decoded)
                {
                    return ProblemTypes.BadRequest;
                }

                var record = decoded.Value;
                if (record.Review != reviewId || record.Channel.Value != channel)
                {
                    return ProblemTypes.WrongContext;
                }

                if (!review.Members.Any(m => m.AccountId == account.Id && IsReader(review, m, channel) && m.Role != MemberRole.Observer) ||
                    !_devices.Any(d => d.DeviceId == record.Author.ToString() && d.AccountId == account.Id))
                {
                    return ProblemTypes.Forbidden;
                }

                var previous = store.Epochs.Count == 0 ? null : EpochRecord.Decode(store.Epochs[^1].Record).Value;
                var linked = record.Epoch == store.Epochs.Count &&
                             CryptographicOperations.FixedTimeEquals(previous?.Hash ?? new byte[32], record.PreviousRecordHash.Span);
                var authorised = previous is null || previous.FindMember(record.Author) is { MayManage: true };
                if (!linked || !authorised || !record.HasValidAuthorSignature())
                {
                    return ProblemTypes.EpochConflict;
                }
            }

            var epoch = (uint)store.Epochs.Count;
            var storedAt = DateTimeOffset.FromUnixTimeMilliseconds(_time.GetUtcNow().ToUnixTimeMilliseconds());
            store.Epochs.Add(new EpochRecordEntry(epoch, bytes, storedAt)
            {
                StoredAfterSequence = store.Items.Count == 0 ? 0 : store.Items[^1].Sequence,
                ArchiveIndex = Script.Archive ? ArchiveEpochRecord(store, bytes, storedAt) : null,
            });
            return null;
        }
    }

    private EnvelopePage Page(Guid reviewId, string channel, long after, int limit)
    {
        lock (_lock)
        {
            var visible = Channel(reviewId, channel).Items
                .Where(i => i.Sequence > after && !Script.HiddenSequences.Contains(i.Sequence))
                .OrderBy(i => i.Sequence).ToList();
            var page = visible.Take(limit).Select(i => new StoredEnvelope(i.Sequence, [.. i.Bytes], i.StoredAt)
            {
                ArchiveIndex = i.ArchiveIndex,
                ArchiveForm = Script.MisstateArchiveForm ? 1 - i.ArchiveForm : i.ArchiveForm,
            }).ToList();
            return new EnvelopePage(page, visible.Count > limit ? page[^1].Sequence : null);
        }
    }

    private List<EpochRecordEntry> Epochs(Account account, Guid reviewId, string channel, uint? after)
    {
        lock (_lock)
        {
            var entries = Script.EpochViews.TryGetValue(account.Id, out var view)
                ? view.Select((r, i) => new EpochRecordEntry((uint)i, r, _time.GetUtcNow())).ToList()
                : [.. Channel(reviewId, channel).Epochs];
            return [.. entries.Where(e => after is null || e.Epoch > after)
                .Select(e => Script.OmitStoredAfterSequence ? e with { StoredAfterSequence = null } : e)
                .Select(e => Script.OmitEpochArchiveIndexes ? e with { ArchiveIndex = null } : e)];
        }
    }
}
