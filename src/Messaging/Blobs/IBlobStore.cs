using SecureDialogue.Vault;

namespace SecureDialogue.Messaging.Blobs;

/// <summary>
/// Storage for attachment ciphertexts: opaque blobs the server cannot decrypt. Uploads are resumable
/// (begin, then parts in any order and any number of times, list what was acknowledged, complete) and a
/// blob is committed only after the store has recomputed its ciphertext hash, which becomes its id.
/// Implementations: <see cref="LocalBlobStore"/> (a folder, the embedded default) and <see cref="S3BlobStore"/>.
/// Every method is safe to call concurrently; expected failures are <see cref="BlobError"/> values.
/// </summary>
internal interface IBlobStore
{
    /// <summary>The largest blob this store accepts (default 2 GiB).</summary>
    long MaxBlobSize { get; }

    /// <summary>Starts an upload of exactly <paramref name="length"/> bytes: <see cref="BlobError.TooLarge"/> above <see cref="MaxBlobSize"/>.</summary>
    Task<Result<BlobUpload, BlobError>> BeginUploadAsync(long length, CancellationToken cancellationToken = default);

    /// <summary>The upload's parameters, to resume it.</summary>
    Task<Result<BlobUpload, BlobError>> GetUploadAsync(BlobUploadId id, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores part <paramref name="number"/> from exactly <see cref="BlobUpload.PartLength"/> bytes of
    /// <paramref name="content"/>. Idempotent: uploading a part again replaces it. A content stream that ends
    /// early or has bytes left is <see cref="BlobError.PartLengthMismatch"/>, and a stream that fails is an
    /// exception; in both cases the part is not acknowledged (an earlier copy of it stays).
    /// </summary>
    Task<Result<BlobPart, BlobError>> UploadPartAsync(BlobUploadId id, int number, Stream content, CancellationToken cancellationToken = default);

    /// <summary>The acknowledged parts, in increasing order: a client resumes from the first missing one.</summary>
    Task<Result<IReadOnlyList<BlobPart>, BlobError>> ListPartsAsync(BlobUploadId id, CancellationToken cancellationToken = default);

    /// <summary>
    /// Assembles the parts, recomputes the ciphertext hash over all of them and commits the blob under it if
    /// it equals <paramref name="ciphertextHash"/>; otherwise nothing is committed, the upload is discarded
    /// and the result is <see cref="BlobError.HashMismatch"/>. Missing parts: <see cref="BlobError.IncompleteUpload"/>.
    /// Committing a blob that already exists succeeds and keeps the stored copy.
    /// </summary>
    Task<Result<BlobInfo, BlobError>> CompleteUploadAsync(BlobUploadId id, ReadOnlyMemory<byte> ciphertextHash, CancellationToken cancellationToken = default);

    /// <summary>Discards an upload and its parts.</summary>
    Task<BlobError> AbortUploadAsync(BlobUploadId id, CancellationToken cancellationToken = default);

    /// <summary>The committed blob's length.</summary>
    Task<Result<BlobInfo, BlobError>> GetInfoAsync(BlobId id, CancellationToken cancellationToken = default);

    /// <summary>
    /// Reads <paramref name="length"/> bytes (to the end when null) from <paramref name="offset"/>, for
    /// downloads that resume. An offset beyond the end, or a range past it: <see cref="BlobError.InvalidRange"/>.
    /// </summary>
    Task<Result<BlobRead, BlobError>> OpenReadAsync(BlobId id, long offset = 0, long? length = null, CancellationToken cancellationToken = default);

    /// <summary>Deletes a committed blob.</summary>
    Task<BlobError> DeleteAsync(BlobId id, CancellationToken cancellationToken = default);

    /// <summary>
    /// Aborts every upload begun more than <see cref="BlobStorageOptions.AbandonedUploadAge"/> ago (by the
    /// store's <see cref="TimeProvider"/>) and returns how many it removed.
    /// </summary>
    Task<int> CleanupAbandonedUploadsAsync(CancellationToken cancellationToken = default);
}
