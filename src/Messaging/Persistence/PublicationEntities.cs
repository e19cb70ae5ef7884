namespace SecureDialogue.Messaging.Persistence;

/// <summary>A verified publication record (docs/server.md "Publications"); append-only.</summary>
internal sealed class PublicationEntity
{
    /// <summary>SHA-256 of <see cref="Record"/>, lower-case hex.</summary>
    public required string Id { get; set; }

    public Guid ReviewId { get; set; }

    /// <summary>1 all States parties, 2 the public (the record's byte).</summary>
    public int Audience { get; set; }

    public required string Channel { get; set; }

    public long ItemSequence { get; set; }

    public int ItemKind { get; set; }

    public required string ItemLanguage { get; set; }

    /// <summary>The author's signed time (header).</summary>
    public DateTimeOffset AuthoredAt { get; set; }

    public required string AuthorState { get; set; }

    public required string PublisherState { get; set; }

    public Guid PublisherAccount { get; set; }

    public required string PublisherDevice { get; set; }

    public int Segments { get; set; }

    public int Disclosed { get; set; }

    public DateTimeOffset PublishedAt { get; set; }

    public DateTimeOffset StoredAt { get; set; }

    /// <summary><see cref="StoredAt"/> plus the objection window in force when it was stored.</summary>
    public DateTimeOffset VisibleFrom { get; set; }

    public long ItemEntryIdx { get; set; }

    /// <summary>The <c>Publication</c> entry in the review's log.</summary>
    public long EntryIdx { get; set; }

    public long CheckpointSize { get; set; }

    public required byte[] CheckpointRoot { get; set; }

    /// <summary>The verifier key (signed-note form) of the log key that signed the checkpoint.</summary>
    public required string LogKey { get; set; }

    /// <summary>Device ids of the trusted cosigners with a valid cosignature, comma-separated.</summary>
    public required string Cosigners { get; set; }

    public required byte[] Record { get; set; }
}

/// <summary>The withdrawal of a publication; the publication itself stays.</summary>
internal sealed class PublicationWithdrawalEntity
{
    public required string PublicationId { get; set; }

    public Guid WithdrawnBy { get; set; }

    public DateTimeOffset WithdrawnAt { get; set; }

    /// <summary>The <c>Retraction</c> entry in the review's log.</summary>
    public long EntryIdx { get; set; }
}
