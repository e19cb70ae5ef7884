using System.Buffers.Binary;
using System.Text.Json.Nodes;
using SecureDialogue.Vault;
using SecureDialogue.Vault.Envelopes;
using SecureDialogue.Vault.Merkle;
using SecureDialogue.Vault.Primitives;

namespace SecureDialogue.TestVectors;

internal static class EnvelopeVectors
{
    public static JsonObject Build()
    {
        var envelopes = new JsonArray();
        foreach (var spec in Fixtures.Envelopes)
        {
            envelopes.Add(Build(spec));
        }

        return new JsonObject
        {
            ["description"] = "Envelopes sealed with EnvelopeSealer.Seal from fixed inputs: the sender's seeds (devices.json), a fixed epoch key (the key of that epoch in epoch-records.json), a fixed ClientMessageId and time, and 64 replayed random bytes (salt key || nonce randomness). Every intermediate is listed.",
            ["review"] = Fixtures.Review.ToString(),
            ["channel"] = Fixtures.Channel.Value,
            ["envelopes"] = envelopes,
        };
    }

    internal static Envelope Seal(EnvelopeSpec spec)
    {
        using var sender = Fixtures.Identity(spec.Sender);
        using var key = Fixtures.EpochKey(spec.Epoch);
        var random = new ReplayRandom(spec.Random);
        var envelope = EnvelopeSealer.Seal(sender, key, spec.Counter, Draft(spec), spec.CreatedAt, random);
        random.AssertConsumed();
        return envelope;
    }

    private static EnvelopeDraft Draft(EnvelopeSpec spec) => new()
    {
        Review = Fixtures.Review,
        Channel = Fixtures.Channel,
        Kind = spec.Kind,
        Language = spec.Language,
        Segments = spec.Segments,
        ClientMessageId = spec.ClientMessageId,
    };

