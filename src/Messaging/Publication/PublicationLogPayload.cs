using System.Text.Json;

namespace SecureDialogue.Messaging.Publication;

/// <summary>
/// The payload of the <c>Retraction</c> entry that records a withdrawal (docs/protocol.md 16.2.1): UTF-8 JSON written
/// by the server, hashed as the exact bytes. The publication itself is archived as its record's bytes.
/// </summary>
internal static class PublicationLogPayload
{
    public const string Format = "securedialogue-publication/v1";

    /// <summary><c>{"format":"securedialogue-publication/v1","event":"publication-withdrawn","publication":"HEX","by":"UUID"}</c>.</summary>
    public static byte[] Withdrawn(string publicationId, Guid by)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("format", Format);
            writer.WriteString("event", "publication-withdrawn");
            writer.WriteString("publication", publicationId);
            writer.WriteString("by", by.ToString("D"));
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
