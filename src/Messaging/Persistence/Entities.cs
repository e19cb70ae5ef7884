using SecureDialogue.Contracts;

namespace SecureDialogue.Messaging.Persistence;

// Rows as stored. Every column is in docs/threat-model.md section 8 ("Server" column): identities, public cards,
// membership, opaque envelopes and epoch records with the header fields the server checks. No plaintext exists here.

/// <summary>An account, bound for ever to one (issuer, subject).</summary>
internal sealed class AccountEntity
{
    public Guid Id { get; set; }

    /// <summary>The token issuer, without a trailing slash.</summary>
    public required string Issuer { get; set; }

    public required string Subject { get; set; }

    public required string DisplayName { get; set; }

    /// <summary>As of the latest token (the secretariat role claim).</summary>
    public bool IsSecretariat { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>A registered device: its self-signed public card. A device id belongs to one account for ever.</summary>
internal sealed class DeviceEntity
{
    /// <summary>32 lower-case hex digits.</summary>
    public required string DeviceId { get; set; }

    public Guid AccountId { get; set; }

    /// <summary>The 130-byte device card.</summary>
    public required byte[] Card { get; set; }

    public DateTimeOffset RegisteredAt { get; set; }

    public DateTimeOffset? RevokedAt { get; set; }
}

/// <summary>A country review.</summary>
internal sealed class ReviewEntity
{
    public Guid Id { get; set; }

    public required string Title { get; set; }

    /// <summary>Working language tags, comma-separated, in the order given.</summary>
    public required string Languages { get; set; }

    public Guid CreatedBy { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>The group of States the review belongs to (1 to 3, P&amp;R 17), or null when not given.</summary>
    public int? ReviewGroup { get; set; }

    /// <summary>The review phase (1 to 4, P&amp;R 12).</summary>
    public int Phase { get; set; } = 1;

    /// <summary>Thematic clusters of Table 1 (codes 1-4), comma-separated.</summary>
    public string Clusters { get; set; } = string.Empty;

    public Mechanism.ReviewStage Stage { get; set; }

    public DateOnly? StartDate { get; set; }

    /// <summary>When the review entered <see cref="Stage"/>.</summary>
    public DateOnly? StageEnteredOn { get; set; }
}

/// <summary>A State's part in a review.</summary>
internal sealed class ReviewStateEntity
{
    public Guid ReviewId { get; set; }

    public required string StateCode { get; set; }

    public StateRole Role { get; set; }

    /// <summary>For a reviewing State, the instruments it reviews; for the State under review, those under review.</summary>
    public Mechanism.Instruments Instruments { get; set; }
}

/// <summary>A person in a review; <see cref="StateCode"/> is null for the secretariat.</summary>
internal sealed class ReviewMemberEntity
{
    public Guid ReviewId { get; set; }

    public Guid AccountId { get; set; }

    public string? StateCode { get; set; }

    public MemberRole Role { get; set; }
}

/// <summary>A channel of a review with its counters: the last sequence assigned and the current epoch.</summary>
internal sealed class ChannelEntity
{
    public Guid ReviewId { get; set; }

    public required string Name { get; set; }

    public long LastSequence { get; set; }

    public long? CurrentEpoch { get; set; }
}

/// <summary>An epoch record as the author signed it (opaque to the server beyond its public structure).</summary>
internal sealed class EpochRecordEntity
{
    public Guid ReviewId { get; set; }

    public required string Channel { get; set; }

    public long Epoch { get; set; }

    public required string AuthorDevice { get; set; }

    public required byte[] Record { get; set; }

    /// <summary>BLAKE2b-256 record hash (the next record links to it).</summary>
    public required byte[] RecordHash { get; set; }

    public DateTimeOffset StoredAt { get; set; }
}

/// <summary>An accepted envelope at its channel sequence.</summary>
internal sealed class EnvelopeEntity
{
    public Guid ReviewId { get; set; }

    public required string Channel { get; set; }

    public long Sequence { get; set; }

    public required string SenderDevice { get; set; }

    public long Counter { get; set; }

    public Guid ClientMessageId { get; set; }

    public long Epoch { get; set; }

    /// <summary>The canonical envelope encoding, exactly as the sender signed it.</summary>
    public required byte[] Envelope { get; set; }

    public DateTimeOffset StoredAt { get; set; }
}

/// <summary>An attachment upload in progress, bound to the channel and the account that began it.</summary>
internal sealed class BlobUploadEntity
{
    /// <summary>The blob store's upload id (32 lower-case hex digits).</summary>
    public required string UploadId { get; set; }

    public Guid ReviewId { get; set; }

    public required string Channel { get; set; }

    public Guid AccountId { get; set; }

    /// <summary>The declared ciphertext length.</summary>
    public long Length { get; set; }

    /// <summary>Set once the upload completed (so completing again answers the same).</summary>
    public string? BlobId { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>A committed attachment blob of a channel: its readers may download it.</summary>
internal sealed class BlobEntity
{
    public Guid ReviewId { get; set; }

    public required string Channel { get; set; }

    /// <summary>The ciphertext hash, 64 lower-case hex digits.</summary>
    public required string BlobId { get; set; }

    public Guid UploadedBy { get; set; }

    /// <summary>The ciphertext length (a padded size: docs/protocol.md 15.1).</summary>
    public long Length { get; set; }

    public DateTimeOffset StoredAt { get; set; }

    /// <summary>The ciphertext's SHA-256 (its archive entry's digest), recorded at commit; null for blobs committed before migration 0007.</summary>
    public byte[]? Sha256 { get; set; }
}

/// <summary>A State party in the secretariat's registry.</summary>
internal sealed class StatePartyEntity
{
    /// <summary>ISO 3166-1 alpha-3, upper case.</summary>
    public required string Code { get; set; }

    public required string Name { get; set; }

    public Mechanism.RegionalGroup RegionalGroup { get; set; }

    public Mechanism.Instruments Instruments { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>A review moved one stage forward by an assigned secretariat member.</summary>
internal sealed class ReviewStageEventEntity
{
    public Guid ReviewId { get; set; }

    /// <summary>1, 2, ... per review.</summary>
    public int Sequence { get; set; }

    public Mechanism.ReviewStage FromStage { get; set; }

    public Mechanism.ReviewStage ToStage { get; set; }

    public Guid AccountId { get; set; }

    public DateTimeOffset OccurredAt { get; set; }
}

/// <summary>A disclosure policy statement as the focal point's device signed it (docs/protocol.md section 19).</summary>
internal sealed class DisclosurePolicyEntity
{
    public Guid ReviewId { get; set; }

    public int Version { get; set; }

    /// <summary>The signed statement, exactly as received.</summary>
    public required byte[] Statement { get; set; }

    public required string SignerDevice { get; set; }

    public Guid SignerAccount { get; set; }

    public Vault.Reviews.MetadataLevel MetadataLevel { get; set; }

    /// <summary>Comma-separated channel names.</summary>
    public required string ContentChannels { get; set; }

    public DateTimeOffset IssuedAt { get; set; }

    public DateTimeOffset StoredAt { get; set; }
}

/// <summary>The receipt of a sealed archive bundle (append-only; docs/server.md "Sealing").</summary>
internal sealed class SealedBundleEntity
{
    public Guid ReviewId { get; set; }

    /// <summary>The bundle's file name (<c>{time}-{size}.sdlb</c>), unique in the review.</summary>
    public required string Name { get; set; }

    /// <summary><c>Local</c> or <c>S3</c>.</summary>
    public required string Backend { get; set; }

    public required string ObjectKey { get; set; }

    public string? VersionId { get; set; }

    public required byte[] Sha256 { get; set; }

    public long Size { get; set; }

    public DateTimeOffset? RetainUntil { get; set; }

    public long TreeSize { get; set; }

    public required byte[] Root { get; set; }

    public required byte[] SealDigest { get; set; }

    /// <summary>0 digests only, 1 with the attachments' ciphertexts.</summary>
    public short Attachments { get; set; }

    public Guid? SealedBy { get; set; }

    public DateTimeOffset SealedAt { get; set; }
}
