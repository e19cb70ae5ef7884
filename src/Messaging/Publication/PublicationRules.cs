using SecureDialogue.Contracts;
using SecureDialogue.Messaging.Hosting;
using SecureDialogue.Messaging.Reviews;

namespace SecureDialogue.Messaging.Publication;

/// <summary>Who may publish and withdraw (P&amp;R 38, 40, 41): the focal point of the State under review, and only it.</summary>
internal static class PublicationRules
{
    public static bool MayPublish(Membership member) => member.Role == MemberRole.FocalPoint && member.StateRole == StateRole.UnderReview;
}

/// <summary>Errors of the publication endpoints.</summary>
internal static class PublicationErrors
{
    /// <summary>422 <c>invalid-publication</c>, with the failed checks under <c>errors.record</c>.</summary>
    public static ApiError Invalid(string detail, IReadOnlyList<string> failures) =>
        new(ProblemTypes.InvalidPublication, StatusCodes.Status422UnprocessableEntity,
            "The publication record does not decode, does not verify, or does not match this review and its log.", detail,
            new Dictionary<string, string[]>(StringComparer.Ordinal) { ["record"] = [.. failures] });
}

/// <summary>The archive entries of publications (docs/protocol.md 16.2.1).</summary>
internal static class PublicationArchive
{
    /// <summary>A <c>Publication</c> entry: the record's bytes inline when they fit, else their SHA-256 and length (the bytes stay in <c>publications</c>).</summary>
    public static Archive.ArchiveRecord Entry(byte[] record, DateTimeOffset at) => record.Length <= Vault.Archive.ArchiveEntry.MaxInlinePayloadSize
        ? Archive.ArchiveRecord.Stored(Vault.Archive.ArchiveEntryKind.Publication, record, at)
        : Archive.ArchiveRecord.DigestOf(Vault.Archive.ArchiveEntryKind.Publication, System.Security.Cryptography.SHA256.HashData(record), record.Length, at);

    /// <summary>The <c>Retraction</c> entry of a withdrawal, naming the publication's entry.</summary>
    public static Archive.ArchiveRecord Withdrawal(string publicationId, Guid by, long publicationEntry, DateTimeOffset at) =>
        Archive.ArchiveRecord.Stored(Vault.Archive.ArchiveEntryKind.Retraction, PublicationLogPayload.Withdrawn(publicationId, by), at, publicationEntry);
}
