namespace SecureDialogue.Client.Archive;

/// <summary>What the client could establish about an item's place in the review's archive log (docs/protocol.md 16.7).</summary>
public enum ArchiveStatus
{
    /// <summary>Not checked: the server gave no archive index (items stored before the archive existed), or checking is off.</summary>
    NotChecked = 0,

    /// <summary>Verified by inclusion against a checkpoint this client verified (signed by the pinned log key, consistent with every earlier one).</summary>
    Verified = 1,

    /// <summary>Could not be checked now (no answer, a checkpoint refused without contradiction, e.g. not signed by the pinned key or a rollback); see the channel's alerts.</summary>
    Unverified = 2,

    /// <summary>The log contradicted itself or the item does not verify: the review's log view halted and kept the evidence.</summary>
    Failed = 3,
}
