namespace SecureDialogue.Messaging.Persistence;

// Rows of migration 0005 (docs/threat-model.md section 8 lists them): nominations, signed trust statements and review events.

/// <summary>A focal point nomination registered by the secretariat; <see cref="EndedAt"/> is set when a later one replaces it.</summary>
internal sealed class FocalPointEntity
{
    public Guid Id { get; set; }

    public Guid ReviewId { get; set; }

    public required string StateCode { get; set; }

    public Guid AccountId { get; set; }

    /// <summary>The nomination reference (note verbale number).</summary>
    public required string Nomination { get; set; }

    public Guid RegisteredBy { get; set; }

    public DateTimeOffset RegisteredAt { get; set; }

    public DateTimeOffset? EndedAt { get; set; }
}

/// <summary>A device certificate or revocation exactly as its focal point signed it, with the fields the server checked.</summary>
internal sealed class TrustStatementEntity
{
    public Guid ReviewId { get; set; }

    /// <summary>1, 2, 3... in storage order within the review.</summary>
    public long Position { get; set; }

    public required string CertifierDevice { get; set; }

    public long Sequence { get; set; }

    /// <summary>1 certificate, 2 revocation (the wire value).</summary>
    public int Kind { get; set; }

    public required string StateCode { get; set; }

    public required string SubjectDevice { get; set; }

    public Guid SubjectAccount { get; set; }

    public required byte[] Statement { get; set; }

    /// <summary>BLAKE2b-256 of <see cref="Statement"/> (personalisation <c>sdlg.trust.hash</c>).</summary>
    public required byte[] StatementHash { get; set; }

    public DateTimeOffset StoredAt { get; set; }
}

/// <summary>A recorded change to a review's people or trust (see <c>Trust/ReviewEvents</c>).</summary>
internal sealed class ReviewEventEntity
{
    public Guid ReviewId { get; set; }

    public long Position { get; set; }

    public required string Kind { get; set; }

    public Guid ActorAccount { get; set; }

    public string? StateCode { get; set; }

    public Guid? SubjectAccount { get; set; }

    public string? SubjectDevice { get; set; }

    public string? Detail { get; set; }

    public DateTimeOffset At { get; set; }
}
