namespace SecureDialogue.Client.Trust;

/// <summary>
/// How this client regards a device of a member account. Only <see cref="Own"/>, <see cref="FocalPoint"/> and
/// <see cref="Certified"/> devices receive keys; <see cref="Pinned"/> and <see cref="Trusted"/> are the earlier trust on first
/// use, still shown but no longer enough (docs/protocol.md, "Certification rules").
/// </summary>
public enum DeviceTrust
{
    /// <summary>This client's own device.</summary>
    Own = 1,

    /// <summary>The first device seen for its account: pinned on first use.</summary>
    Pinned = 2,

    /// <summary>Trusted explicitly by the user after comparing safety numbers.</summary>
    Trusted = 3,

    /// <summary>
    /// Not pinned: a new or changed device of an account already pinned, or a device the server lists that this
    /// client never saw. It gets no key from this client until the user trusts it.
    /// </summary>
    Unverified = 4,

    /// <summary>Certified by the focal point of its State in this review (a valid, unrevoked certificate).</summary>
    Certified = 5,

    /// <summary>The focal point's device pinned as its State's trust root in this review.</summary>
    FocalPoint = 6,

    /// <summary>Revoked by its State's focal point in this review: it gets no key and its new posts are refused.</summary>
    Revoked = 7,
}

/// <summary>How a State's trust root (its focal point's device) was pinned for a review.</summary>
public enum RootPin
{
    /// <summary>The first root the server showed for the State, whose owner the server lists as focal point: trusted on first use. Compare its fingerprint with the nomination note verbale.</summary>
    FirstUse = 1,

    /// <summary>This client's own device (this account is the focal point).</summary>
    Own = 2,

    /// <summary>Accepted explicitly by the user (after comparing the fingerprint out of band, or with the warning shown).</summary>
    Accepted = 3,
}
