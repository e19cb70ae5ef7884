namespace SecureDialogue.Messaging.Persistence;

/// <summary>An author's correction or retraction of its envelope (docs/protocol.md section 21); append-only.</summary>
internal sealed class AmendmentEntity
{
    /// <summary>SHA-256 of <see cref="Statement"/>, lower-case hex.</summary>
    public required string Id { get; set; }

    public Guid ReviewId { get; set; }

    public required string Channel { get; set; }

    /// <summary>1 correct, 2 retract (the statement's action byte).</summary>
    public int Action { get; set; }

    public required string AuthorDevice { get; set; }

    public long TargetSequence { get; set; }

    public long? ReplacementSequence { get; set; }

    /// <summary>The signed statement, exactly as received.</summary>
    public required byte[] Statement { get; set; }

    /// <summary>Whole milliseconds: the archive entry's received-at.</summary>
    public DateTimeOffset StoredAt { get; set; }

    /// <summary>The <c>Correction</c> or <c>Retraction</c> entry in the review's log.</summary>
    public long EntryIdx { get; set; }

    /// <summary>The amended envelope's <c>Envelope</c> entry (the entry's target).</summary>
    public long TargetEntryIdx { get; set; }
}
