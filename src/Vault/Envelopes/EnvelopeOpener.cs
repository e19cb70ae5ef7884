using System.Buffers;
using System.Security.Cryptography;
using SecureDialogue.Vault.Channels;
using SecureDialogue.Vault.Merkle;
using SecureDialogue.Vault.Primitives;

namespace SecureDialogue.Vault.Envelopes;

/// <summary>
/// Opens envelopes for a member: context check, sender membership in the envelope's epoch (from the signed
/// epoch record, not from the server), signature, decryption, padding and commitment. Any cryptographic
/// failure is <see cref="EnvelopeError.Invalid"/>, and no plaintext is released or kept.
/// </summary>
public static class EnvelopeOpener
{
    /// <summary>Decodes and opens an envelope delivered in the keyring's channel.</summary>
    /// <param name="encoded">The envelope's bytes.</param>
    /// <param name="keyring">This device's keys for the channel, over its verified epoch chain.</param>
    /// <param name="historical">
    /// True only for items the log places before the chain's current epoch began (catch-up of history); then a
    /// sender removed since may still be read. New deliveries pass false.
    /// </param>
    public static Result<OpenedEnvelope, EnvelopeError> Open(ReadOnlyMemory<byte> encoded, ChannelKeyring keyring, bool historical = false)
    {
        var decoded = Envelope.Decode(encoded);
        return decoded.IsSuccess ? Open(decoded.Value, keyring, historical) : decoded.Error;
    }

    /// <summary>Opens an envelope delivered in the keyring's channel.</summary>
    /// <param name="envelope">The decoded envelope.</param>
    /// <param name="keyring">This device's keys for the channel, over its verified epoch chain.</param>
    /// <param name="historical">True only for items the log places before the current epoch began.</param>
    public static Result<OpenedEnvelope, EnvelopeError> Open(Envelope envelope, ChannelKeyring keyring, bool historical = false)
    {
        var header = envelope.Header;
        var chain = keyring.Chain;
        if (header.Review != chain.Review || header.Channel != chain.Channel)
        {
            return EnvelopeError.WrongContext;
        }

        if (header.Epoch >= chain.Records.Count)
        {
            return EnvelopeError.UnknownEpoch;
        }

        var sender = chain.Records[(int)header.Epoch].FindMember(header.Sender);
        if (sender is null)
        {
            return EnvelopeError.UnknownSender;
        }

        // A removed member still holds the old epoch's key; it must not be able to keep posting with it.
        if (!historical && chain.Current is { } current && header.Epoch < current.Epoch && current.FindMember(header.Sender) is null)
        {
            return EnvelopeError.SenderRemoved;
        }

        var key = keyring.Find(header.Epoch);
        if (key is null)
        {
            return EnvelopeError.UnknownEpoch;
        }

        var headerBytes = envelope.HeaderBytes.Span;
        var ciphertext = envelope.Ciphertext.Span;
        Span<byte> signed = stackalloc byte[Envelope.MaxSignedMessageLength];
        if (!Ed25519.Verify(sender.Device.SigningKey, Envelope.WriteSignedMessage(headerBytes, ciphertext, signed), envelope.Signature.Span))
        {
            return EnvelopeError.Invalid;
        }

        var buffer = ArrayPool<byte>.Shared.Rent(header.PaddedLength);
        var plaintext = buffer.AsSpan(0, header.PaddedLength);
        try
        {
            if (!XChaCha20Poly1305.TryDecrypt(key.EnvelopeKey, header.Nonce.Span, headerBytes, ciphertext, plaintext))
            {
                return EnvelopeError.Invalid;
            }

            var parsed = EnvelopePlaintext.TryRead(plaintext, header.SegmentCount);

            // Canonical padding: the padded length must be exactly Padmé of the content, as the sealer makes it.
            if (parsed is not { } body || Padding.PaddedLength(EnvelopePlaintext.UnpaddedLength(body.Segments)) != header.PaddedLength)
            {
                return EnvelopeError.Invalid;
            }

            Span<byte> root = stackalloc byte[MerkleHash.Size];
            SegmentCommitments.Root(body.SaltKey, body.Segments, root);
            if (!CryptographicOperations.FixedTimeEquals(root, header.CommitmentRoot.Span))
            {
                return EnvelopeError.Invalid;
            }

            return new OpenedEnvelope(envelope, sender.Device, body.Segments, body.SaltKey);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
