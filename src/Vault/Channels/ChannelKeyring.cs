using System.Security.Cryptography;
using SecureDialogue.Vault.Keys;

namespace SecureDialogue.Vault.Channels;

/// <summary>
/// The epoch keys one device holds for one channel: those wrapped to it in records of its
/// <see cref="EpochChain"/>, and earlier ones granted to it explicitly. Every key is checked against the
/// commitment in its signed record, so a manager cannot give different members different keys.
/// </summary>
public sealed class ChannelKeyring : IDisposable
{
    private readonly DeviceIdentity _me;
    private readonly EpochChain _chain;
    private readonly Dictionary<uint, EpochKey> _keys = [];

    /// <summary>Creates an empty keyring for <paramref name="me"/> over a verified chain.</summary>
    public ChannelKeyring(DeviceIdentity me, EpochChain chain)
    {
        _me = me;
        _chain = chain;
    }

    /// <summary>The chain whose keys this keyring holds.</summary>
    public EpochChain Chain => _chain;

    /// <summary>The key of an epoch, if this device holds it.</summary>
    public EpochKey? Find(uint epoch) => _keys.GetValueOrDefault(epoch);

    /// <summary>The key of the chain's current epoch, if this device holds it.</summary>
    public EpochKey? Current => _chain.Current is { } current ? Find(current.Epoch) : null;

    /// <summary>Adds a key created by this device as author (it already knows it).</summary>
    public void AddAuthored(EpochRecord record, EpochKey key)
    {
        if (!IsAccepted(record) || !CryptographicOperations.FixedTimeEquals(key.Commitment(), record.KeyCommitment.Span))
        {
            throw new ArgumentException("The key does not belong to an accepted record of this chain.", nameof(key));
        }

        Replace(record.Epoch, key);
    }

    /// <summary>
    /// Unwraps this device's key from an accepted record, and any history granted to it there.
    /// </summary>
    public Result<EpochKey, EpochError> Unlock(EpochRecord record)
    {
        if (!IsAccepted(record))
        {
            return EpochError.OutOfOrder;
        }

        var member = record.FindMember(_me.Id);
        if (member is null)
        {
            return EpochError.NotAMember;
        }

        var key = KeyWrap.TryUnwrap(member.MemberKeyWrappedEpochKey.Span, _me, record.Review, record.Channel, record.Epoch);
        if (key is null || !CryptographicOperations.FixedTimeEquals(key.Commitment(), record.KeyCommitment.Span))
        {
            key?.Dispose();
            return EpochError.Invalid;
        }

        var grant = record.HistoryGrants.FirstOrDefault(g => g.Recipient == _me.Id);
        if (grant is not null && !TryAcceptHistory(record, grant))
        {
            key.Dispose();
            return EpochError.Invalid;
        }

        Replace(record.Epoch, key);
        return key;
    }

    // Compared as uint first: a decoded record's epoch may exceed int.MaxValue, and the cast is checked.
    private bool IsAccepted(EpochRecord record) =>
        record.Epoch < (uint)_chain.Records.Count && ReferenceEquals(_chain.Records[(int)record.Epoch], record);

    private bool TryAcceptHistory(EpochRecord record, HistoryGrant grant)
    {
        var keys = HistoryKeys.TryOpen(grant.RecipientKeyWrappedHistoryKeys.Span, _me, record.Review, record.Channel);
        if (keys is null)
        {
            return false;
        }

        // Short-circuit on the count: with more keys than epochs before this record, indexing the chain by a
        // sealed epoch number would run past the accepted records.
        var expected = grant.FirstEpoch;
        var valid = keys.Count == record.Epoch - grant.FirstEpoch;
        foreach (var key in keys)
        {
            // Short-circuit: with a wrong count, a key may name an epoch the chain does not hold yet.
            valid = valid && key.Epoch == expected++ &&
                    CryptographicOperations.FixedTimeEquals(key.Commitment(), _chain.Records[(int)key.Epoch].KeyCommitment.Span);
        }

        if (!valid)
        {
            keys.ForEach(k => k.Dispose());
            return false;
        }

        foreach (var key in keys)
        {
            Replace(key.Epoch, key);
        }

        return true;
    }

    private void Replace(uint epoch, EpochKey key)
    {
        if (_keys.TryGetValue(epoch, out var old) && !ReferenceEquals(old, key))
        {
            old.Dispose();
        }

        _keys[epoch] = key;
    }

    /// <summary>Wipes every key.</summary>
    public void Dispose()
    {
        foreach (var key in _keys.Values)
        {
            key.Dispose();
        }

        _keys.Clear();
    }
}
