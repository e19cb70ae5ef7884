namespace SecureDialogue.Client.Trust;

/// <summary>How this client regards a device of a member account (trust on first use, until focal points certify devices).</summary>
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
}
