using System.Globalization;
using Microsoft.EntityFrameworkCore;
using SecureDialogue.Messaging.Hosting;
using SecureDialogue.Messaging.Identity;
using SecureDialogue.Messaging.Persistence;
using SecureDialogue.Messaging.Reviews;

namespace SecureDialogue.Messaging.Blobs;

/// <summary>Downloads of a channel's blobs by its readers, whole or from a byte range (resumed downloads).</summary>
internal sealed class BlobDownloads(MessagingDbContext db, ReviewAccess access, IBlobStore store)
{
    /// <summary>
    /// Opens the blob for reading. <paramref name="range"/> is the request's <c>Range</c> header: <c>bytes=N-</c> or
    /// <c>bytes=N-M</c> is served as a partial read; any other form is ignored (the whole blob), as RFC 9110 allows.
    /// </summary>
    public async Task<Outcome<BlobDownload>> OpenAsync(
        Caller caller, Guid reviewId, string channel, string blobId, string? range, CancellationToken cancellationToken)
    {
        var allowed = await access.ForChannelAsync(caller, reviewId, channel, ChannelAccess.Read, cancellationToken).ConfigureAwait(false);
        if (!allowed.TryGet(out _, out var error))
        {
            return error;
        }

        if (!BlobId.TryParse(blobId, out var id) ||
            await db.Blobs.FirstOrDefaultAsync(b => b.ReviewId == reviewId && b.Channel == channel && b.BlobId == blobId, cancellationToken)
                .ConfigureAwait(false) is not { } row)
        {
            return BlobApiErrors.BlobNotFound;
        }

        long offset = 0;
        long? length = null;
        var partial = TryParseRange(range, out var first, out var last);
        if (partial)
        {
            if (first >= row.Length)
            {
                return BlobApiErrors.InvalidRange(row.Length);
            }

            offset = first;
            length = (last is { } l && l < row.Length - 1 ? l : row.Length - 1) - first + 1;
        }

        var opened = await store.OpenReadAsync(id, offset, length, cancellationToken).ConfigureAwait(false);
        if (!opened.TryGetValue(out var read, out var refused))
        {
            return refused == BlobError.InvalidRange ? BlobApiErrors.InvalidRange(row.Length) : BlobApiErrors.BlobNotFound;
        }

        return new BlobDownload(id, read, partial);
    }

    /// <summary>Parses <c>bytes=N-</c> and <c>bytes=N-M</c> (M >= N); anything else (several ranges, suffixes) is false.</summary>
    internal static bool TryParseRange(string? header, out long first, out long? last)
    {
        first = 0;
        last = null;
        const string unit = "bytes=";
        if (header is null || !header.StartsWith(unit, StringComparison.OrdinalIgnoreCase) || header.Contains(',', StringComparison.Ordinal))
        {
            return false;
        }

        var spec = header.AsSpan(unit.Length).Trim();
        var dash = spec.IndexOf('-');
        if (dash <= 0 || !long.TryParse(spec[..dash], NumberStyles.None, CultureInfo.InvariantCulture, out first))
        {
            return false;
        }

        var end = spec[(dash + 1)..];
        if (end.IsEmpty)
        {
            return true;
        }

        if (!long.TryParse(end, NumberStyles.None, CultureInfo.InvariantCulture, out var m) || m < first)
        {
            return false;
        }

        last = m;
        return true;
    }
}

/// <summary>An open blob read, written to the response as 200 or 206 with <c>Content-Range</c>.</summary>
internal sealed class BlobDownload(BlobId id, BlobRead read, bool partial) : IResult
{
    private const int CopyBufferSize = 128 * 1024;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        await using (read.ConfigureAwait(false))
        {
            var response = httpContext.Response;
            response.StatusCode = partial ? StatusCodes.Status206PartialContent : StatusCodes.Status200OK;
            response.ContentType = "application/octet-stream";
            response.ContentLength = read.Length;
            response.Headers.AcceptRanges = "bytes";
            response.Headers.ETag = $"\"{id.Value}\"";
            response.Headers.CacheControl = "private, no-store";
            if (partial)
            {
                response.Headers.ContentRange = string.Create(
                    CultureInfo.InvariantCulture, $"bytes {read.Offset}-{read.Offset + read.Length - 1}/{read.TotalLength}");
            }

            await read.Content.CopyToAsync(response.Body, CopyBufferSize, httpContext.RequestAborted).ConfigureAwait(false);
        }
    }
}
