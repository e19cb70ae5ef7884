using System.Text;
using System.Text.Json.Nodes;
using SecureDialogue.Vault;
using SecureDialogue.Vault.Envelopes;
using SecureDialogue.Vault.Keys.Store;

namespace SecureDialogue.TestVectors;

internal static class ConstantVectors
{
    public static JsonObject Build() => new()
    {
        ["description"] = "Version and suite bytes, every BLAKE2b personalisation (16 bytes, ASCII right-padded with 0x00) and every signature context (ASCII followed by one 0x00) of protocol v1, suite 1.",
        ["version"] = ProtocolConstants.Version,
        ["suite"] = ProtocolConstants.Suite,
        ["blake2b_personalisations"] = new JsonArray(
            Personal("device_id", ProtocolConstants.DeviceIdPersonal, "device id: BLAKE2b-128(signing key || agreement key)"),
            Personal("fingerprint", ProtocolConstants.FingerprintPersonal, "device fingerprint: BLAKE2b-240(version || signing key || agreement key)"),
            Personal("ciphertext_hash", ProtocolConstants.CiphertextHashPersonal, "BLAKE2b-256 of an envelope ciphertext inside the signed message"),
            Personal("envelope_key", ProtocolConstants.EnvelopeKeyPersonal, "envelope body key: BLAKE2b-256 keyed with the epoch key, empty input"),
            Personal("envelope_nonce", ProtocolConstants.EnvelopeNoncePersonal, "envelope nonce: BLAKE2b-192 keyed with the body key"),
            Personal("segment_salt", ProtocolConstants.SegmentSaltPersonal, "segment salt: BLAKE2b-256 keyed with the salt key over u16 index"),
            Personal("epoch_key_commitment", ProtocolConstants.EpochKeyCommitmentPersonal, "epoch key commitment: BLAKE2b-256 keyed with the epoch key"),
            Personal("epoch_record_hash", ProtocolConstants.EpochRecordHashPersonal, "epoch record hash: BLAKE2b-256 of the whole record"),
            Personal("envelope_id", ProtocolConstants.EnvelopeIdPersonal, "envelope id: BLAKE2b-256 of the whole envelope"),
            Personal("attachment_ciphertext_hash", ProtocolConstants.AttachmentCiphertextHashPersonal, "attachment ciphertext hash (blob id): BLAKE2b-256 of the whole ciphertext"),
            Personal("attachment_plaintext_hash", ProtocolConstants.AttachmentPlaintextHashPersonal, "attachment plaintext hash: BLAKE2b-256 of the unpadded plaintext"),
            Personal("card_hash", ProtocolConstants.CardHashPersonal, "device card hash bound by a certificate: BLAKE2b-256 of the 130-byte card"),
            Personal("trust_statement_hash", ProtocolConstants.TrustStatementHashPersonal, "trust statement hash: BLAKE2b-256 of the whole statement")),
        ["signature_contexts"] = new JsonArray(
            Context("device_card", ProtocolConstants.DeviceCardContext, "device card self-signature"),
            Context("envelope", ProtocolConstants.EnvelopeContext, "envelope signature"),
            Context("epoch_record", ProtocolConstants.EpochRecordContext, "epoch record signature"),
            Context("publication", ProtocolConstants.PublicationContext, "publisher signature of a publication record"),
            Context("disclosure_policy", ProtocolConstants.DisclosurePolicyContext, "disclosure policy statement signature of a focal point's device"),
            Context("device_certificate", ProtocolConstants.DeviceCertificateContext, "device certificate signature (focal point)"),
            Context("device_revocation", ProtocolConstants.DeviceRevocationContext, "device revocation signature (focal point)"),
            Context("amendment", ProtocolConstants.AmendmentContext, "amendment statement signature: an author's correction or retraction of its envelope")),
        ["associated_data_prefixes"] = new JsonArray(
            Context("key_store", ProtocolConstants.KeyStoreContext, "key store AEAD associated data, followed by the file header"),
            Context("attachment", ProtocolConstants.AttachmentContext, "associated data of an attachment's final secretstream chunk, followed by name, media type and length")),
        ["key_store"] = new JsonObject
        {
            ["magic"] = Json.Hex(KeyStoreFile.Magic),
            ["format_version"] = KeyStoreFile.FormatVersion,
            ["kdf_argon2id13"] = KeyStoreFile.KdfArgon2id13,
            ["payload_version"] = KeyStoreFile.PayloadVersion,
        },
        ["envelope_plaintext_version"] = EnvelopePlaintext.Version,
    };

    private static JsonObject Personal(string name, byte[] bytes, string purpose) => new()
    {
        ["name"] = name,
        ["ascii"] = Encoding.ASCII.GetString(bytes).TrimEnd('\0'),
        ["hex"] = Json.Hex(bytes),
        ["purpose"] = purpose,
    };

    private static JsonObject Context(string name, byte[] bytes, string purpose) => new()
    {
        ["name"] = name,
        ["ascii"] = Encoding.ASCII.GetString(bytes.AsSpan(0, bytes.Length - 1)),
        ["hex"] = Json.Hex(bytes),
        ["purpose"] = purpose,
    };
}
