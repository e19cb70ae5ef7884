namespace SecureDialogue.Client.Api;

/// <summary>A blob download in progress: <see cref="Content"/> yields the bytes from <see cref="Offset"/> to the end of a blob of <see cref="TotalLength"/> bytes.</summary>
public sealed class BlobResponse : IAsyncDisposable, IDisposable
{
    private readonly HttpResponseMessage _response;

    internal BlobResponse(HttpResponseMessage response, Stream content, long offset, long totalLength)
    {
        _response = response;
        Content = content;
        Offset = offset;
        TotalLength = totalLength;
    }

    /// <summary>The body.</summary>
    public Stream Content { get; }

    /// <summary>The blob offset of the body's first byte.</summary>
    public long Offset { get; }

    /// <summary>The whole blob's length.</summary>
    public long TotalLength { get; }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await Content.DisposeAsync().ConfigureAwait(false);
        _response.Dispose();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Content.Dispose();
        _response.Dispose();
    }
}
