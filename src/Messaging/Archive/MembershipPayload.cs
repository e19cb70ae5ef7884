using System.Text.Json;
using SecureDialogue.Contracts;

namespace SecureDialogue.Messaging.Archive;

/// <summary>
/// Payloads of <c>MembershipChange</c> entries the server writes (docs/protocol.md 16.2.1): UTF-8 JSON objects with
/// <c>"format": "securedialogue-membership/v1"</c> and an <c>"event"</c>. The log hashes the exact bytes; readers
/// parse them with any JSON parser. They hold what the server already stores (docs/threat-model.md section 8).
/// </summary>
internal static class MembershipPayload
{
    public const string Format = "securedialogue-membership/v1";

    /// <summary>A review was created: its States, languages and members.</summary>
    public static byte[] ReviewCreated(Guid review, Guid createdBy, string title, string reviewedState, IEnumerable<string> reviewingStates,
        IEnumerable<string> languages, IEnumerable<(Guid Account, string? State, MemberRole Role)> members) =>
        Write("review-created", json =>
        {
            json.WriteString("review", review.ToString("D"));
            json.WriteString("by", createdBy.ToString("D"));
            json.WriteString("title", title);
            json.WriteString("reviewed_state", reviewedState);
            WriteStrings(json, "reviewing_states", reviewingStates);
            WriteStrings(json, "languages", languages);
            json.WriteStartArray("members");
            foreach (var (account, state, role) in members)
            {
                json.WriteStartObject();
                json.WriteString("account", account.ToString("D"));
                if (state is null)
                {
                    json.WriteNull("state");
                }
                else
                {
                    json.WriteString("state", state);
                }

                json.WriteString("role", role.ToString());
                json.WriteEndObject();
            }

            json.WriteEndArray();
        });

    /// <summary>A member's account registered a device: its self-signed card (docs/protocol.md 4.3).</summary>
    public static byte[] DeviceRegistered(Guid account, string deviceId, byte[] card) =>
        Write("device-registered", json =>
        {
            json.WriteString("account", account.ToString("D"));
            json.WriteString("device", deviceId);
            json.WriteBase64String("card", card);
        });

    /// <summary>
    /// The secretariat registered a State's focal point for the review with the nomination reference; <paramref name="replaced"/>
    /// lists the accounts whose focal-point role ended with it (they left the review).
    /// </summary>
    public static byte[] FocalPointRegistered(Guid review, Guid by, string state, Guid account, string nomination, IEnumerable<Guid> replaced) =>
        Write("focal-point-registered", json =>
        {
            json.WriteString("review", review.ToString("D"));
            json.WriteString("by", by.ToString("D"));
            json.WriteString("state", state);
            json.WriteString("account", account.ToString("D"));
            json.WriteString("nomination", nomination);
            WriteStrings(json, "replaced", replaced.Select(a => a.ToString("D")));
        });

    private static void WriteStrings(Utf8JsonWriter json, string name, IEnumerable<string> values)
    {
        json.WriteStartArray(name);
        foreach (var value in values)
        {
            json.WriteStringValue(value);
        }

        json.WriteEndArray();
    }

    private static byte[] Write(string eventName, Action<Utf8JsonWriter> body)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream))
        {
            json.WriteStartObject();
            json.WriteString("format", Format);
            json.WriteString("event", eventName);
            body(json);
            json.WriteEndObject();
        }

        return stream.ToArray();
    }
}
