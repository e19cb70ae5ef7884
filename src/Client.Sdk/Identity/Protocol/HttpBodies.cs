using System.Text;

namespace SecureDialogue.Client.Identity.Protocol;

/// <summary>Reads response bodies with an upper bound, so that a hostile endpoint cannot exhaust memory.</summary>
internal static class HttpBodies
{
    /// <summary>The body as UTF-8 text, or <c>null</c> when it is longer than <paramref name="maxBytes"/>.</summary>
    public static async Task<string?> ReadBoundedStringAsync(HttpContent content, int maxBytes, CancellationToken cancellationToken)
    {
        var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var buffer = new MemoryStream();
            var chunk = new byte[8192];
            int read;
            while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + read > maxBytes)
                {
                    return null;
                }

                buffer.Write(chunk, 0, read);
            }

            return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
        }
    }
}
