using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using SecureDialogue.Vault.Channels;
using SecureDialogue.Vault.Keys;
using SecureDialogue.Vault.Merkle;
using SecureDialogue.Vault.Primitives;

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

        // Layout of the output, computed up front so that everything is written in place into the one array
        // that is returned: header || u32 ciphertext length || ciphertext || signature.
        var headerLength = EnvelopeHeader.EncodedLength(draft.Channel, draft.Language);
        var ciphertextLength = paddedLength + XChaCha20Poly1305.TagSize;
        var encoded = GC.AllocateUninitializedArray<byte>(headerLength + 4 + ciphertextLength + Ed25519.SignatureSize);
        var rootOffset = headerLength - EnvelopeHeader.CommitmentRootOffsetFromEnd;
        var nonceOffset = rootOffset + MerkleHash.Size;

        // 32 bytes of salt key, 32 bytes of nonce input: one draw, wiped after use.
        Span<byte> randomBytes = stackalloc byte[64];
        var plaintext = ArrayPool<byte>.Shared.Rent(paddedLength);
        try
        {
            random.Fill(randomBytes);
            var saltKey = randomBytes[..32];
            var messageId = draft.ClientMessageId ?? NewMessageId(random);

            // The commitment root and the nonce are derived straight into their places in the header.
            SegmentCommitments.Root(saltKey, draft.Segments, encoded.AsSpan(rootOffset, MerkleHash.Size));
            WriteNonce(key, sender.Id, counter, messageId, randomBytes[32..], encoded.AsSpan(nonceOffset, XChaCha20Poly1305.NonceSize));
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
                CommitmentRoot = encoded.AsMemory(rootOffset, MerkleHash.Size),
                Nonce = encoded.AsMemory(nonceOffset, XChaCha20Poly1305.NonceSize),
            };

            var headerBytes = encoded.AsSpan(0, headerLength);
            header.Write(headerBytes);
            BinaryPrimitives.WriteUInt32BigEndian(encoded.AsSpan(headerLength), (uint)ciphertextLength);

            var body = plaintext.AsSpan(0, paddedLength);
            EnvelopePlaintext.Write(body, saltKey, draft.Segments);
            var ciphertext = encoded.AsSpan(headerLength + 4, ciphertextLength);
            XChaCha20Poly1305.Encrypt(key.EnvelopeKey, header.Nonce.Span, headerBytes, body, ciphertext);

            Span<byte> signed = stackalloc byte[Envelope.MaxSignedMessageLength];
            sender.Sign(Envelope.WriteSignedMessage(headerBytes, ciphertext, signed), encoded.AsSpan(encoded.Length - Ed25519.SignatureSize));
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

    private static void WriteNonce(EpochKey key, DeviceId sender, ulong counter, Guid messageId, ReadOnlySpan<byte> randomPart, Span<byte> nonce)
    {
        Span<byte> input = stackalloc byte[16 + 8 + 16 + 32];
        sender.Bytes.CopyTo(input);
        BinaryPrimitives.WriteUInt64BigEndian(input[16..], counter);
        _ = messageId.TryWriteBytes(input[24..], bigEndian: true, out _);
        randomPart.CopyTo(input[40..]);
        Blake2b.KeyedHash(key.EnvelopeKey, ProtocolConstants.EnvelopeNoncePersonal, input, nonce);
        CryptographicOperations.ZeroMemory(input);
    }
}
