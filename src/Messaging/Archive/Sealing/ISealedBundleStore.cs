namespace SecureDialogue.Messaging.Archive.Sealing;

/// <summary>
/// Write-once storage of sealed bundles. <see cref="PutAsync"/> stores a bundle under a new name so that it cannot be
/// changed or deleted by this server (S3 Object Lock COMPLIANCE retention, or a read-only file), and returns where it
/// is and its SHA-256; <see cref="CheckAsync"/> later reads it back and compares.
/// </summary>
internal interface ISealedBundleStore
{
    /// <summary>
    /// Stores <paramref name="content"/> (read from its current position to its end) under <paramref name="name"/>
    /// (relative, <c>[a-z0-9._-]</c> segments separated by '/'). A name already used is refused (local) or becomes a
    /// new version beside the locked one (S3): a sealed object is never replaced.
    /// </summary>
    /// <exception cref="SealedStoreException">The name is taken (local), the bucket has no Object Lock, or the store refused.</exception>
    Task<SealedObject> PutAsync(string name, Stream content, CancellationToken cancellationToken = default);

    /// <summary>Opens the stored bundle (the exact version) for reading.</summary>
    Task<Stream> OpenReadAsync(SealedObject sealedObject, CancellationToken cancellationToken = default);

    /// <summary>Reads the stored bundle back and compares its SHA-256 (and, for S3, its retention) with the record.</summary>
    Task<SealCheck> CheckAsync(SealedObject sealedObject, CancellationToken cancellationToken = default);
}

/// <summary>Where a sealed bundle is and what it hashes to: the record to keep (for example with the review).</summary>
/// <param name="Backend"><c>Local</c> or <c>S3</c>.</param>
/// <param name="Key">The file path relative to the store's folder, or the object key.</param>
/// <param name="VersionId">The S3 object version (null for the local store).</param>
/// <param name="Sha256">SHA-256 of the whole stored file.</param>
/// <param name="Size">Its size in bytes.</param>
/// <param name="RetainUntil">The S3 Object Lock retain-until date (null for the local store).</param>
internal sealed record SealedObject(string Backend, string Key, string? VersionId, byte[] Sha256, long Size, DateTimeOffset? RetainUntil)
{
    /// <summary>The SHA-256 as 64 lower-case hex digits.</summary>
    public string Sha256Hex => Convert.ToHexStringLower(Sha256);
}

/// <summary>What <see cref="ISealedBundleStore.CheckAsync"/> found.</summary>
internal enum SealCheck
{
    /// <summary>Present, with the recorded SHA-256 and size, read-only (local) or under COMPLIANCE retention until the recorded date (S3).</summary>
    Intact = 0,

    /// <summary>The stored bytes no longer hash to the recorded SHA-256 (or have another size).</summary>
    Modified,

    /// <summary>The file or object version is gone.</summary>
    Missing,

    /// <summary>The bytes are intact but the protection is not: the file is writable, or the object's retention is not the recorded COMPLIANCE lock.</summary>
    Unprotected,
}

/// <summary>A sealed store refused or failed an operation; the message says which and why (never a secret).</summary>
internal sealed class SealedStoreException(string message, Exception? inner = null) : Exception(message, inner);
