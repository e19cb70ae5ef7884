using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using SecureDialogue.Vault;
using SecureDialogue.Vault.Channels;
using SecureDialogue.Vault.Envelopes;
using SecureDialogue.Vault.Interop;
using SecureDialogue.Vault.Keys;
using SecureDialogue.Vault.Primitives;

namespace SecureDialogue.Bench;

/// <summary>
/// <see cref="EnvelopeSealer.Seal(DeviceIdentity, EpochKey, ulong, EnvelopeDraft, DateTimeOffset)"/> and
/// <see cref="EnvelopeOpener.Open(ReadOnlyMemory{byte}, ChannelKeyring)"/> of one message with one text
/// segment of <see cref="PayloadSize"/> bytes, each against a baseline that makes the same libsodium and
/// SHA-256 calls for the same message directly through <c>Interop</c>, with keys in
/// <see cref="SecureMemoryHandle"/>s and every buffer allocated once in the set-up. The difference is what the
/// envelope code adds: encoding, parsing, validation, copies, wiping and allocations.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class EnvelopeBenchmarks : IDisposable
{
    public const string SealCategory = "Seal";
    public const string OpenCategory = "Open";

    private static readonly DateTimeOffset s_now = new(2026, 11, 23, 9, 30, 0, TimeSpan.Zero);
    private static readonly byte[] s_zeroSalt = new byte[16];

    // Envelope side.
    private DeviceIdentity _manager = null!;
    private DeviceIdentity _sender = null!;
    private DeviceIdentity _recipient = null!;
    private ChannelKeyring _senderKeyring = null!;
    private ChannelKeyring _recipientKeyring = null!;
    private EpochKey _key = null!;
    private EnvelopeDraft _draft = null!;
    private byte[] _encoded = null!;
    private ulong _counter;

    // Native side: the same message, preallocated.
    private SecureMemoryHandle _nativeSigningKey = null!;
    private byte[] _nativePublicKey = null!;
    private IncrementalHash _sha256 = null!;
    private byte[] _content = null!;
    private byte[] _plaintext = null!;        // padded body as the sealer lays it out
    private byte[] _nativeEnvelope = null!;   // header || u32 || ciphertext || signature
    private byte[] _signedMessage = null!;    // context || header || BLAKE2b-256(ciphertext)
    private byte[] _openVerificationKey = null!;
    private byte[] _openCiphertextAndTag = null!;
    private byte[] _openSignature = null!;
    private byte[] _openSignedMessage = null!;
    private byte[] _openNonce = null!;
    private byte[] _openRoot = null!;
    private byte[] _salt = null!;
    private byte[] _root = null!;
    private int _headerLength;
    private int _ciphertextLength;

    [Params(1024, 65536)]
    public int PayloadSize { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        Sodium.EnsureInitialized();
        var review = Guid.NewGuid();
        var channel = ChannelId.Dialogue;
        _manager = DeviceIdentity.Create();
        _sender = DeviceIdentity.Create();
        _recipient = DeviceIdentity.Create();
        var (genesis, authoredKey) = EpochRecordBuilder.Genesis(
            _manager, review, channel,
            [new MemberDevice(_manager.PublicKeys, MayManage: true), new MemberDevice(_sender.PublicKeys), new MemberDevice(_recipient.PublicKeys)],
            s_now);
        authoredKey.Dispose();
        _senderKeyring = Keyring(_sender, genesis);
        _recipientKeyring = Keyring(_recipient, genesis);
        _key = _senderKeyring.Current!;

        // ASCII text: valid UTF-8 of exactly PayloadSize bytes.
        var text = string.Create(PayloadSize, 0, static (span, _) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = (char)('a' + (i % 26));
            }
        });
        _draft = new EnvelopeDraft
        {
            Review = review,
            Channel = channel,
            Kind = ItemKind.DialogueMessage,
            Language = LanguageTag.English,
            Segments = [Segment.Text(text)],
        };
        _content = _draft.Segments[0].Content.ToArray();

        var envelope = EnvelopeSealer.Seal(_sender, _key, ++_counter, _draft, s_now);
        _encoded = envelope.Encoded.ToArray();
        _headerLength = envelope.HeaderBytes.Length;
        _ciphertextLength = envelope.Ciphertext.Length;
        if (!EnvelopeOpener.Open(_encoded, _recipientKeyring).IsSuccess)
        {
            throw new InvalidOperationException("The benchmark envelope does not open.");
        }

        // Native seal: a signing key of our own (Ed25519 costs the same for any key), buffers shaped as the sealer's.
        using (var seed = SecureMemoryHandle.Create(Ed25519.SeedSize))
        {
            Span<byte> seedBytes = stackalloc byte[Ed25519.SeedSize];
            RandomNumberGenerator.Fill(seedBytes);
            seed.Import(seedBytes);
            CryptographicOperations.ZeroMemory(seedBytes);
            _nativePublicKey = new byte[Ed25519.PublicKeySize];
            _nativeSigningKey = Ed25519.KeyPairFromSeed(seed, _nativePublicKey);
        }

        _sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var paddedLength = envelope.Header.PaddedLength;
        _plaintext = new byte[paddedLength];
        _plaintext[0] = 1;
        BinaryPrimitives.WriteUInt16BigEndian(_plaintext.AsSpan(33), 1);
        _plaintext[35] = (byte)SegmentKind.Text;
        BinaryPrimitives.WriteUInt32BigEndian(_plaintext.AsSpan(36), (uint)_content.Length);
        _content.CopyTo(_plaintext, 40);
        _nativeEnvelope = _encoded.ToArray();
        var context = ProtocolConstants.EnvelopeContext;
        _signedMessage = new byte[context.Length + _headerLength + 32];
        context.CopyTo(_signedMessage, 0);
        _salt = new byte[32];
        _root = new byte[32];

        // Native open: the sealed envelope's parts, taken apart once.
        _openCiphertextAndTag = envelope.Ciphertext.ToArray();
        _openSignature = envelope.Signature.ToArray();
        _openNonce = envelope.Header.Nonce.ToArray();
        _openRoot = envelope.Header.CommitmentRoot.ToArray();
        _openSignedMessage = new byte[context.Length + _headerLength + 32];
        context.CopyTo(_openSignedMessage, 0);
        envelope.HeaderBytes.Span.CopyTo(_openSignedMessage.AsSpan(context.Length));
        _openVerificationKey = _sender.PublicKeys.SigningKey.ToArray();

        if (SealNative() != 0 || OpenNative() != 0)
        {
            throw new InvalidOperationException("The native baseline failed.");
        }
    }

    [GlobalCleanup]
    public void Cleanup() => Dispose();

    /// <summary>EnvelopeSealer.Seal: one new envelope (the output) per call.</summary>
    [Benchmark(Description = "Seal")]
    [BenchmarkCategory(SealCategory)]
    public Envelope Seal() => EnvelopeSealer.Seal(_sender, _key, ++_counter, _draft, s_now);

    /// <summary>
    /// The sealer's primitive calls for the same message: 64 + 16 random bytes (salt key and nonce input,
    /// message id), the segment salt (keyed BLAKE2b-256), the leaf hash SHA-256(0x00 || u16 i || kind || salt ||
    /// u32 length || content) which is the root of a one-segment item, the nonce (keyed BLAKE2b-192 under the
    /// envelope key), XChaCha20-Poly1305 of the padded body with the header as AD, BLAKE2b-256 of the
    /// ciphertext and Ed25519 of context || header || hash. Output goes into a preallocated envelope buffer.
    /// </summary>
    [Benchmark(Baseline = true, Description = "Seal native")]
    [BenchmarkCategory(SealCategory)]
    public int SealNative()
    {
        Span<byte> random = stackalloc byte[64];
        Span<byte> messageId = stackalloc byte[16];
        Libsodium.randombytes_buf(ref MemoryMarshal.GetReference(random), 64);
        Libsodium.randombytes_buf(ref MemoryMarshal.GetReference(messageId), 16);
        var saltKey = random[..32];

        // Segment commitment: salt, then the leaf hash, which is the root of a single leaf.
        Span<byte> index = [0, 0];
        _ = Libsodium.crypto_generichash_blake2b_salt_personal(
            ref _salt[0], 32, in index[0], 2, in saltKey[0], 32, in s_zeroSalt[0], in ProtocolConstants.SegmentSaltPersonal[0]);
        Span<byte> leafPrefix = stackalloc byte[1 + 2 + 1 + 32 + 4];
        leafPrefix[0] = 0x00;
        leafPrefix[1] = 0;
        leafPrefix[2] = 0;
        leafPrefix[3] = (byte)SegmentKind.Text;
        _salt.CopyTo(leafPrefix[4..]);
        BinaryPrimitives.WriteUInt32BigEndian(leafPrefix[36..], (uint)_content.Length);
        _sha256.AppendData(leafPrefix);
        _sha256.AppendData(_content);
        _ = _sha256.GetHashAndReset(_root);

        // Nonce: sender || counter || message id || 32 random bytes, keyed with the envelope key.
        Span<byte> nonceInput = stackalloc byte[16 + 8 + 16 + 32];
        _sender.Id.Bytes.CopyTo(nonceInput);
        BinaryPrimitives.WriteUInt64BigEndian(nonceInput[16..], ++_counter);
        messageId.CopyTo(nonceInput[24..]);
        random[32..].CopyTo(nonceInput[40..]);
        var header = _nativeEnvelope.AsSpan(0, _headerLength);
        var nonce = header[^XChaCha20Poly1305.NonceSize..];
        _ = Libsodium.crypto_generichash_blake2b_salt_personal_keyed(
            ref nonce[0], (nuint)nonce.Length, in nonceInput[0], (ulong)nonceInput.Length, _key.EnvelopeKey, 32,
            in s_zeroSalt[0], in ProtocolConstants.EnvelopeNoncePersonal[0]);
        _root.CopyTo(header[^(XChaCha20Poly1305.NonceSize + 32)..]);

        // Body: the salt key goes into the padded plaintext (the rest is laid out in the set-up).
        saltKey.CopyTo(_plaintext.AsSpan(1));
        var ciphertext = _nativeEnvelope.AsSpan(_headerLength + 4, _ciphertextLength);
        var rc = Libsodium.crypto_aead_xchacha20poly1305_ietf_encrypt(
            ref ciphertext[0], out _, in _plaintext[0], (ulong)_plaintext.Length, in header[0], (ulong)header.Length,
            IntPtr.Zero, in nonce[0], _key.EnvelopeKey);

        // Signature over context || header || BLAKE2b-256(ciphertext).
        var contextLength = ProtocolConstants.EnvelopeContext.Length;
        header.CopyTo(_signedMessage.AsSpan(contextLength));
        var hash = _signedMessage.AsSpan(contextLength + _headerLength, 32);
        _ = Libsodium.crypto_generichash_blake2b_salt_personal(
            ref hash[0], 32, in ciphertext[0], (ulong)ciphertext.Length, in Unsafe.NullRef<byte>(), 0,
            in s_zeroSalt[0], in ProtocolConstants.CiphertextHashPersonal[0]);
        var signature = _nativeEnvelope.AsSpan(_nativeEnvelope.Length - Ed25519.SignatureSize);
        rc |= Libsodium.crypto_sign_ed25519_detached(ref signature[0], out _, in _signedMessage[0], (ulong)_signedMessage.Length, _nativeSigningKey);

        CryptographicOperations.ZeroMemory(random);
        return rc;
    }

    /// <summary>EnvelopeOpener.Open from the encoded bytes: decode, membership, verify, decrypt, parse, commitment.</summary>
    [Benchmark(Description = "Open")]
    [BenchmarkCategory(OpenCategory)]
    public Result<OpenedEnvelope, EnvelopeError> Open() => EnvelopeOpener.Open(_encoded, _recipientKeyring);

    /// <summary>
    /// The opener's primitive calls for the same envelope: BLAKE2b-256 of the ciphertext, Ed25519 verify of
    /// context || header || hash, XChaCha20-Poly1305 decrypt with the header as AD, the segment salt (keyed
    /// BLAKE2b-256 with the decrypted salt key), the SHA-256 leaf hash (= root) and a constant-time compare.
    /// </summary>
    [Benchmark(Baseline = true, Description = "Open native")]
    [BenchmarkCategory(OpenCategory)]
    public int OpenNative()
    {
        var contextLength = ProtocolConstants.EnvelopeContext.Length;
        var hash = _openSignedMessage.AsSpan(contextLength + _headerLength, 32);
        _ = Libsodium.crypto_generichash_blake2b_salt_personal(
            ref hash[0], 32, in _openCiphertextAndTag[0], (ulong)_openCiphertextAndTag.Length, in Unsafe.NullRef<byte>(), 0,
            in s_zeroSalt[0], in ProtocolConstants.CiphertextHashPersonal[0]);
        if (Libsodium.crypto_sign_ed25519_verify_detached(
                in _openSignature[0], in _openSignedMessage[0], (ulong)_openSignedMessage.Length, in _openVerificationKey[0]) != 0)
        {
            return 1;
        }

        var header = _openSignedMessage.AsSpan(contextLength, _headerLength);
        if (Libsodium.crypto_aead_xchacha20poly1305_ietf_decrypt(
                ref _plaintext[0], out _, IntPtr.Zero, in _openCiphertextAndTag[0], (ulong)_openCiphertextAndTag.Length,
                in header[0], (ulong)header.Length, in _openNonce[0], _key.EnvelopeKey) != 0)
        {
            return 2;
        }

        var saltKey = _plaintext.AsSpan(1, 32);
        Span<byte> index = [0, 0];
        _ = Libsodium.crypto_generichash_blake2b_salt_personal(
            ref _salt[0], 32, in index[0], 2, in saltKey[0], 32, in s_zeroSalt[0], in ProtocolConstants.SegmentSaltPersonal[0]);
        Span<byte> leafPrefix = stackalloc byte[1 + 2 + 1 + 32 + 4];
        leafPrefix[0] = 0x00;
        leafPrefix[1] = 0;
        leafPrefix[2] = 0;
        leafPrefix[3] = _plaintext[35];
        _salt.CopyTo(leafPrefix[4..]);
        _plaintext.AsSpan(36, 4).CopyTo(leafPrefix[36..]);
        var length = (int)BinaryPrimitives.ReadUInt32BigEndian(leafPrefix[36..]);
        _sha256.AppendData(leafPrefix);
        _sha256.AppendData(_plaintext.AsSpan(40, length));
        _ = _sha256.GetHashAndReset(_root);
        return CryptographicOperations.FixedTimeEquals(_root, _openRoot) ? 0 : 3;
    }

    public void Dispose()
    {
        _sha256?.Dispose();
        _nativeSigningKey?.Dispose();
        _senderKeyring?.Dispose();
        _recipientKeyring?.Dispose();
        _manager?.Dispose();
        _sender?.Dispose();
        _recipient?.Dispose();
        GC.SuppressFinalize(this);
    }

    private static ChannelKeyring Keyring(DeviceIdentity device, EpochRecord genesis)
    {
        var chain = new EpochChain(genesis.Review, genesis.Channel, [genesis.Author]);
        if (!chain.Accept(genesis.Encoded.Span).IsSuccess)
        {
            throw new InvalidOperationException("The genesis record was not accepted.");
        }

        var keyring = new ChannelKeyring(device, chain);
        if (!keyring.Unlock(chain.Records[0]).IsSuccess)
        {
            throw new InvalidOperationException("The device could not unlock epoch 0.");
        }

        return keyring;
    }
}