    private static JsonObject Build(EnvelopeSpec spec)
    {
        using var sender = Fixtures.Identity(spec.Sender);
        using var key = Fixtures.EpochKey(spec.Epoch);
        var envelope = Seal(spec);
        var header = envelope.Header;
        var headerBytes = envelope.HeaderBytes.ToArray();
        var ciphertext = envelope.Ciphertext.ToArray();

        var bodyKey = new byte[32];
        key.EnvelopeKey.Export(bodyKey);
        var expectedBodyKey = new byte[32];
        Blake2b.KeyedHash(Fixtures.Epochs[spec.Epoch].Key, ProtocolConstants.EnvelopeKeyPersonal, [], expectedBodyKey);
        Checks.Equal(expectedBodyKey, bodyKey, "body key");

        var saltKey = spec.Random.AsSpan(0, 32).ToArray();
        var nonceRandom = spec.Random.AsSpan(32, 32).ToArray();

        // Segments: salt, leaf data, leaf hash.
        var segments = new JsonArray();
        var leafHashes = SegmentCommitments.LeafHashes(saltKey, spec.Segments);
        for (var i = 0; i < spec.Segments.Length; i++)
        {
            var segment = spec.Segments[i];
            var salt = SegmentCommitments.Salt(saltKey, i);
            var content = segment.Content.ToArray();
            var leafData = new byte[2 + 1 + 32 + 4 + content.Length];
            BinaryPrimitives.WriteUInt16BigEndian(leafData, (ushort)i);
            leafData[2] = (byte)segment.Kind;
            salt.CopyTo(leafData, 3);
            BinaryPrimitives.WriteUInt32BigEndian(leafData.AsSpan(35), (uint)content.Length);
            content.CopyTo(leafData, 39);
            Checks.Equal(MerkleHash.Leaf(leafData), leafHashes[i], $"leaf {i}");

            var item = new JsonObject
            {
                ["index"] = i,
                ["kind"] = (int)segment.Kind,
                ["kind_name"] = segment.Kind.ToString(),
            };
            if (segment.QuestionReference is { } reference)
            {
                item["question_reference"] = reference;
            }

            if (segment.TextContent is { } text)
            {
                item["text"] = text;
            }

            item["content"] = Json.Hex(content);
            item["salt"] = Json.Hex(salt);
            item["leaf_data"] = Json.Hex(leafData);
            item["leaf_hash"] = Json.Hex(leafHashes[i]);
            segments.Add(item);
        }

        var root = MerkleTree.Root(leafHashes);
        Checks.Equal(root, header.CommitmentRoot.Span, "commitment root");

        // Nonce.
        var nonceInput = new byte[16 + 8 + 16 + 32];
        sender.Id.Bytes.CopyTo(nonceInput);
        BinaryPrimitives.WriteUInt64BigEndian(nonceInput.AsSpan(16), spec.Counter);
        spec.ClientMessageId.TryWriteBytes(nonceInput.AsSpan(24), bigEndian: true, out _);
        nonceRandom.CopyTo(nonceInput, 40);
        var nonce = new byte[24];
        Blake2b.KeyedHash(bodyKey, ProtocolConstants.EnvelopeNoncePersonal, nonceInput, nonce);
        Checks.Equal(nonce, header.Nonce.Span, "nonce");

        // Plaintext: built here, and compared with what the ciphertext decrypts to.
        var plaintextLength = 1 + 32 + 2 + spec.Segments.Sum(s => 5 + s.Content.Length);
        var paddedLength = Padding.PaddedLength(plaintextLength);
        var plaintext = new byte[paddedLength];
        plaintext[0] = EnvelopePlaintext.Version;
        saltKey.CopyTo(plaintext, 1);
        BinaryPrimitives.WriteUInt16BigEndian(plaintext.AsSpan(33), (ushort)spec.Segments.Length);
        var offset = 35;
        foreach (var segment in spec.Segments)
        {
            plaintext[offset] = (byte)segment.Kind;
            BinaryPrimitives.WriteUInt32BigEndian(plaintext.AsSpan(offset + 1), (uint)segment.Content.Length);
            segment.Content.Span.CopyTo(plaintext.AsSpan(offset + 5));
            offset += 5 + segment.Content.Length;
        }

        Checks.That(offset == plaintextLength && header.PaddedLength == paddedLength, "plaintext length");
        var decrypted = new byte[paddedLength];
        Checks.That(XChaCha20Poly1305.TryDecrypt(key.EnvelopeKey, nonce, headerBytes, ciphertext, decrypted), "ciphertext decrypts");
        Checks.Equal(plaintext, decrypted, "plaintext");

        // Signature.
        var ciphertextHash = new byte[32];
        Blake2b.Hash(ProtocolConstants.CiphertextHashPersonal, ciphertext, ciphertextHash);
        byte[] signedMessage = [.. ProtocolConstants.EnvelopeContext, .. headerBytes, .. ciphertextHash];
        var signedBuffer = new byte[Envelope.MaxSignedMessageLength];
        Checks.Equal(Envelope.WriteSignedMessage(headerBytes, ciphertext, signedBuffer).ToArray(), signedMessage, "signed message");
        Checks.That(Ed25519.Verify(sender.PublicKeys.SigningKey, signedMessage, envelope.Signature.Span), "signature");

        var encoded = envelope.Encoded.ToArray();
        var lengthPrefix = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(lengthPrefix, (uint)ciphertext.Length);
        Checks.Equal([.. headerBytes, .. lengthPrefix, .. ciphertext, .. envelope.Signature.Span], encoded, "envelope layout");
        var id = new byte[32];
        Blake2b.Hash(ProtocolConstants.EnvelopeIdPersonal, encoded, id);
        Checks.Equal(envelope.ComputeId(), id, "envelope id");
        Checks.That(Envelope.Decode(encoded).IsSuccess, "envelope decodes");

        return new JsonObject
        {
            ["name"] = spec.Name,
            ["inputs"] = new JsonObject
            {
                ["sender"] = spec.Sender,
                ["sender_device_id"] = sender.Id.ToString(),
                ["review"] = Fixtures.Review.ToString(),
                ["channel"] = Fixtures.Channel.Value,
                ["epoch"] = spec.Epoch,
                ["epoch_key"] = Json.Hex(Fixtures.Epochs[spec.Epoch].Key),
                ["counter"] = spec.Counter,
                ["client_message_id"] = spec.ClientMessageId.ToString(),
                ["kind"] = (int)spec.Kind,
                ["kind_name"] = spec.Kind.ToString(),
                ["language"] = spec.Language.Value,
                ["created_at"] = spec.CreatedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture),
                ["created_at_ms"] = spec.CreatedAt.ToUnixTimeMilliseconds(),
                ["random"] = Json.Hex(spec.Random),
            },
            ["body_key"] = Json.Hex(bodyKey),
            ["salt_key"] = Json.Hex(saltKey),
            ["segments"] = segments,
            ["commitment_root"] = Json.Hex(root),
            ["nonce_random"] = Json.Hex(nonceRandom),
            ["nonce_input"] = Json.Hex(nonceInput),
            ["nonce"] = Json.Hex(nonce),
            ["header_fields"] = HeaderFields(headerBytes, Fixtures.Channel.Value.Length, spec.Language.Value.Length),
            ["header"] = Json.Hex(headerBytes),
            ["plaintext_length"] = plaintextLength,
            ["padded_length"] = paddedLength,
            ["plaintext"] = Json.Hex(plaintext),
            ["ciphertext"] = Json.Hex(ciphertext),
            ["ciphertext_hash"] = Json.Hex(ciphertextHash),
            ["signed_message"] = Json.Hex(signedMessage),
            ["signature"] = Json.Hex(envelope.Signature.Span),
            ["envelope"] = Json.Hex(encoded),
            ["envelope_id"] = Json.Hex(id),
        };
    }

    private static JsonArray HeaderFields(byte[] header, int channelLength, int languageLength)
    {
        var layout = new (string Name, int Size)[]
        {
            ("version", 1), ("suite", 1), ("review", 16), ("channel_length", 1), ("channel", channelLength), ("epoch", 4), ("sender", 16),
            ("counter", 8), ("client_message_id", 16), ("kind", 1), ("language_length", 1), ("language", languageLength), ("created_at_ms", 8),
            ("padded_length", 4), ("segment_count", 2), ("commitment_root", 32), ("nonce", 24),
        };
        var fields = new JsonArray();
        var offset = 0;
        foreach (var (name, size) in layout)
        {
            fields.Add(new JsonObject { ["field"] = name, ["offset"] = offset, ["size"] = size, ["hex"] = Json.Hex(header.AsSpan(offset, size)) });
            offset += size;
        }

        Checks.That(offset == header.Length, "header field layout");
        return fields;
    }
}
