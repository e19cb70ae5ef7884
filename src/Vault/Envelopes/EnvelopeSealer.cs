using System.Buffers;
using System.Security.Cryptography;
using SecureDialogue.Vault.Channels;
using SecureDialogue.Vault.Keys;
using SecureDialogue.Vault.Primitives;
using SecureDialogue.Vault.Wire;

namespace SecureDialogue.Vault.Envelopes;

/// <summary>
/// Seals a draft into an envelope: commit to the segments, pad, encrypt under the epoch's envelope key
/// with the header as associated data, sign with the sender device. The nonce is
/// <c>BLAKE2b-192(key = envelope key, personal "sdlg.env.nonce", sender || counter || message id || 32 random bytes)</c>,
/// unique by construction even if the random bytes were not.
/// </summary>
public static class EnvelopeSealer
{
    /// <summary>The largest plaintext (encoded segments) one envelope carries before padding.</summary>
    public const int MaxPlaintextLength = Padding.MaxPaddedLength;

    /// <summary>The encoded plaintext length of <paramref name="segments"/>, to check against <see cref="MaxPlaintextLength"/>.</summary>
    public static int PlaintextLength(IReadOnlyList<Segment> segments) => EnvelopePlaintext.UnpaddedLength(segments);

    /// <summary>Seals <paramref name="draft"/> as message number <paramref name="counter"/> of <paramref name="sender"/> in the channel.</summary>
    /// <exception cref="ArgumentException">The draft does not fit the key's context, has no or too many segments, or is too large.</exception>
    public static Envelope Seal(DeviceIdentity sender, EpochKey key, ulong counter, EnvelopeDraft draft, DateTimeOffset createdAt) =>
        Seal(sender, key, counter, draft, createdAt, RandomSource.Default);

    internal static Envelope Seal(DeviceIdentity sender, EpochKey key, ulong counter, EnvelopeDraft draft, DateTimeOffset createdAt, IRandomSource random)
    {
        Validate(key, counter, draft, createdAt);
        var plaintextLength = EnvelopePlaintext.UnpaddedLength(draft.Segments);
        var paddedLength = Padding.PaddedLength(plaintextLength);

        // 32 bytes of salt key, 32 bytes of nonce input: one draw, wiped after use.
        Span<byte> randomBytes = stackalloc byte[64];
        var plaintext = ArrayPool<byte>.Shared.Rent(paddedLength);
        try
        {
            random.Fill(randomBytes);
            var saltKey = randomBytes[..32];
            var messageId = draft.ClientMessageId ?? NewMessageId(random);
            var header = new EnvelopeHeader
            {
                Review = draft.Review,
                Channel = draft.Channel,
                Epoch = key.Epoch,
                Sender = sender.Id,
                Counter = counter,
                ClientMessageId = messageId,
                Kind = draft.Kind,
                Language = draft.Language,
                CreatedAt = DateTimeOffset.FromUnixTimeMilliseconds(createdAt.ToUnixTimeMilliseconds()),
                PaddedLength = paddedLength,
                SegmentCount = draft.Segments.Count,
                CommitmentRoot = SegmentCommitments.Root(saltKey, draft.Segments),
                Nonce = Nonce(key, sender.Id, counter, messageId, randomBytes[32..]),
            };

            var writer = new CanonicalWriter(160);
            header.Write(writer);
            var headerLength = writer.Length;
            var ciphertextLength = paddedLength + XChaCha20Poly1305.TagSize;
            var encoded = new byte[headerLength + 4 + ciphertextLength + Ed25519.SignatureSize];
            writer.WrittenSpan.CopyTo(encoded);
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(encoded.AsSpan(headerLength), (uint)ciphertextLength);

            var body = plaintext.AsSpan(0, paddedLength);
            EnvelopePlaintext.Write(body, saltKey, draft.Segments);
            var ciphertext = encoded.AsSpan(headerLength + 4, ciphertextLength);
            XChaCha20Poly1305.Encrypt(key.EnvelopeKey, header.Nonce.Span, encoded.AsSpan(0, headerLength), body, ciphertext);
            sender.Sign(Envelope.SignedMessage(encoded.AsSpan(0, headerLength), ciphertext), encoded.AsSpan(encoded.Length - Ed25519.SignatureSize));
            return Envelope.FromTrusted(header, encoded, headerLength);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(randomBytes);
            EnvelopePlaintext.Wipe(plaintext.AsSpan(0, paddedLength));
            ArrayPool<byte>.Shared.Return(plaintext);
        }
    }

    private static void Validate(EpochKey key, ulong counter, EnvelopeDraft draft, DateTimeOffset createdAt)
    {
        if (draft.Review != key.Review || draft.Channel != key.Channel)
        {
            throw new ArgumentException("The draft is for another review or channel than the epoch key.", nameof(draft));
        }

        if (createdAt.ToUnixTimeMilliseconds() < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(createdAt), "Items are dated after 1970.");
        }

        if (counter == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(counter), "Counters start at 1.");
        }

        if (draft.Segments.Count is 0 or > EnvelopeHeader.MaxSegments)
        {
            throw new ArgumentException($"An item has 1 to {EnvelopeHeader.MaxSegments} segments.", nameof(draft));
        }

        if (!Enum.IsDefined(draft.Kind) || draft.Language.Value is null)
        {
            throw new ArgumentException("The draft's kind or language is not set.", nameof(draft));
        }

        if (EnvelopePlaintext.UnpaddedLength(draft.Segments) > MaxPlaintextLength)
        {
            throw new ArgumentException($"The item is larger than {MaxPlaintextLength} bytes; send long documents as attachments.", nameof(draft));
        }
    }

    private static Guid NewMessageId(IRandomSource random)
    {
        Span<byte> bytes = stackalloc byte[16];
        random.Fill(bytes);
        bytes[6] = (byte)((bytes[6] & 0x0f) | 0x40);  // RFC 9562 version 4
        bytes[8] = (byte)((bytes[8] & 0x3f) | 0x80);
        return new Guid(bytes, bigEndian: true);
    }

    private static byte[] Nonce(EpochKey key, DeviceId sender, ulong counter, Guid messageId, ReadOnlySpan<byte> randomPart)
    {
        Span<byte> input = stackalloc byte[16 + 8 + 16 + 32];
        sender.Bytes.CopyTo(input);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(input[16..], counter);
        _ = messageId.TryWriteBytes(input[24..], bigEndian: true, out _);
        randomPart.CopyTo(input[40..]);
        var nonce = new byte[XChaCha20Poly1305.NonceSize];
        Blake2b.KeyedHash(key.EnvelopeKey, ProtocolConstants.EnvelopeNoncePersonal, input, nonce);
        return nonce;
    }
}
