using System.Text.Json.Nodes;
using SecureDialogue.Vault;
using SecureDialogue.Vault.Amendments;
using SecureDialogue.Vault.Envelopes;
using SecureDialogue.Vault.Primitives;

namespace SecureDialogue.TestVectors;

/// <summary>
/// Amendment statements (docs/protocol.md section 21) signed by bob's device about bob's two envelopes of
/// envelopes.json: a correction of <c>one-segment</c> (counter 1) by <c>three-segments</c> (counter 2), and the
/// retraction of <c>three-segments</c>. Ed25519 is deterministic, so every byte is reproducible.
/// </summary>
internal static class AmendmentVectors
{
    private static readonly DateTimeOffset s_corrected = new(2026, 11, 23, 10, 6, 0, 250, TimeSpan.Zero);
    private static readonly DateTimeOffset s_retracted = new(2026, 11, 23, 11, 45, 9, 7, TimeSpan.Zero);

    public static JsonObject Build(JsonObject envelopes)
    {
        var sealedEnvelopes = envelopes["envelopes"]!.AsArray()
            .ToDictionary(e => (string)e!["name"]!, e => Envelope.Decode(Convert.FromHexString((string)e!["envelope"]!)).Value!);
        var original = sealedEnvelopes["one-segment"];
        var replacement = sealedEnvelopes["three-segments"];
        using var bob = Fixtures.Identity("bob");
        var statements = new JsonArray
        {
            Vector("correction", "one-segment", "three-segments", AmendmentCodec.SignCorrection(original, replacement, bob, s_corrected), bob),
            Vector("retraction", "three-segments", null, AmendmentCodec.SignRetraction(replacement, bob, s_retracted), bob),
        };
        return new JsonObject
        {
            ["description"] = "Amendment statements of docs/protocol.md section 21 signed by the device 'bob' of devices.json about bob's envelopes of envelopes.json.",
            ["statements"] = statements,
        };
    }

    private static JsonObject Vector(string name, string target, string? replacement, AmendmentStatement statement, Vault.Keys.DeviceIdentity author)
    {
        var a = statement.Amendment;
        var signedPart = statement.Encoded.AsSpan(0, statement.Encoded.Length - Ed25519.SignatureSize);
        byte[] message = [.. ProtocolConstants.AmendmentContext, .. signedPart];
        Checks.That(AmendmentCodec.Verify(statement.Encoded, author.PublicKeys).IsSuccess, "amendment statement verifies");
        var decoded = AmendmentCodec.Decode(statement.Encoded).Value!;
        Checks.That(decoded.Amendment.TargetCounter == a.TargetCounter && decoded.Amendment.CreatedAt == a.CreatedAt, "amendment statement decodes");
        return new JsonObject
        {
            ["name"] = name,
            ["author"] = "bob",
            ["review_id"] = a.Review.ToString("D"),
            ["channel"] = a.Channel.Value,
            ["action"] = (int)a.Action,
            ["target_envelope"] = target,
            ["target_envelope_id"] = Json.Hex(a.TargetEnvelopeId.Span),
            ["target_counter"] = a.TargetCounter,
            ["replacement_envelope"] = replacement,
            ["replacement_envelope_id"] = Json.Hex(a.ReplacementEnvelopeId.Span),
            ["replacement_counter"] = a.ReplacementCounter,
            ["created_at_ms"] = a.CreatedAt.ToUnixTimeMilliseconds(),
            ["author_device_id"] = a.Author.ToString(),
            ["signed_part"] = Json.Hex(signedPart),
            ["signed_message"] = Json.Hex(message),
            ["signature"] = Json.Hex(statement.Encoded.AsSpan(statement.Encoded.Length - Ed25519.SignatureSize)),
            ["statement"] = Json.Hex(statement.Encoded),
        };
    }
}
