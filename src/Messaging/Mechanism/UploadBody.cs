using Microsoft.AspNetCore.Http.Metadata;

namespace SecureDialogue.Messaging.Mechanism;

/// <summary>Reads an uploaded CSV file: a <c>text/csv</c> body, or the <c>file</c> field of a form, at most <see cref="CsvTable.MaxBytes"/>.</summary>
internal static class UploadBody
{
    /// <summary>The request size an upload endpoint accepts: the largest file plus room for a form's framing.</summary>
    public static IRequestSizeLimitMetadata Limit { get; } = new UploadLimit(CsvTable.MaxBytes + (64 * 1024));

    /// <summary>The file's bytes, or null when there is none, it is of another type, or it is too large.</summary>
    public static async Task<byte[]?> ReadCsvAsync(HttpContext context, CancellationToken cancellationToken)
    {
        var request = context.Request;
        if (request.HasFormContentType)
        {
            var form = await request.ReadFormAsync(cancellationToken).ConfigureAwait(false);
            var file = form.Files.GetFile("file");
            if (file is null || file.Length is 0 or > CsvTable.MaxBytes)
            {
                return null;
            }

            await using var stream = file.OpenReadStream();
            return await ReadBoundedAsync(stream, cancellationToken).ConfigureAwait(false);
        }

        if (request.ContentType is not { } type || !type.StartsWith("text/csv", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        return await ReadBoundedAsync(request.Body, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<byte[]?> ReadBoundedAsync(Stream stream, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > CsvTable.MaxBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.Length == 0 ? null : buffer.ToArray();
    }
}

/// <summary>Raises an upload endpoint's body limit above Kestrel's default (256 KiB).</summary>
internal sealed class UploadLimit(long size) : IRequestSizeLimitMetadata
{
    public long? MaxRequestBodySize => size;
}
