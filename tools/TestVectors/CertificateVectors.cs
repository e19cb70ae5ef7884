using System.Text.Json.Nodes;
using SecureDialogue.Vault;
using SecureDialogue.Vault.Certification;
using SecureDialogue.Vault.Primitives;

namespace SecureDialogue.TestVectors;

/// <summary>
/// Device certificates and revocations (docs/protocol.md, "Device certificates"): alice, focal point of AUT, publishes
/// her root statement, certifies bob as an expert, then revokes bob's device as lost. Ed25519 is deterministic, so
/// every byte is reproducible from the fixed seeds.
/// </summary>
internal static class CertificateVectors
{
    private const string State = "AUT";
    private static readonly DateTimeOffset IssuedAt = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);
    private static readonly Guid AliceAccount = Guid.Parse("6f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0");
    private static readonly Guid BobAccount = Guid.Parse("0a1b2c3d-4e5f-4061-8273-94a5b6c7d8e9");

    public static JsonObject Build()
    {
        using var alice = Fixtures.Identity("alice");
        using var bob = Fixtures.Identity("bob");
        var root = TrustStatementBuilder.Root(alice, Fixtures.Review, State, AliceAccount, 1, IssuedAt, "NV/AUT/2026/17");
        var certificate = TrustStatementBuilder.Certify(alice, Fixtures.Review, State, bob.PublicKeys, BobAccount, CertifiedRole.Expert,
            CertificateFlags.History, 2, IssuedAt.AddMinutes(5), "NV/AUT/2026/18");
        var revocation = TrustStatementBuilder.Revoke(alice, Fixtures.Review, State, bob.Id, BobAccount, RevocationReason.Lost, 3, IssuedAt.AddDays(30));

        var statements = new JsonArray();
        foreach (var (name, statement, context) in new[]
        {
            ("root", root, ProtocolConstants.DeviceCertificateContext),
            ("certificate", certificate, ProtocolConstants.DeviceCertificateContext),
            ("revocation", revocation, ProtocolConstants.DeviceRevocationContext),
        })
        {
            byte[] signedMessage = [.. context, .. statement.SignedPart.Span];
            Checks.That(Ed25519.Verify(alice.PublicKeys.SigningKey, signedMessage, statement.Signature.Span), $"{name} signature");
            var hash = new byte[32];
            Blake2b.Hash(ProtocolConstants.TrustStatementHashPersonal, statement.Encoded.Span, hash);
            Checks.Equal(hash, statement.Hash.ToArray(), $"{name} hash");
            statements.Add(new JsonObject
            {
                ["name"] = name,
                ["kind"] = (int)statement.Kind,
                ["review"] = Fixtures.Review.ToString(),
                ["state"] = statement.StateCode,
                ["certifier"] = "alice",
                ["certifier_device"] = statement.Certifier.ToString(),
                ["sequence"] = statement.Sequence,
                ["issued_at_ms"] = statement.IssuedAt.ToUnixTimeMilliseconds(),
                ["subject"] = statement.Subject == alice.Id ? "alice" : "bob",
                ["subject_device"] = statement.Subject.ToString(),
                ["subject_account"] = statement.SubjectAccount.ToString(),
                ["subject_card_hash"] = statement.Kind == TrustStatementKind.Certificate ? Json.Hex(statement.SubjectCardHash.Span) : null,
                ["role"] = statement.Kind == TrustStatementKind.Certificate ? (int)statement.Role : null,
                ["flags"] = statement.Kind == TrustStatementKind.Certificate ? (int)statement.Flags : null,
                ["reason"] = statement.Kind == TrustStatementKind.Revocation ? (int)statement.Reason : null,
                ["reference"] = statement.Reference,
                ["signed_part"] = Json.Hex(statement.SignedPart.Span),
                ["signed_message"] = Json.Hex(signedMessage),
                ["signature"] = Json.Hex(statement.Signature.Span),
                ["encoded"] = Json.Hex(statement.Encoded.Span),
                ["hash"] = Json.Hex(hash),
            });
        }

        return new JsonObject
        {
            ["description"] = "Device certificates and revocations (docs/protocol.md, Device certificates); devices from devices.json",
            ["statements"] = statements,
        };
    }
}
