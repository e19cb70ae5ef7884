using System.Buffers.Binary;
using System.Numerics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using SecureDialogue.Vault.Channels;
using SecureDialogue.Vault.Envelopes;
using SecureDialogue.Vault.Interop;
using SecureDialogue.Vault.Keys;
using SecureDialogue.Vault.Keys.Store;
using SecureDialogue.Vault.Merkle;
using SecureDialogue.Vault.Primitives;

namespace SecureDialogue.Vault.Tests.Vectors;

/// <summary>
/// Checks the committed vectors in docs/test-vectors against the library. Every deterministic value is recomputed
/// twice from the listed inputs: once through the library's own entry points (sealer, key store, builders), and
/// once step by step from docs/protocol.md with the bare primitives (BLAKE2b, SHA-256, XChaCha20-Poly1305,
/// Ed25519) and encodings written out here. Randomized artefacts (epoch records) are checked by verifying them.
/// Nothing here shares code with tools/TestVectors.
/// </summary>
public sealed partial class TestVectorTests
{
    // Certificate Transparency reference roots of the eight standard leaves, sizes 0 to 8, as published with
    // RFC 6962 implementations; they do not come from our generator.
    private static readonly string[] s_publishedReferenceRoots =
    [
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    ];

    public static TheoryData<string> DeviceNames => [.. Load("devices.json").GetProperty("devices").EnumerateArray().Select(d => Str(d, "name"))];

    public static TheoryData<string> EnvelopeNames => [.. Load("envelopes.json").GetProperty("envelopes").EnumerateArray().Select(e => Str(e, "name"))];

    // ---------------------------------------------------------------- constants

