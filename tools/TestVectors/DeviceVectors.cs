using System.Text.Json.Nodes;
using SecureDialogue.Vault;
using SecureDialogue.Vault.Keys;
using SecureDialogue.Vault.Primitives;

namespace SecureDialogue.TestVectors;

internal static class DeviceVectors
{
    public static JsonObject Build()
    {
        var devices = new JsonArray();
        foreach (var seeds in Fixtures.Devices)
        {
            using var identity = Fixtures.Identity(seeds.Name);
            var card = identity.PublicKeys;
            var encoded = card.Encode();
            Checks.That(encoded.Length == DevicePublicKeys.EncodedSize, "card size");

            byte[] idInput = [.. card.SigningKey, .. card.AgreementKey];
            var id = new byte[DeviceId.Size];
            Blake2b.Hash(ProtocolConstants.DeviceIdPersonal, idInput, id);
            Checks.Equal(id, identity.Id.Bytes, "device id");

            byte[] signedMessage = [.. ProtocolConstants.DeviceCardContext, .. encoded.AsSpan(0, 66)];
            Checks.That(Ed25519.Verify(card.SigningKey, signedMessage, card.SelfSignature), "card self-signature");
            Checks.That(DevicePublicKeys.Decode(encoded).IsSuccess, "card decodes");

            byte[] fingerprintInput = [ProtocolConstants.Version, .. card.SigningKey, .. card.AgreementKey];
            var fingerprintHash = new byte[30];
            Blake2b.Hash(ProtocolConstants.FingerprintPersonal, fingerprintInput, fingerprintHash);

            devices.Add(new JsonObject
            {
                ["name"] = seeds.Name,
                ["role"] = seeds.Role,
                ["signing_seed"] = Json.Hex(seeds.SigningSeed),
                ["agreement_secret"] = Json.Hex(seeds.AgreementSecret),
                ["signing_public_key"] = Json.Hex(card.SigningKey),
                ["agreement_public_key"] = Json.Hex(card.AgreementKey),
                ["device_id_input"] = Json.Hex(idInput),
                ["device_id"] = identity.Id.ToString(),
                ["card_signed_message"] = Json.Hex(signedMessage),
                ["card_signature"] = Json.Hex(card.SelfSignature),
                ["card"] = Json.Hex(encoded),
                ["fingerprint_input"] = Json.Hex(fingerprintInput),
                ["fingerprint_hash"] = Json.Hex(fingerprintHash),
                ["fingerprint"] = Fingerprint.Of(card),
            });
        }

        var safetyNumbers = new JsonArray();
        foreach (var (a, b) in new[] { ("alice", "bob"), ("alice", "carol"), ("bob", "carol") })
        {
            using var first = Fixtures.Identity(a);
            using var second = Fixtures.Identity(b);
            var number = SafetyNumber.Of(first.PublicKeys, second.PublicKeys);
            Checks.That(number == SafetyNumber.Of(second.PublicKeys, first.PublicKeys), "safety number is symmetric");
            safetyNumbers.Add(new JsonObject { ["a"] = a, ["b"] = b, ["safety_number"] = number });
        }

        return new JsonObject
        {
            ["description"] = "Device keys from fixed seeds (DeviceIdentity.FromSeeds): public keys, device id, the 130-byte device card and its signed message, the 30-digit fingerprint, and safety numbers. The seeds are test values; never use them for anything else.",
            ["devices"] = devices,
            ["safety_numbers"] = safetyNumbers,
        };
    }
}
