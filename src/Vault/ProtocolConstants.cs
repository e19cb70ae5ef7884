using System.Text;
using SecureDialogue.Vault.Primitives;

namespace SecureDialogue.Vault;

/// <summary>
/// Versions, suite identifiers and every domain-separation string of protocol v1. docs/protocol.md lists
/// the same values; the test-vector test fails if the two drift apart.
/// </summary>
public static class ProtocolConstants
{
    /// <summary>Wire version of envelopes, epoch records and device cards.</summary>
    public const byte Version = 1;

    /// <summary>
    /// Suite 1: Ed25519, X25519 sealed boxes, XChaCha20-Poly1305-IETF, BLAKE2b, SHA-256 Merkle trees
    /// (RFC 9162), Argon2id v1.3.
    /// </summary>
    public const byte Suite = 1;

    // BLAKE2b personalisations (16 bytes, ASCII right-padded with 0x00).
    internal static readonly byte[] DeviceIdPersonal = Blake2b.Personal("sdlg.device.id");
    internal static readonly byte[] FingerprintPersonal = Blake2b.Personal("sdlg.fingerprint");
    internal static readonly byte[] CiphertextHashPersonal = Blake2b.Personal("sdlg.ct.hash");
    internal static readonly byte[] EnvelopeKeyPersonal = Blake2b.Personal("sdlg.env.key");
    internal static readonly byte[] EnvelopeNoncePersonal = Blake2b.Personal("sdlg.env.nonce");
    internal static readonly byte[] SegmentSaltPersonal = Blake2b.Personal("sdlg.seg.salt");
    internal static readonly byte[] EpochKeyCommitmentPersonal = Blake2b.Personal("sdlg.epoch.cmt");
    internal static readonly byte[] EpochRecordHashPersonal = Blake2b.Personal("sdlg.epoch.hash");
    internal static readonly byte[] EnvelopeIdPersonal = Blake2b.Personal("sdlg.env.id");
    internal static readonly byte[] AttachmentCiphertextHashPersonal = Blake2b.Personal("sdlg.att.hash");
    internal static readonly byte[] AttachmentPlaintextHashPersonal = Blake2b.Personal("sdlg.att.plain");
    internal static readonly byte[] CardHashPersonal = Blake2b.Personal("sdlg.card.hash");
    internal static readonly byte[] TrustStatementHashPersonal = Blake2b.Personal("sdlg.trust.hash");

    // Ed25519 signature contexts: ASCII followed by one 0x00, prepended to the signed bytes.
    internal static readonly byte[] DeviceCardContext = Context("SecureDialogue/device-card/v1");
    internal static readonly byte[] EnvelopeContext = Context("SecureDialogue/envelope/v1");
    internal static readonly byte[] EpochRecordContext = Context("SecureDialogue/epoch-record/v1");
    internal static readonly byte[] PublicationContext = Context("SecureDialogue/publication/v1");
    internal static readonly byte[] DisclosurePolicyContext = Context("SecureDialogue/disclosure-policy/v1");
    internal static readonly byte[] DeviceCertificateContext = Context("SecureDialogue/device-certificate/v1");
    internal static readonly byte[] DeviceRevocationContext = Context("SecureDialogue/device-revocation/v1");
    internal static readonly byte[] AmendmentContext = Context("SecureDialogue/amendment/v1");

    // Associated data prefix of the key store's AEAD (followed by the file header).
    internal static readonly byte[] KeyStoreContext = Context("SecureDialogue/key-store/v1");

    // Associated data prefix of an attachment's final secretstream chunk (followed by name, type and length).
    internal static readonly byte[] AttachmentContext = Context("SecureDialogue/attachment/v1");

    // Prefix of the sealed box that keeps an unfinished upload's file key and header on the uploading device.
    internal static readonly byte[] AttachmentResumeContext = Context("SecureDialogue/attachment-resume/v1");

    private static byte[] Context(string ascii)
    {
        var bytes = new byte[ascii.Length + 1];
        Encoding.ASCII.GetBytes(ascii, bytes);
        return bytes;
    }
}
