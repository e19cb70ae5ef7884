using SecureDialogue.Vault;
using SecureDialogue.Vault.Publication;

namespace SecureDialogue.Cli.Commands.Verify;

/// <summary>
/// Reads a publication record from a file or downloads it from an <c>http(s)</c> URL, refusing anything larger than
/// <see cref="PublicationRecord.MaxEncodedSize"/> before reading it whole. Verification is offline either way: the
/// URL only supplies the bytes; nothing the server says (headers, redirects) counts as proof.
/// </summary>
internal static class PublicationSource
{
    private static readonly TimeSpan s_downloadTimeout = TimeSpan.FromMinutes(2);

    public static async Task<Result<byte[], CommandFailure>> ReadAsync(string fileOrUrl, CancellationToken cancellationToken)
    {
        if (Uri.TryCreate(fileOrUrl, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
        {
            return await DownloadAsync(uri, cancellationToken).ConfigureAwait(false);
        }

        try
        {
            var info = new FileInfo(fileOrUrl);
            if (!info.Exists)
            {
                return new CommandFailure(ExitCodes.Usage, $"no such file {fileOrUrl}");
            }

            if (info.Length > PublicationRecord.MaxEncodedSize)
            {
                return new CommandFailure(ExitCodes.Failed, $"{fileOrUrl} is larger than any publication record ({PublicationRecord.MaxEncodedSize} bytes)");
            }

            return await File.ReadAllBytesAsync(fileOrUrl, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new CommandFailure(ExitCodes.Failed, $"cannot read {fileOrUrl}: {e.Message}");
        }
    }

    private static async Task<Result<byte[], CommandFailure>> DownloadAsync(Uri uri, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = s_downloadTimeout, MaxResponseContentBufferSize = PublicationRecord.MaxEncodedSize };
        try
        {
            using var response = await http.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                var code = (int)response.StatusCode;
                return new CommandFailure(code >= 500 ? ExitCodes.ServerUnreachable : ExitCodes.Refused, $"{uri.GetLeftPart(UriPartial.Path)} answered HTTP {code}");
            }

            if (response.Content.Headers.ContentLength > PublicationRecord.MaxEncodedSize)
            {
                return new CommandFailure(ExitCodes.Failed, $"the download is larger than any publication record ({PublicationRecord.MaxEncodedSize} bytes)");
            }

            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            using var buffer = new MemoryStream();
            var chunk = new byte[81920];
            int read;
            while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + read > PublicationRecord.MaxEncodedSize)
                {
                    return new CommandFailure(ExitCodes.Failed, $"the download is larger than any publication record ({PublicationRecord.MaxEncodedSize} bytes)");
                }

                buffer.Write(chunk, 0, read);
            }

            return buffer.ToArray();
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException && !cancellationToken.IsCancellationRequested)
        {
            return new CommandFailure(ExitCodes.ServerUnreachable, $"cannot download {uri.GetLeftPart(UriPartial.Path)}: {e.Message}");
        }
    }
}
