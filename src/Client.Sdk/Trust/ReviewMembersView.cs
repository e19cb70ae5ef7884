using SecureDialogue.Client.Channels;
using SecureDialogue.Contracts;
using SecureDialogue.Vault.Certification;

namespace SecureDialogue.Client.Trust;

/// <summary>A review's members and devices as this client verified them: who certified whom, what is revoked, the pinned roots.</summary>
/// <param name="ReviewId">The review.</param>
/// <param name="Members">Members with their devices.</param>
/// <param name="FocalPoints">Every valid root statement (focal point device) and whether this client trusts it.</param>
/// <param name="Nominations">Focal point nominations as the secretariat recorded them (server's word).</param>
/// <param name="Alerts">What the user must be told (new roots, uncertified devices, withheld or conflicting statements).</param>
public sealed record ReviewMembersView(
    Guid ReviewId, IReadOnlyList<MemberView> Members, IReadOnlyList<FocalPointRootView> FocalPoints, IReadOnlyList<FocalPointEntry> Nominations,
    IReadOnlyList<ChannelAlert> Alerts);

/// <summary>A member and its devices.</summary>
public sealed record MemberView(Guid AccountId, string DisplayName, string? StateCode, MemberRole Role, IReadOnlyList<DeviceView> Devices);

/// <summary>A device of a member as this client regards it.</summary>
/// <param name="DeviceId">The device id.</param>
/// <param name="Fingerprint">Its 30-digit fingerprint.</param>
/// <param name="Trust">Own, focal point (root), certified, revoked or unverified.</param>
/// <param name="Role">The certified role, if certified.</param>
/// <param name="History">Whether the certificate lets it receive earlier epochs' keys.</param>
/// <param name="CertifiedBy">Display name of the focal point whose device certified it.</param>
/// <param name="CertifierDevice">The certifying device.</param>
/// <param name="Sequence">The certificate's sequence number.</param>
/// <param name="Reference">The certificate's reference (nomination), if any.</param>
/// <param name="RevokedFor">The revocation reason, if revoked.</param>
public sealed record DeviceView(
    string DeviceId, string Fingerprint, DeviceTrust Trust, CertifiedRole? Role, bool History, string? CertifiedBy, string? CertifierDevice, ulong? Sequence,
    string? Reference, RevocationReason? RevokedFor);

/// <summary>A focal point device that published a valid root statement for its State.</summary>
/// <param name="StateCode">The State.</param>
/// <param name="AccountId">The focal point's account.</param>
/// <param name="DisplayName">Its display name.</param>
/// <param name="DeviceId">The root device.</param>
/// <param name="Fingerprint">Its fingerprint, to compare with the one the nomination note verbale carries.</param>
/// <param name="Nomination">The nomination reference the root statement carries.</param>
/// <param name="Pinned">How this client pinned it; null when it is not trusted (a new focal point to accept).</param>
public sealed record FocalPointRootView(string StateCode, Guid AccountId, string DisplayName, string DeviceId, string Fingerprint, string Nomination, RootPin? Pinned);
