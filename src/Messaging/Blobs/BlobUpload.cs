namespace SecureDialogue.Messaging.Blobs;

/// <summary>
/// An upload in progress: the declared blob length cut into parts of <see cref="PartSize"/> bytes (the last
/// one shorter). Part <c>n</c> (1-based) is bytes <c>[(n-1)*PartSize, min(n*PartSize, Length))</c>, so a
/// client that resumes knows exactly where each missing part starts.
/// </summary>
internal sealed record BlobUpload(BlobUploadId Id, long Length, int PartSize, DateTimeOffset CreatedAt)
{
    /// <summary>Number of parts: <c>ceil(Length / PartSize)</c>.</summary>
    public int PartCount => (int)((Length + PartSize - 1) / PartSize);

    /// <summary>Offset of part <paramref name="number"/> in the blob.</summary>
    public long PartOffset(int number) => (number - 1) * (long)PartSize;

    /// <summary>Exact length of part <paramref name="number"/>.</summary>
    public int PartLength(int number) => (int)Math.Min(PartSize, Length - PartOffset(number));
}

/// <summary>A part the store has acknowledged: stored durably, with exactly <see cref="BlobUpload.PartLength"/> bytes.</summary>
internal sealed record BlobPart(int Number, long Length);

/// <summary>A committed blob.</summary>
internal sealed record BlobInfo(BlobId Id, long Length)
{
    /// <summary>SHA-256 of the ciphertext, computed when the upload was committed (null when only looked up): the archive's digest.</summary>
    public byte[]? Sha256 { get; init; }
}

/// <summary>
/// An open ranged read of a committed blob: <see cref="Content"/> yields exactly <see cref="Length"/> bytes
/// starting at <see cref="Offset"/> of a blob of <see cref="TotalLength"/> bytes. Dispose it.
/// </summary>
internal sealed class BlobRead(Stream content, long offset, long length, long totalLength) : IAsyncDisposable, IDisposable
{
    /// <summary>The bytes of the range.</summary>
    public Stream Content { get; } = content;

    /// <summary>First byte of the range.</summary>
    public long Offset { get; } = offset;

    /// <summary>Bytes in the range.</summary>
    public long Length { get; } = length;

    /// <summary>Length of the whole blob.</summary>
    public long TotalLength { get; } = totalLength;

    /// <inheritdoc />
    public ValueTask DisposeAsync() => Content.DisposeAsync();

    /// <inheritdoc />
    public void Dispose() => Content.Dispose();
}
