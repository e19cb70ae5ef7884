using SecureDialogue.Vault.Keys;
using SecureDialogue.Vault.Primitives;

namespace SecureDialogue.Vault.Envelopes;

/// <summary>
/// Checks an envelope's signature without any key to its content: what the server can and must check
/// before storing an item (the sender's registered card signed exactly these header and ciphertext bytes).
/// </summary>
public static class EnvelopeVerifier
{
    /// <summary>True when <paramref name="sender"/> is the header's sender and its signature verifies.</summary>
    public static bool VerifySignature(Envelope envelope, DevicePublicKeys sender)
    {
        if (sender.Id != envelope.Header.Sender)
        {
            return false;
        }

        Span<byte> signed = stackalloc byte[Envelope.MaxSignedMessageLength];
        var message = Envelope.WriteSignedMessage(envelope.HeaderBytes.Span, envelope.Ciphertext.Span, signed);
        return Ed25519.Verify(sender.SigningKey, message, envelope.Signature.Span);
    }
}