    [Fact]
    public void ProtocolConstants_PersonalisationsAndContexts_MatchVectorFileAndProtocolDocument()
    {
        // Arrange
        var constants = Load("constants.json");
        var code = new Dictionary<string, byte[]>
        {
            ["device_id"] = ProtocolConstants.DeviceIdPersonal,
            ["fingerprint"] = ProtocolConstants.FingerprintPersonal,
            ["ciphertext_hash"] = ProtocolConstants.CiphertextHashPersonal,
            ["envelope_key"] = ProtocolConstants.EnvelopeKeyPersonal,
            ["envelope_nonce"] = ProtocolConstants.EnvelopeNoncePersonal,
            ["segment_salt"] = ProtocolConstants.SegmentSaltPersonal,
            ["epoch_key_commitment"] = ProtocolConstants.EpochKeyCommitmentPersonal,
            ["epoch_record_hash"] = ProtocolConstants.EpochRecordHashPersonal,
            ["envelope_id"] = ProtocolConstants.EnvelopeIdPersonal,
            ["attachment_ciphertext_hash"] = ProtocolConstants.AttachmentCiphertextHashPersonal,
            ["attachment_plaintext_hash"] = ProtocolConstants.AttachmentPlaintextHashPersonal,
            ["device_card"] = ProtocolConstants.DeviceCardContext,
            ["envelope"] = ProtocolConstants.EnvelopeContext,
            ["epoch_record"] = ProtocolConstants.EpochRecordContext,
            ["publication"] = ProtocolConstants.PublicationContext,
            ["disclosure_policy"] = ProtocolConstants.DisclosurePolicyContext,
            ["key_store"] = ProtocolConstants.KeyStoreContext,
            ["attachment"] = ProtocolConstants.AttachmentContext,
            ["card_hash"] = ProtocolConstants.CardHashPersonal,
            ["trust_statement_hash"] = ProtocolConstants.TrustStatementHashPersonal,
            ["device_certificate"] = ProtocolConstants.DeviceCertificateContext,
            ["device_revocation"] = ProtocolConstants.DeviceRevocationContext,
            ["amendment"] = ProtocolConstants.AmendmentContext,
        };
        var personals = constants.GetProperty("blake2b_personalisations").EnumerateArray().ToList();
        var contexts = constants.GetProperty("signature_contexts").EnumerateArray()
            .Concat(constants.GetProperty("associated_data_prefixes").EnumerateArray()).ToList();
        var protocol = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "protocol.md"));

        // Act / Assert
        Assert.Equal(ProtocolConstants.Version, constants.GetProperty("version").GetByte());
        Assert.Equal(ProtocolConstants.Suite, constants.GetProperty("suite").GetByte());
        Assert.Equal(code.Count, personals.Count + contexts.Count);
        foreach (var p in personals)
        {
            AssertHex(p, "hex", Personal(Str(p, "ascii")));
            AssertHex(p, "hex", code[Str(p, "name")]);
            Assert.Contains($"`{Str(p, "hex")}`", protocol, StringComparison.Ordinal);
            Assert.Contains($"`{Str(p, "ascii")}`", protocol, StringComparison.Ordinal);
        }

        foreach (var c in contexts)
        {
            AssertHex(c, "hex", [.. Encoding.ASCII.GetBytes(Str(c, "ascii")), 0]);
            AssertHex(c, "hex", code[Str(c, "name")]);
            Assert.Contains($"`{Str(c, "hex")}`", protocol, StringComparison.Ordinal);
            Assert.Contains($"`{Str(c, "ascii")}`", protocol, StringComparison.Ordinal);
        }

        Assert.Equal(personals.Count, personals.Select(p => Str(p, "hex")).Distinct().Count());
        var store = constants.GetProperty("key_store");
        AssertHex(store, "magic", KeyStoreFile.Magic);
        Assert.Equal(KeyStoreFile.FormatVersion, store.GetProperty("format_version").GetByte());
        Assert.Equal(KeyStoreFile.KdfArgon2id13, store.GetProperty("kdf_argon2id13").GetByte());
        Assert.Equal(KeyStoreFile.PayloadVersion, store.GetProperty("payload_version").GetByte());
        Assert.Equal(EnvelopePlaintext.Version, constants.GetProperty("envelope_plaintext_version").GetByte());
    }

    // ---------------------------------------------------------------- devices

    [Theory]
    [MemberData(nameof(DeviceNames))]
    public void DeviceIdentityFromSeeds_FixedSeeds_ReproducesKeysCardIdAndFingerprint(string name)
    {
        // Arrange
        var v = Device(name);
        var signingSeed = Hex(v, "signing_seed");
        var agreementSecret = Hex(v, "agreement_secret");

        // Act
        using var identity = DeviceIdentity.FromSeeds(signingSeed, agreementSecret);
        var card = identity.PublicKeys;
        var encoded = card.Encode();

        // Assert: through the library.
        AssertHex(v, "signing_public_key", card.SigningKey);
        AssertHex(v, "agreement_public_key", card.AgreementKey);
        AssertHex(v, "card", encoded);
        Assert.Equal(Str(v, "device_id"), identity.Id.ToString());
        Assert.Equal(Str(v, "fingerprint"), Fingerprint.Of(card));
        var decoded = DevicePublicKeys.Decode(encoded);
        Assert.True(decoded.IsSuccess, decoded.ToString());
        Assert.Equal(identity.Id, decoded.Value.Id);

        // Assert: step by step from the specification.
        var signingPublic = new byte[32];
        using (var seed = SecureMemoryHandle.CreateFrom(signingSeed))
        using (Ed25519.KeyPairFromSeed(seed, signingPublic))
        {
            AssertHex(v, "signing_public_key", signingPublic);
        }

        var agreementPublic = new byte[32];
        using (var secret = SecureMemoryHandle.CreateFrom(agreementSecret))
        {
            X25519.PublicKeyFromSecret(secret, agreementPublic);
            AssertHex(v, "agreement_public_key", agreementPublic);
        }

        byte[] idInput = [.. signingPublic, .. agreementPublic];
        AssertHex(v, "device_id_input", idInput);
        AssertHex(v, "device_id", Blake2bHash("sdlg.device.id", idInput, 16));

        byte[] cardBody = [1, 1, .. signingPublic, .. agreementPublic];
        byte[] signedMessage = [.. Encoding.ASCII.GetBytes("SecureDialogue/device-card/v1"), 0, .. cardBody];
        AssertHex(v, "card_signed_message", signedMessage);
        Assert.True(Ed25519.Verify(signingPublic, signedMessage, Hex(v, "card_signature")));
        AssertHex(v, "card", [.. cardBody, .. Hex(v, "card_signature")]);
        AssertHex(v, "card_signature", SignWithSeed(signingSeed, signedMessage));

        byte[] fingerprintInput = [1, .. signingPublic, .. agreementPublic];
        AssertHex(v, "fingerprint_input", fingerprintInput);
        var fingerprintHash = Blake2bHash("sdlg.fingerprint", fingerprintInput, 30);
        AssertHex(v, "fingerprint_hash", fingerprintHash);
        Assert.Equal(Str(v, "fingerprint"), string.Join(' ', FingerprintGroups(fingerprintHash)));
    }

    [Fact]
    public void SafetyNumberOf_FixedDevicePairs_MatchesVectorInBothOrders()
    {
        foreach (var pair in Load("devices.json").GetProperty("safety_numbers").EnumerateArray())
        {
            // Arrange
            using var a = IdentityOf(Str(pair, "a"));
            using var b = IdentityOf(Str(pair, "b"));
            var first = string.Concat(FingerprintGroups(Hex(Device(Str(pair, "a")), "fingerprint_hash")));
            var second = string.Concat(FingerprintGroups(Hex(Device(Str(pair, "b")), "fingerprint_hash")));
            var digits = string.CompareOrdinal(first, second) <= 0 ? first + second : second + first;
            var expected = string.Join(' ', Enumerable.Range(0, 12).Select(i => digits.Substring(i * 5, 5)));

            // Act
            var ab = SafetyNumber.Of(a.PublicKeys, b.PublicKeys);
            var ba = SafetyNumber.Of(b.PublicKeys, a.PublicKeys);

            // Assert
            Assert.Equal(Str(pair, "safety_number"), ab);
            Assert.Equal(ab, ba);
            Assert.Equal(expected, ab);
        }
    }

    // ---------------------------------------------------------------- key store

    [Fact]
    public void KeyStoreFileSeal_FixedSaltNonceAndFloorKdf_ReproducesEveryByte()
    {
        // Arrange
        var v = Load("key-store.json");
        var kdf = v.GetProperty("kdf");
        var ops = kdf.GetProperty("ops_limit").GetUInt32();
        var memKiB = kdf.GetProperty("mem_limit_kib").GetUInt32();
        var salt = Hex(v, "salt");
        var nonce = Hex(v, "nonce");
        var passphrase = Str(v, "passphrase");
        using var identity = DeviceIdentity.FromSeeds(Hex(v, "signing_seed"), Hex(v, "agreement_secret"));
        Assert.Equal(KdfParameters.Floor, new KdfParameters(ops, memKiB));

        // Act: through the library.
        var random = new ReplayRandom([.. salt, .. nonce]);
        var sealedFile = KeyStoreFile.Seal(identity, passphrase, new KdfParameters(ops, memKiB), random);

        // Assert
        Assert.True(sealedFile.IsSuccess, sealedFile.ToString());
        random.AssertConsumed();
        AssertHex(v, "file", sealedFile.Value);

        // Assert: step by step from the specification.
        var passphraseBytes = Encoding.UTF8.GetBytes(passphrase);
        AssertHex(v, "passphrase_utf8", passphraseBytes);
        var header = new List<byte>();
        header.AddRange("SDLGKEYS"u8.ToArray());
        header.Add(1);
        header.Add(1);
        header.AddRange(U32(ops));
        header.AddRange(U32(memKiB));
        header.AddRange(salt);
        header.AddRange(nonce);
        header.AddRange(U16(1 + 64 + 16));
        AssertHex(v, "header", [.. header]);
        byte[] associatedData = [.. Encoding.ASCII.GetBytes("SecureDialogue/key-store/v1"), 0, .. header];
        AssertHex(v, "associated_data", associatedData);
        byte[] payload = [1, .. Hex(v, "signing_seed"), .. Hex(v, "agreement_secret")];
        AssertHex(v, "payload", payload);

        using var passphraseHandle = SecureMemoryHandle.CreateFrom(passphraseBytes);
        Assert.True(Argon2id.TryDeriveKey(passphraseHandle, passphraseBytes.Length, salt, ops, memKiB * 1024UL, out var key));
        using (key)
        {
            var keyBytes = new byte[32];
            key.Export(keyBytes);
            AssertHex(v, "key", keyBytes);
            var ciphertext = new byte[payload.Length + 16];
            XChaCha20Poly1305.Encrypt(key, nonce, associatedData, payload, ciphertext);
            AssertHex(v, "ciphertext", ciphertext);
            AssertHex(v, "file", [.. header, .. ciphertext]);
        }
    }

    [Fact]
    public void KeyStoreFileUnseal_CommittedFile_OpensToTheFixedDevice()
    {
        // Arrange
        var v = Load("key-store.json");

        // Act
        var opened = KeyStoreFile.Unseal(Hex(v, "file"), Str(v, "passphrase"));

        // Assert
        Assert.True(opened.IsSuccess, opened.ToString());
        using var identity = opened.Value;
        Assert.Equal(Str(v, "device_id"), identity.Id.ToString());
        Assert.Equal(Str(Device(Str(v, "device")), "card"), Convert.ToHexStringLower(identity.PublicKeys.Encode()));
    }

    [Fact]
    public void KeyStoreFileUnseal_ModifiedFiles_FailWithTheListedError()
    {
        foreach (var rejection in Load("key-store.json").GetProperty("rejections").EnumerateArray())
        {
            // Arrange
            var bytes = Hex(rejection, "file");

            // Act
            var result = KeyStoreFile.Unseal(bytes, Str(rejection, "passphrase"));

            // Assert
            Assert.False(result.IsSuccess, Str(rejection, "description"));
            Assert.Equal($"{Str(rejection, "description")}: {Str(rejection, "error")}", $"{Str(rejection, "description")}: {result.Error}");
        }
    }

    // ---------------------------------------------------------------- padding

    [Fact]
    public void PaddedLength_Examples_MatchVectorsAndPadmeFormula()
    {
        var v = Load("padding.json");
        Assert.Equal(Padding.MinimumPaddedLength, v.GetProperty("minimum_padded_length").GetInt32());
        Assert.Equal(Padding.MaxPaddedLength, v.GetProperty("max_padded_length").GetInt32());
        foreach (var example in v.GetProperty("examples").EnumerateArray())
        {
            var length = example.GetProperty("length").GetInt32();
            var expected = example.GetProperty("padded_length").GetInt32();
            Assert.Equal((length, expected), (length, Padding.PaddedLength(length)));
            Assert.Equal((length, expected), (length, Padme(length)));
        }
    }

    // ---------------------------------------------------------------- envelopes

    [Theory]
    [MemberData(nameof(EnvelopeNames))]
    public void EnvelopeSealerSeal_FixedInputs_ReproducesEnvelopeBytesAndId(string name)
    {
        // Arrange
        var v = EnvelopeVector(name);
        var inputs = v.GetProperty("inputs");
        using var sender = IdentityOf(Str(inputs, "sender"));
        using var key = EpochKeyOf(inputs);
        var random = new ReplayRandom(Hex(inputs, "random"));
        var draft = new EnvelopeDraft
        {
            Review = Guid.Parse(Str(inputs, "review")),
            Channel = ChannelId.Parse(Str(inputs, "channel")),
            Kind = (ItemKind)inputs.GetProperty("kind").GetByte(),
            Language = LanguageTag.Parse(Str(inputs, "language")),
            Segments = SegmentsOf(v),
            ClientMessageId = Guid.Parse(Str(inputs, "client_message_id")),
        };
        var createdAt = DateTimeOffset.FromUnixTimeMilliseconds(inputs.GetProperty("created_at_ms").GetInt64());

        // Act
        var envelope = EnvelopeSealer.Seal(sender, key, inputs.GetProperty("counter").GetUInt64(), draft, createdAt, random);

        // Assert
        random.AssertConsumed();
        AssertHex(v, "header", envelope.HeaderBytes.Span);
        AssertHex(v, "nonce", envelope.Header.Nonce.Span);
        AssertHex(v, "commitment_root", envelope.Header.CommitmentRoot.Span);
        AssertHex(v, "ciphertext", envelope.Ciphertext.Span);
        AssertHex(v, "signature", envelope.Signature.Span);
        AssertHex(v, "envelope", envelope.Encoded.Span);
        AssertHex(v, "envelope_id", envelope.ComputeId());
    }

    [Theory]
    [MemberData(nameof(EnvelopeNames))]
    public void EnvelopeConstruction_FixedInputs_EveryIntermediateMatchesTheSpecification(string name)
    {
        // Arrange
        var v = EnvelopeVector(name);
        var inputs = v.GetProperty("inputs");
        var sender = Device(Str(inputs, "sender"));
        var epochKey = Hex(inputs, "epoch_key");
        var random = Hex(inputs, "random");
        var counter = inputs.GetProperty("counter").GetUInt64();
        var messageId = Guid.Parse(Str(inputs, "client_message_id")).ToByteArray(bigEndian: true);
        var segments = v.GetProperty("segments").EnumerateArray().ToList();

        // Act / Assert: keys and salts.
        var bodyKey = Blake2bKeyed(epochKey, "sdlg.env.key", [], 32);
        AssertHex(v, "body_key", bodyKey);
        var saltKey = random[..32];
        AssertHex(v, "salt_key", saltKey);
        AssertHex(v, "nonce_random", random.AsSpan(32));

        // Segments, leaves and the RFC 9162 root.
        var leaves = new List<byte[]>();
        var body = new List<byte>();
        foreach (var segment in segments)
        {
            var index = segment.GetProperty("index").GetUInt16();
            var kind = segment.GetProperty("kind").GetByte();
            var content = Hex(segment, "content");
            var salt = Blake2bKeyed(saltKey, "sdlg.seg.salt", U16(index), 32);
            AssertHex(segment, "salt", salt);
            byte[] leafData = [.. U16(index), kind, .. salt, .. U32((uint)content.Length), .. content];
            AssertHex(segment, "leaf_data", leafData);
            var leaf = SHA256.HashData([0, .. leafData]);
            AssertHex(segment, "leaf_hash", leaf);
            leaves.Add(leaf);
            body.Add(kind);
            body.AddRange(U32((uint)content.Length));
            body.AddRange(content);
        }

        var root = MerkleTreeHead(leaves);
        AssertHex(v, "commitment_root", root);

        // Plaintext and padding.
        byte[] unpadded = [1, .. saltKey, .. U16((ushort)segments.Count), .. body];
        Assert.Equal(unpadded.Length, v.GetProperty("plaintext_length").GetInt32());
        var padded = Padme(unpadded.Length);
        Assert.Equal(padded, v.GetProperty("padded_length").GetInt32());
        var plaintext = new byte[padded];
        unpadded.CopyTo(plaintext, 0);
        AssertHex(v, "plaintext", plaintext);

        // Synthetic nonce.
        byte[] nonceInput = [.. Hex(sender, "device_id"), .. U64(counter), .. messageId, .. random[32..]];
        AssertHex(v, "nonce_input", nonceInput);
        var nonce = Blake2bKeyed(bodyKey, "sdlg.env.nonce", nonceInput, 24);
        AssertHex(v, "nonce", nonce);

        // Header, field by field.
        var channel = Encoding.ASCII.GetBytes(Str(inputs, "channel"));
        var language = Encoding.ASCII.GetBytes(Str(inputs, "language"));
        byte[] header =
        [
            1, 1, .. Guid.Parse(Str(inputs, "review")).ToByteArray(bigEndian: true), (byte)channel.Length, .. channel,
            .. U32(inputs.GetProperty("epoch").GetUInt32()), .. Hex(sender, "device_id"), .. U64(counter), .. messageId,
            inputs.GetProperty("kind").GetByte(), (byte)language.Length, .. language, .. I64(inputs.GetProperty("created_at_ms").GetInt64()),
            .. U32((uint)padded), .. U16((ushort)segments.Count), .. root, .. nonce,
        ];
        AssertHex(v, "header", header);
        var offset = 0;
        foreach (var field in v.GetProperty("header_fields").EnumerateArray())
        {
            Assert.Equal(offset, field.GetProperty("offset").GetInt32());
            AssertHex(field, "hex", header.AsSpan(offset, field.GetProperty("size").GetInt32()));
            offset += field.GetProperty("size").GetInt32();
        }

        Assert.Equal(header.Length, offset);

        // AEAD, signature, framing, id.
        var ciphertext = new byte[padded + 16];
        using (var key = SecureMemoryHandle.CreateFrom(bodyKey))
        {
            XChaCha20Poly1305.Encrypt(key, nonce, header, plaintext, ciphertext);
        }

        AssertHex(v, "ciphertext", ciphertext);
        var ciphertextHash = Blake2bHash("sdlg.ct.hash", ciphertext, 32);
        AssertHex(v, "ciphertext_hash", ciphertextHash);
        byte[] signedMessage = [.. Encoding.ASCII.GetBytes("SecureDialogue/envelope/v1"), 0, .. header, .. ciphertextHash];
        AssertHex(v, "signed_message", signedMessage);
        var signature = SignWithSeed(Hex(sender, "signing_seed"), signedMessage);
        AssertHex(v, "signature", signature);
        Assert.True(Ed25519.Verify(Hex(sender, "signing_public_key"), signedMessage, signature));
        byte[] envelope = [.. header, .. U32((uint)ciphertext.Length), .. ciphertext, .. signature];
        AssertHex(v, "envelope", envelope);
        AssertHex(v, "envelope_id", Blake2bHash("sdlg.env.id", envelope, 32));
    }

    [Theory]
    [MemberData(nameof(EnvelopeNames))]
    public void EnvelopeDecode_CommittedEnvelope_HeaderHoldsTheInputs(string name)
    {
        // Arrange
        var v = EnvelopeVector(name);
        var inputs = v.GetProperty("inputs");

        // Act
        var decoded = Envelope.Decode(Hex(v, "envelope"));

        // Assert
        Assert.True(decoded.IsSuccess, decoded.ToString());
        var header = decoded.Value.Header;
        Assert.Equal(Guid.Parse(Str(inputs, "review")), header.Review);
        Assert.Equal(Str(inputs, "channel"), header.Channel.Value);
        Assert.Equal(inputs.GetProperty("epoch").GetUInt32(), header.Epoch);
        Assert.Equal(Str(inputs, "sender_device_id"), header.Sender.ToString());
        Assert.Equal(inputs.GetProperty("counter").GetUInt64(), header.Counter);
        Assert.Equal(Guid.Parse(Str(inputs, "client_message_id")), header.ClientMessageId);
        Assert.Equal(inputs.GetProperty("kind").GetByte(), (byte)header.Kind);
        Assert.Equal(Str(inputs, "language"), header.Language.Value);
        Assert.Equal(inputs.GetProperty("created_at_ms").GetInt64(), header.CreatedAt.ToUnixTimeMilliseconds());
        Assert.Equal(v.GetProperty("padded_length").GetInt32(), header.PaddedLength);
        Assert.Equal(v.GetProperty("segments").GetArrayLength(), header.SegmentCount);
        AssertHex(v, "header", decoded.Value.HeaderBytes.Span);
        AssertHex(v, "envelope_id", decoded.Value.ComputeId());
    }

    [Fact]
    public void EnvelopeOpenerOpen_CommittedEnvelopesAndRecords_EveryKeyHolderReadsTheSegments()
    {
        // Arrange: the epoch records of the same channel give alice and bob epochs 0 and 1, carol epoch 1 and,
        // through her signed history grant, epoch 0.
        var (chain, keyrings, identities) = AcceptCommittedRecords();
        try
        {
            foreach (var v in Load("envelopes.json").GetProperty("envelopes").EnumerateArray())
            {
                var encoded = Hex(v, "envelope");
                var expected = v.GetProperty("segments").EnumerateArray().ToList();
                foreach (var (holder, keyring) in keyrings)
                {
                    // Act
                    var opened = EnvelopeOpener.Open(encoded, keyring);
                    var flipped = encoded.ToArray();
                    flipped[^70] ^= 1;
                    var tampered = EnvelopeOpener.Open(flipped, keyring);

                    // Assert
                    Assert.True(opened.IsSuccess, $"{holder} opening {Str(v, "name")}: {opened}");
                    Assert.Equal(Str(v.GetProperty("inputs"), "sender_device_id"), opened.Value.Sender.Id.ToString());
                    Assert.Equal(expected.Count, opened.Value.Segments.Count);
                    for (var i = 0; i < expected.Count; i++)
                    {
                        Assert.Equal(expected[i].GetProperty("kind").GetByte(), (byte)opened.Value.Segments[i].Kind);
                        AssertHex(expected[i], "content", opened.Value.Segments[i].Content.Span);
                        AssertHex(expected[i], "salt", opened.Value.SegmentSalt(i));
                    }

                    Assert.Equal(EnvelopeError.Invalid, tampered.Error);
                }
            }
        }
        finally
        {
            Dispose(keyrings, identities);
        }

        Assert.Equal(2, chain.Records.Count);
    }

    // ---------------------------------------------------------------- epoch records

    [Fact]
    public void EpochChainAccept_CommittedRecords_AcceptedInOrderWithTheSpecifiedEncoding()
    {
        // Arrange
        var v = Load("epoch-records.json");
        var review = Guid.Parse(Str(v, "review"));
        var channel = Str(v, "channel");
        var chain = new EpochChain(review, ChannelId.Parse(channel), [AnchorOf(v)]);
        var previousHash = new byte[32];

        foreach (var r in v.GetProperty("records").EnumerateArray())
        {
            var encoded = Hex(r, "encoded");
            var epoch = r.GetProperty("epoch").GetUInt32();
            var author = Device(Str(r, "author"));

            // Act
            var accepted = chain.Accept(encoded);

            // Assert: the library accepts it and agrees on the hash.
            Assert.True(accepted.IsSuccess, $"epoch {epoch}: {accepted}");
            AssertHex(r, "hash", accepted.Value.Hash);
            AssertHex(r, "key_commitment", accepted.Value.KeyCommitment.Span);

            // Assert: the encoding, field by field, against the specification.
            var fields = r.GetProperty("fields").EnumerateArray().ToDictionary(f => Str(f, "field"));
            var offset = 0;
            foreach (var field in r.GetProperty("fields").EnumerateArray())
            {
                Assert.Equal(offset, field.GetProperty("offset").GetInt32());
                AssertHex(field, "hex", encoded.AsSpan(offset, field.GetProperty("size").GetInt32()));
                offset += field.GetProperty("size").GetInt32();
            }

            Assert.Equal(encoded.Length, offset);
            AssertHex(fields["version"], "hex", [1]);
            AssertHex(fields["suite"], "hex", [1]);
            AssertHex(fields["review"], "hex", review.ToByteArray(bigEndian: true));
            AssertHex(fields["channel_length"], "hex", [(byte)channel.Length]);
            AssertHex(fields["channel"], "hex", Encoding.ASCII.GetBytes(channel));
            AssertHex(fields["epoch"], "hex", U32(epoch));
            AssertHex(fields["previous_hash"], "hex", previousHash);
            AssertHex(r, "previous_hash", previousHash);
            AssertHex(fields["author"], "hex", Hex(author, "device_id"));
            AssertHex(fields["created_at_ms"], "hex", I64(r.GetProperty("created_at_ms").GetInt64()));
            byte[] commitmentInput = [.. review.ToByteArray(bigEndian: true), (byte)channel.Length, .. Encoding.ASCII.GetBytes(channel), .. U32(epoch)];
            AssertHex(r, "key_commitment_input", commitmentInput);
            AssertHex(r, "key_commitment", Blake2bKeyed(Hex(r, "epoch_key"), "sdlg.epoch.cmt", commitmentInput, 32));
            AssertHex(fields["key_commitment"], "hex", Hex(r, "key_commitment"));

            var members = r.GetProperty("members").EnumerateArray().ToList();
            AssertHex(fields["member_count"], "hex", U16((ushort)members.Count));
            for (var i = 0; i < members.Count; i++)
            {
                AssertHex(fields[$"members[{i}].card"], "hex", Hex(Device(Str(members[i], "name")), "card"));
                AssertHex(fields[$"members[{i}].flags"], "hex", [members[i].GetProperty("may_manage").GetBoolean() ? (byte)1 : (byte)0]);
                AssertHex(fields[$"members[{i}].wrapped_key_length"], "hex", U16((ushort)Hex(members[i], "wrapped_key").Length));
                AssertHex(fields[$"members[{i}].wrapped_key"], "hex", Hex(members[i], "wrapped_key"));
            }

            var grants = r.GetProperty("history_grants").EnumerateArray().ToList();
            AssertHex(fields["grant_count"], "hex", U16((ushort)grants.Count));
            for (var i = 0; i < grants.Count; i++)
            {
                AssertHex(fields[$"history_grants[{i}].recipient"], "hex", Hex(Device(Str(grants[i], "recipient")), "device_id"));
                AssertHex(fields[$"history_grants[{i}].first_epoch"], "hex", U32(grants[i].GetProperty("first_epoch").GetUInt32()));
                AssertHex(fields[$"history_grants[{i}].sealed_length"], "hex", U32((uint)Hex(grants[i], "sealed").Length));
                AssertHex(fields[$"history_grants[{i}].sealed"], "hex", Hex(grants[i], "sealed"));
            }

            var signedPartLength = r.GetProperty("signed_part_length").GetInt32();
            Assert.Equal(encoded.Length - 64, signedPartLength);
            byte[] signedMessage = [.. Encoding.ASCII.GetBytes("SecureDialogue/epoch-record/v1"), 0, .. encoded.AsSpan(0, signedPartLength)];
            Assert.True(Ed25519.Verify(Hex(author, "signing_public_key"), signedMessage, Hex(r, "signature")));
            AssertHex(r, "hash", Blake2bHash("sdlg.epoch.hash", encoded, 32));
            previousHash = Hex(r, "hash");
        }
    }

    [Fact]
    public void ChannelKeyringUnlock_CommittedRecords_EveryMemberUnwrapsTheCommittedKey()
    {
        // Arrange
        var v = Load("epoch-records.json");
        var review = Guid.Parse(Str(v, "review"));
        var channel = Str(v, "channel");
        var (chain, keyrings, identities) = AcceptCommittedRecords();
        try
        {
            foreach (var r in v.GetProperty("records").EnumerateArray())
            {
                var epoch = r.GetProperty("epoch").GetUInt32();
                foreach (var member in r.GetProperty("members").EnumerateArray())
                {
                    var name = Str(member, "name");

                    // Act: AcceptCommittedRecords unlocked every record for its members.
                    var key = keyrings[name].Find(epoch);

                    // Assert
                    Assert.NotNull(key);
                    AssertHex(r, "epoch_key", Export(key));
                    AssertHex(r, "key_commitment", key.Commitment());
                    byte[] plaintext =
                    [
                        1, .. review.ToByteArray(bigEndian: true), (byte)channel.Length, .. Encoding.ASCII.GetBytes(channel), .. U32(epoch),
                        .. Hex(r, "epoch_key"),
                    ];
                    AssertHex(member, "wrapped_key_plaintext", plaintext);
                    var wrapped = Hex(member, "wrapped_key");
                    Assert.Equal(plaintext.Length + 48, wrapped.Length);
                    var opened = new byte[plaintext.Length];
                    Assert.True(identities[name].TryOpenSealed(wrapped, opened));
                    Assert.Equal(plaintext, opened);
                }

                foreach (var grant in r.GetProperty("history_grants").EnumerateArray())
                {
                    var recipient = Str(grant, "recipient");
                    var epochs = grant.GetProperty("epochs").EnumerateArray().Select(e => e.GetUInt32()).ToList();
                    var first = grant.GetProperty("first_epoch").GetUInt32();
                    Assert.Equal(Enumerable.Range((int)first, (int)(epoch - first)).Select(e => (uint)e), epochs);
                    var plaintext = new List<byte> { 1 };
                    plaintext.AddRange(review.ToByteArray(bigEndian: true));
                    plaintext.Add((byte)channel.Length);
                    plaintext.AddRange(Encoding.ASCII.GetBytes(channel));
                    plaintext.AddRange(Hex(Device(recipient), "device_id"));
                    plaintext.AddRange(U16((ushort)epochs.Count));
                    foreach (var e in epochs)
                    {
                        var earlier = v.GetProperty("records")[(int)e];
                        plaintext.AddRange(U32(e));
                        plaintext.AddRange(Hex(earlier, "epoch_key"));
                        AssertHex(earlier, "epoch_key", Export(keyrings[recipient].Find(e)!));
                    }

                    AssertHex(grant, "plaintext", [.. plaintext]);
                    var opened = new byte[plaintext.Count];
                    Assert.True(identities[recipient].TryOpenSealed(Hex(grant, "sealed"), opened));
                    Assert.Equal([.. plaintext], opened);
                }
            }

        }
        finally
        {
            Dispose(keyrings, identities);
        }

        Assert.Equal(2, chain.Records.Count);
    }

    [Fact]
    public void EpochChainAccept_ForeignAnchorReplayOrSkippedEpoch_Rejected()
    {
        // Arrange
        var v = Load("epoch-records.json");
        var review = Guid.Parse(Str(v, "review"));
        var channel = ChannelId.Parse(Str(v, "channel"));
        var records = v.GetProperty("records").EnumerateArray().Select(r => Hex(r, "encoded")).ToList();
        using var bob = IdentityOf("bob");

        // Act
        var foreignAnchor = new EpochChain(review, channel, [bob.Id]).Accept(records[0]);
        var otherChannel = new EpochChain(review, ChannelId.Reviewers, [AnchorOf(v)]).Accept(records[0]);
        var skipped = new EpochChain(review, channel, [AnchorOf(v)]).Accept(records[1]);
        var chain = new EpochChain(review, channel, [AnchorOf(v)]);
        var first = chain.Accept(records[0]);
        var replayed = chain.Accept(records[0]);
        var flipped = records[1].ToArray();
        flipped[^1] ^= 1;
        var badSignature = chain.Accept(flipped);
        var second = chain.Accept(records[1]);

        // Assert
        Assert.Equal(EpochError.NotAuthorized, foreignAnchor.Error);
        Assert.Equal(EpochError.WrongContext, otherChannel.Error);
        Assert.Equal(EpochError.OutOfOrder, skipped.Error);
        Assert.True(first.IsSuccess);
        Assert.Equal(EpochError.Replayed, replayed.Error);
        Assert.Equal(EpochError.Invalid, badSignature.Error);
        Assert.True(second.IsSuccess);
    }

    // ---------------------------------------------------------------- Merkle trees

    [Fact]
    public void MerkleTree_ReferenceLeaves_MatchPublishedRootsAndProofs()
    {
        // Arrange
        var v = Load("merkle.json").GetProperty("reference");
        var leaves = v.GetProperty("leaves").EnumerateArray().Select(l => Convert.FromHexString(l.GetString()!)).ToList();
        var leafHashes = leaves.Select(l => SHA256.HashData([0, .. l])).ToArray();

        // Act / Assert: leaves and roots.
        Assert.Equal(v.GetProperty("leaf_hashes").EnumerateArray().Select(h => h.GetString()), leafHashes.Select(Convert.ToHexStringLower));
        foreach (var root in v.GetProperty("roots").EnumerateArray())
        {
            var size = root.GetProperty("size").GetInt32();
            Assert.Equal(s_publishedReferenceRoots[size], Str(root, "root"));
            AssertHex(root, "root", MerkleTree.Root(leafHashes[..size]));
            AssertHex(root, "root", MerkleTreeHead(leafHashes[..size]));
        }

        // Inclusion proofs (RFC 9162 2.1.3).
        foreach (var p in v.GetProperty("inclusion_proofs").EnumerateArray())
        {
            var index = p.GetProperty("index").GetInt32();
            var size = p.GetProperty("size").GetInt32();
            var proof = p.GetProperty("proof").EnumerateArray().Select(h => Convert.FromHexString(h.GetString()!)).ToList();
            Assert.Equal(proof.Select(Convert.ToHexStringLower), MerkleTree.InclusionProof(leafHashes[..size], index).Select(Convert.ToHexStringLower));
            Assert.True(MerkleProofs.VerifyInclusion(leafHashes[index], index, size, MerkleTreeHead(leafHashes[..size]), proof), $"inclusion {index}/{size}");
        }

        // Consistency proofs (RFC 9162 2.1.4).
        foreach (var p in v.GetProperty("consistency_proofs").EnumerateArray())
        {
            var oldSize = p.GetProperty("old_size").GetInt32();
            var newSize = p.GetProperty("new_size").GetInt32();
            var proof = p.GetProperty("proof").EnumerateArray().Select(h => Convert.FromHexString(h.GetString()!)).ToList();
            Assert.Equal(proof.Select(Convert.ToHexStringLower), MerkleTree.ConsistencyProof(leafHashes[..newSize], oldSize).Select(Convert.ToHexStringLower));
            Assert.True(
                MerkleProofs.VerifyConsistency(oldSize, newSize, MerkleTreeHead(leafHashes[..oldSize]), MerkleTreeHead(leafHashes[..newSize]), proof),
                $"consistency {oldSize}->{newSize}");
        }
    }

    [Fact]
    public void SegmentTree_ThreeSegmentEnvelope_EachSegmentProvesAgainstTheSignedRoot()
    {
        // Arrange
        var v = Load("merkle.json").GetProperty("segment_tree");
        var envelope = EnvelopeVector(Str(v, "envelope"));
        var segments = envelope.GetProperty("segments").EnumerateArray().ToList();
        var root = Hex(envelope, "commitment_root");
        AssertHex(v, "root", root);

        foreach (var p in v.GetProperty("inclusion_proofs").EnumerateArray())
        {
            // Act: disclose one segment with its salt and audit path.
            var index = p.GetProperty("index").GetInt32();
            var segment = segments[index];
            var leaf = SegmentCommitments.LeafHash(index, (SegmentKind)segment.GetProperty("kind").GetByte(), Hex(p, "salt"), Hex(segment, "content"));
            var proof = p.GetProperty("proof").EnumerateArray().Select(h => Convert.FromHexString(h.GetString()!)).ToList();

            // Assert
            AssertHex(p, "leaf_hash", leaf);
            AssertHex(p, "salt", SegmentCommitments.Salt(Hex(envelope, "salt_key"), index));
            Assert.True(MerkleProofs.VerifyInclusion(leaf, index, segments.Count, root, proof));
            Assert.False(MerkleProofs.VerifyInclusion(leaf, index, segments.Count, Hex(EnvelopeVector("one-segment"), "commitment_root"), proof));
        }
    }

    // ---------------------------------------------------------------- sender counters

    [Fact]
    public void SenderCountersObserve_CommittedSequence_GivesTheListedVerdicts()
    {
        // Arrange
        var counters = new SenderCounters();

        foreach (var o in Load("sender-counters.json").GetProperty("observations").EnumerateArray())
        {
            Assert.True(DeviceId.TryParse(Str(o, "sender_device_id"), out var sender));

            // Act
            var check = counters.Observe(sender, o.GetProperty("counter").GetUInt64());

            // Assert
            var expected = $"{Str(o, "sender")}#{o.GetProperty("counter").GetUInt64()}: {Str(o, "verdict")} missing {o.GetProperty("missing").GetUInt64()} last {o.GetProperty("last_after").GetUInt64()}";
            Assert.Equal(expected, $"{Str(o, "sender")}#{o.GetProperty("counter").GetUInt64()}: {check.Verdict} missing {check.Missing} last {counters.Last(sender)}");
        }
    }

    // ---------------------------------------------------------------- helpers (independent of tools/TestVectors)

    private static JsonElement Load(string file)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "test-vectors", file)));
        return document.RootElement.Clone();
    }

    private static JsonElement Device(string name) =>
        Load("devices.json").GetProperty("devices").EnumerateArray().Single(d => Str(d, "name") == name);

    private static JsonElement EnvelopeVector(string name) =>
        Load("envelopes.json").GetProperty("envelopes").EnumerateArray().Single(e => Str(e, "name") == name);

    private static DeviceIdentity IdentityOf(string name)
    {
        var device = Device(name);
        return DeviceIdentity.FromSeeds(Hex(device, "signing_seed"), Hex(device, "agreement_secret"));
    }

    private static DeviceId AnchorOf(JsonElement epochRecords)
    {
        Assert.True(DeviceId.TryParse(epochRecords.GetProperty("trust_anchors")[0].GetString(), out var anchor));
        return anchor;
    }

    private static EpochKey EpochKeyOf(JsonElement inputs) => EpochKey.FromBytes(
        Guid.Parse(Str(inputs, "review")), ChannelId.Parse(Str(inputs, "channel")), inputs.GetProperty("epoch").GetUInt32(), Hex(inputs, "epoch_key"));

    private static List<Segment> SegmentsOf(JsonElement envelope)
    {
        var segments = new List<Segment>();
        foreach (var s in envelope.GetProperty("segments").EnumerateArray())
        {
            var segment = (SegmentKind)s.GetProperty("kind").GetByte() switch
            {
                SegmentKind.Text => Segment.Text(Str(s, "text")),
                SegmentKind.QuestionnaireAnswer => Segment.QuestionnaireAnswer(Str(s, "question_reference"), Str(s, "text")),
                SegmentKind.FileReference => Segment.FileReference(Hex(s, "content")),
                var other => throw new InvalidOperationException($"Unknown segment kind {other} in the vectors."),
            };
            AssertHex(s, "content", segment.Content.Span);
            segments.Add(segment);
        }

        return segments;
    }

    /// <summary>Accepts the committed records and unlocks each for every member, as a client would.</summary>
    private static (EpochChain Chain, Dictionary<string, ChannelKeyring> Keyrings, Dictionary<string, DeviceIdentity> Identities) AcceptCommittedRecords()
    {
        var v = Load("epoch-records.json");
        var chain = new EpochChain(Guid.Parse(Str(v, "review")), ChannelId.Parse(Str(v, "channel")), [AnchorOf(v)]);
        var identities = Load("devices.json").GetProperty("devices").EnumerateArray().ToDictionary(d => Str(d, "name"), d => IdentityOf(Str(d, "name")));
        var keyrings = identities.ToDictionary(p => p.Key, p => new ChannelKeyring(p.Value, chain));
        foreach (var r in v.GetProperty("records").EnumerateArray())
        {
            var accepted = chain.Accept(Hex(r, "encoded"));
            Assert.True(accepted.IsSuccess, accepted.ToString());
            foreach (var member in r.GetProperty("members").EnumerateArray())
            {
                var unlocked = keyrings[Str(member, "name")].Unlock(accepted.Value);
                Assert.True(unlocked.IsSuccess, $"{Str(member, "name")} epoch {accepted.Value.Epoch}: {unlocked}");
            }
        }

        return (chain, keyrings, identities);
    }

    private static void Dispose(Dictionary<string, ChannelKeyring> keyrings, Dictionary<string, DeviceIdentity> identities)
    {
        foreach (var keyring in keyrings.Values)
        {
            keyring.Dispose();
        }

        foreach (var identity in identities.Values)
        {
            identity.Dispose();
        }
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "SecureDialogue.sln")))
            {
                return directory.FullName;
            }
        }

        throw new DirectoryNotFoundException("The repository root (SecureDialogue.sln) was not found above the test output.");
    }

    private static string Str(JsonElement element, string property) => element.GetProperty(property).GetString()!;

    private static byte[] Hex(JsonElement element, string property) => Convert.FromHexString(Str(element, property));

    /// <summary>Compares as "property=hex" so a failure names the value that drifted.</summary>
    private static void AssertHex(JsonElement element, string property, ReadOnlySpan<byte> actual) =>
        Assert.Equal($"{property}={Str(element, property)}", $"{property}={Convert.ToHexStringLower(actual)}");

    private static byte[] Export(EpochKey key)
    {
        var bytes = new byte[EpochKey.Size];
        key.Export(bytes);
        return bytes;
    }

    private static byte[] Personal(string ascii)
    {
        var personal = new byte[16];
        Encoding.ASCII.GetBytes(ascii, personal);
        return personal;
    }

    private static byte[] Blake2bHash(string personal, ReadOnlySpan<byte> input, int size)
    {
        var output = new byte[size];
        Blake2b.Hash(Personal(personal), input, output);
        return output;
    }

    private static byte[] Blake2bKeyed(ReadOnlySpan<byte> key, string personal, ReadOnlySpan<byte> input, int size)
    {
        var output = new byte[size];
        Blake2b.KeyedHash(key, Personal(personal), input, output);
        return output;
    }

    private static byte[] SignWithSeed(byte[] seed, byte[] message)
    {
        var publicKey = new byte[32];
        var signature = new byte[64];
        using var seedHandle = SecureMemoryHandle.CreateFrom(seed);
        using var secretKey = Ed25519.KeyPairFromSeed(seedHandle, publicKey);
        Ed25519.Sign(secretKey, message, signature);
        return signature;
    }

    private static string[] FingerprintGroups(byte[] hash) =>
    [
        .. Enumerable.Range(0, 6).Select(i =>
        {
            ulong value = 0;
            for (var j = 0; j < 5; j++)
            {
                value = (value << 8) | hash[(i * 5) + j];
            }

            return (value % 100_000).ToString("D5", System.Globalization.CultureInfo.InvariantCulture);
        }),
    ];

    private static int Padme(int length)
    {
        if (length <= 256)
        {
            return 256;
        }

        var e = BitOperations.Log2((uint)length);
        var s = BitOperations.Log2((uint)e) + 1;
        var mask = (1 << (e - s)) - 1;
        return (length + mask) & ~mask;
    }

    /// <summary>RFC 9162 section 2.1.1 MTH, written out.</summary>
    private static byte[] MerkleTreeHead(IReadOnlyList<byte[]> leafHashes)
    {
        if (leafHashes.Count == 0)
        {
            return SHA256.HashData(ReadOnlySpan<byte>.Empty);
        }

        if (leafHashes.Count == 1)
        {
            return leafHashes[0];
        }

        var k = 1;
        while (k * 2 < leafHashes.Count)
        {
            k *= 2;
        }

        return SHA256.HashData([0x01, .. MerkleTreeHead([.. leafHashes.Take(k)]), .. MerkleTreeHead([.. leafHashes.Skip(k)])]);
    }

    private static byte[] U16(ushort value)
    {
        var bytes = new byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(bytes, value);
        return bytes;
    }

    private static byte[] U32(uint value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        return bytes;
    }

    private static byte[] U64(ulong value)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, value);
        return bytes;
    }

    private static byte[] I64(long value)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteInt64BigEndian(bytes, value);
        return bytes;
    }

    /// <summary>Hands out fixed bytes in order; fails when asked for more, and can check all were used.</summary>
    private sealed class ReplayRandom(byte[] bytes) : IRandomSource
    {
        private int _position;

        public void Fill(Span<byte> destination)
        {
            Assert.True(bytes.Length - _position >= destination.Length, "the vector lists fewer random bytes than the code draws");
            bytes.AsSpan(_position, destination.Length).CopyTo(destination);
            _position += destination.Length;
        }

        public void AssertConsumed() => Assert.Equal(bytes.Length, _position);
    }
}
