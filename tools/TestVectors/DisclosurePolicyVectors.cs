using System.Text.Json.Nodes;
using SecureDialogue.Vault;
using SecureDialogue.Vault.Primitives;
using SecureDialogue.Vault.Reviews;

namespace SecureDialogue.TestVectors;

/// <summary>Disclosure policy statements (docs/protocol.md section 19) signed by carol's device (Ed25519 is deterministic).</summary>
internal static class DisclosurePolicyVectors
{
    public static JsonObject Build()
    {
        var statements = new JsonArray();
        var cases = new (string Name, DisclosurePolicy Policy)[]
        {
            ("per-state-no-content", new DisclosurePolicy(Fixtures.Review, 1, MetadataLevel.PerState, [], DateTimeOffset.FromUnixTimeSeconds(1_790_000_000))),
            ("per-person-dialogue-content", new DisclosurePolicy(Fixtures.Review, 2, MetadataLevel.PerPerson, ["dialogue"], DateTimeOffset.FromUnixTimeSeconds(1_790_086_400))),
            ("counts-only-two-channels", new DisclosurePolicy(Fixtures.Review, 3, MetadataLevel.CountsOnly, ["dialogue", "reviewers"], DateTimeOffset.FromUnixTimeSeconds(1_790_172_800))),
        };
        using var carol = Fixtures.Identity("carol");
        foreach (var (name, policy) in cases)
        {
            var statement = DisclosurePolicyCodec.Sign(policy, carol);
            var body = statement.Encoded.AsSpan(0, statement.Encoded.Length - Ed25519.SignatureSize);
            byte[] signed = [.. ProtocolConstants.DisclosurePolicyContext, .. body];
            Checks.That(DisclosurePolicyCodec.Verify(statement.Encoded, carol.PublicKeys).IsSuccess, "policy statement verifies");
            statements.Add(new JsonObject
            {
                ["name"] = name,
                ["signer"] = "carol",
                ["review_id"] = policy.ReviewId.ToString("D"),
                ["policy_version"] = policy.Version,
                ["metadata_level"] = (int)policy.Metadata,
                ["content_channels"] = new JsonArray([.. policy.ContentChannels.Select(c => (JsonNode)c)]),
                ["issued_at"] = policy.IssuedAt.ToUnixTimeSeconds(),
                ["signer_device_id"] = carol.Id.ToString(),
                ["signed_message"] = Json.Hex(signed),
                ["statement"] = Json.Hex(statement.Encoded),
            });
        }

        return new JsonObject
        {
            ["description"] = "Disclosure policy statements of docs/protocol.md section 19, signed by the device 'carol' of devices.json.",
            ["statements"] = statements,
        };
    }
}
