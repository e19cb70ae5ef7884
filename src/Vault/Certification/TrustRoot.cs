using SecureDialogue.Vault.Keys;

namespace SecureDialogue.Vault.Certification;

/// <summary>
/// A State's trust root in a review as a client pinned it: the focal point's device card (kept by the client, so
/// the server cannot substitute it) and the focal point's account.
/// </summary>
/// <param name="StateCode">The State.</param>
/// <param name="Card">The root device's card.</param>
/// <param name="Account">The focal point's account, from the root statement.</param>
public sealed record TrustRoot(string StateCode, DevicePublicKeys Card, Guid Account);

/// <summary>A device some trust root vouches for, as <see cref="CertificationView"/> found it.</summary>
/// <param name="Card">The device's card (from the directory, bound by the certificate's card hash).</param>
/// <param name="Account">The account the certificate names.</param>
/// <param name="StateCode">The State.</param>
/// <param name="Role">The certified role.</param>
/// <param name="Flags">History access.</param>
/// <param name="Certificate">The certificate (for a root, its root statement; null when only the pin vouches for it).</param>
/// <param name="Certifier">The root device that signed it.</param>
public sealed record CertifiedDevice(
    DevicePublicKeys Card, Guid Account, string StateCode, CertifiedRole Role, CertificateFlags Flags, TrustStatement? Certificate, DeviceId Certifier)
{
    /// <summary>True for a pinned trust root.</summary>
    public bool IsRoot => Role == CertifiedRole.FocalPoint && Certifier == Card.Id;
}

/// <summary>Something wrong with the statements a server served.</summary>
public enum CertificationProblemKind
{
    /// <summary>A statement did not decode or is for another review.</summary>
    Malformed = 1,

    /// <summary>A statement's signature does not verify (forged or corrupted).</summary>
    BadSignature,

    /// <summary>A statement signed by a device that is not a trust root the client accepted for that State.</summary>
    NotAuthorized,

    /// <summary>A certifier's sequence numbers have a gap: statements were withheld.</summary>
    Gap,

    /// <summary>Two different statements with one certifier and sequence number: equivocation (both kept as evidence).</summary>
    Conflict,

    /// <summary>A certificate's subject is not listed with the certified card, or is listed under another account.</summary>
    SubjectMismatch,

    /// <summary>A valid root statement for a State whose pinned root differs: a new focal point, not trusted until accepted.</summary>
    NewRoot,
}

/// <summary>One problem found while evaluating statements.</summary>
/// <param name="Kind">What is wrong.</param>
/// <param name="Statement">The statement concerned, when it decoded.</param>
/// <param name="Detail">A short explanation.</param>
public sealed record CertificationProblem(CertificationProblemKind Kind, TrustStatement? Statement, string Detail);
