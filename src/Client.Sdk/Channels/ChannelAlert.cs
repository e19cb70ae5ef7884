using SecureDialogue.Vault.Channels;

namespace SecureDialogue.Client.Channels;

/// <summary>Something about a channel the user must be told, not tied to one item.</summary>
public enum ChannelAlertKind
{
    /// <summary>The server offered an epoch record that failed verification; it was refused (<see cref="ChannelAlert.EpochError"/>).</summary>
    EpochRecordRefused = 1,

    /// <summary>The server showed two different, validly signed records for one epoch: a split view. The record is kept as evidence.</summary>
    Fork = 2,

    /// <summary>A member's device is not certified by its State's focal point (or was revoked): it is excluded from new epochs (<see cref="ChannelAlert.Device"/>).</summary>
    UnverifiedDevice = 3,

    /// <summary>A pinned device is no longer listed by the server (removed, or substituted).</summary>
    PinnedDeviceMissing = 4,

    /// <summary>This device is not a member of the channel's current epoch: it cannot read new items until a manager adds it.</summary>
    NotAMember = 5,

    /// <summary>The channel has no epoch yet, and this member is not one who may open it.</summary>
    NoEpoch = 6,

    /// <summary>Saved channel state could not be read or re-verified; it was rebuilt from the server.</summary>
    StateRebuilt = 7,

    /// <summary>The server returned a sequence already processed, or out of order.</summary>
    SequenceOutOfOrder = 8,

    /// <summary>A directory entry's card was invalid or did not match its device id; it was ignored.</summary>
    DirectoryEntryRefused = 9,

    /// <summary>Publishing a new epoch failed (<see cref="ChannelAlert.Api"/>).</summary>
    RotationFailed = 10,

    /// <summary>The server lists fewer epochs than this client already accepted: a rollback or a withheld record.</summary>
    EpochsWithheld = 11,

    /// <summary>
    /// The review's archive log contradicted itself (a fork or split view, an inconsistent or rolled-back checkpoint, an
    /// item that does not verify by inclusion): reading stopped; both signed checkpoints are kept as evidence in the
    /// profile (<see cref="ChannelAlert.Archive"/>, <see cref="Archive.ReviewArchive.GetState"/>).
    /// </summary>
    ArchiveMismatch = 12,

    /// <summary>Items could not be verified against the archive log now (no answer, a checkpoint not signed by the pinned key, a smaller checkpoint refused).</summary>
    ArchiveUnverified = 13,

    /// <summary>The last verified checkpoint's signed time is older than the freshness limit: the log may be frozen for this client.</summary>
    ArchiveStale = 14,

    /// <summary>A State's focal point device was pinned as its trust root on first use: compare its fingerprint with the nomination.</summary>
    FocalPointPinned = 15,

    /// <summary>The server shows another focal point device for a State whose root is pinned: not trusted until accepted (<see cref="ChannelAlert.Device"/>).</summary>
    NewFocalPoint = 16,

    /// <summary>A trust statement was refused, withheld (a gap in a certifier's numbers) or contradicted (equivocation).</summary>
    CertificationProblem = 17,

    /// <summary>This device is not certified by its State's focal point: other members give it no key.</summary>
    OwnDeviceUncertified = 18,

    /// <summary>
    /// The review's latest disclosure policy statement does not verify (not signed by a device the State under review's
    /// pinned focal point vouches for, another review, or a version out of sequence): no secretariat device gets content keys.
    /// </summary>
    PolicyUnverified = 19,

    /// <summary>
    /// A correction or retraction the server serves does not verify (signature, author rule, or the envelopes it names):
    /// it is ignored and the items keep their text (docs/protocol.md 21.5). The server checks the same rules before
    /// storing, so this is evidence of a misbehaving server.
    /// </summary>
    AmendmentRejected = 20,
}

/// <summary>An alert about a channel.</summary>
/// <param name="Kind">What happened.</param>
/// <param name="Message">A one-line description for the user (no content, no keys).</param>
public sealed record ChannelAlert(ChannelAlertKind Kind, string Message)
{
    /// <summary>The epoch concerned, if any.</summary>
    public uint? Epoch { get; init; }

    /// <summary>Why a record was refused.</summary>
    public EpochError? EpochError { get; init; }

    /// <summary>The device concerned, for device alerts.</summary>
    public UnverifiedDevice? Device { get; init; }

    /// <summary>The server's error, for <see cref="ChannelAlertKind.RotationFailed"/>.</summary>
    public Api.ApiError? Api { get; init; }

    /// <summary>Why the archive check failed, for the archive alerts.</summary>
    public Archive.ArchiveCheckError? Archive { get; init; }
}

/// <summary>A device this client does not trust yet, with what the user compares before trusting it.</summary>
/// <param name="AccountId">The account the server lists it under.</param>
/// <param name="DisplayName">The account's display name.</param>
/// <param name="StateCode">The account's State.</param>
/// <param name="DeviceId">The device id.</param>
/// <param name="Fingerprint">The device's 30-digit fingerprint.</param>
/// <param name="SafetyNumber">The safety number of this device and the client's own device.</param>
/// <param name="Card">The device's encoded card (130 bytes), to pass to <see cref="DialogueClient.TrustDevice"/>.</param>
public sealed record UnverifiedDevice(Guid AccountId, string DisplayName, string? StateCode, string DeviceId, string Fingerprint, string SafetyNumber, byte[] Card);
