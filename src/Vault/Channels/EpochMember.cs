using SecureDialogue.Vault.Keys;

namespace SecureDialogue.Vault.Channels;

/// <summary>One member device of an epoch, as listed in the signed epoch record.</summary>
/// <param name="Device">The device's verified public card.</param>
/// <param name="MayManage">Whether the device may sign the next epoch record (add, remove, rotate).</param>
/// <param name="MemberKeyWrappedEpochKey">
/// The epoch key sealed (<c>crypto_box_seal</c>) to <see cref="DevicePublicKeys.AgreementKey"/> of
/// <paramref name="Device"/>, with its context (docs/protocol.md, "Wrapped epoch key").
/// </param>
public sealed record EpochMember(DevicePublicKeys Device, bool MayManage, ReadOnlyMemory<byte> MemberKeyWrappedEpochKey);

/// <summary>
/// Earlier epoch keys given to a device that joined later, an explicit and signed choice of the record's author.
/// </summary>
/// <param name="Recipient">The device the keys are sealed to; it must be a member of this epoch.</param>
/// <param name="FirstEpoch">The first epoch granted; every epoch from there to the previous one is included.</param>
/// <param name="RecipientKeyWrappedHistoryKeys">The earlier epoch keys sealed to the recipient's agreement key.</param>
public sealed record HistoryGrant(DeviceId Recipient, uint FirstEpoch, ReadOnlyMemory<byte> RecipientKeyWrappedHistoryKeys);
