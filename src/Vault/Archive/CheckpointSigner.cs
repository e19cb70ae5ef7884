using System.Buffers.Binary;
using SecureDialogue.Vault.Interop;
using SecureDialogue.Vault.Keys;
using SecureDialogue.Vault.Primitives;

namespace SecureDialogue.Vault.Archive;

/// <summary>
/// The log's (server's) checkpoint key: an Ed25519 key kept in libsodium memory, used for nothing but
/// checkpoints. <see cref="Sign"/> adds two lines to a checkpoint: the signed-note Ed25519 signature (type 0x01)
/// and a tlog-cosignature/v1 timestamp (type 0x04) by the same key, the signed time clients use to detect a
/// frozen log (docs/protocol.md, sections 15.4 and 15.7).
/// </summary>
public sealed class CheckpointSigner : IDisposable
{
    /// <summary>The key name of the server's checkpoint key.</summary>
    public const string DefaultKeyName = "securedialogue-archive";

    /// <summary>Size of the secret seed.</summary>
    public const int SeedSize = Ed25519.SeedSize;

    private readonly SecureMemoryHandle _seed;
    private readonly SecureMemoryHandle _secretKey;
    private readonly byte[] _publicKey = new byte[Ed25519.PublicKeySize];

    private CheckpointSigner(SecureMemoryHandle seed, string keyName)
    {
        _seed = seed;
        _secretKey = Ed25519.KeyPairFromSeed(seed, _publicKey);
        KeyName = keyName;
        NoteKeyId = SignedNote.KeyId(keyName, SignedNote.Ed25519Type, _publicKey);
        TimestampKeyId = SignedNote.KeyId(keyName, SignedNote.CosignatureType, _publicKey);
    }

    /// <summary>The signed-note key name.</summary>
    public string KeyName { get; }

    /// <summary>The Ed25519 public key.</summary>
    public ReadOnlySpan<byte> PublicKey => _publicKey;

    /// <summary>Key ID of the Ed25519 signature lines.</summary>
    public uint NoteKeyId { get; }

    /// <summary>Key ID of the timestamp lines.</summary>
    public uint TimestampKeyId { get; }

    /// <summary>A new key from the system random generator.</summary>
    public static CheckpointSigner Create(string keyName = DefaultKeyName) => Create(RandomSource.Default, keyName);

    /// <summary>The key of a stored 32-byte seed (the server's secret store).</summary>
    public static CheckpointSigner FromSeed(ReadOnlySpan<byte> seed, string keyName = DefaultKeyName)
    {
        ArgumentNullException.ThrowIfNull(keyName);
        if (seed.Length != SeedSize)
        {
            throw new ArgumentException($"The seed is {SeedSize} bytes.", nameof(seed));
        }

        if (!SignedNote.IsValidKeyName(keyName))
        {
            throw new ArgumentException("A key name is non-empty and has no space, plus sign or control character.", nameof(keyName));
        }

        var handle = SecureMemoryHandle.CreateFrom(seed);
        try
        {
            return new CheckpointSigner(handle, keyName);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>Writes the 32-byte seed, for the server's secret store only.</summary>
    public void ExportSeed(Span<byte> destination)
    {
        if (destination.Length != SeedSize)
        {
            throw new ArgumentException($"The seed is {SeedSize} bytes.", nameof(destination));
        }

        _seed.Export(destination);
    }

    /// <summary>This key as clients trust it, valid for the given tree sizes.</summary>
    public ArchiveLogKey LogKey(long firstTreeSize = 0, long? lastTreeSize = null) => new(KeyName, _publicKey, firstTreeSize, lastTreeSize);

    /// <summary>
    /// Signs the checkpoint (<paramref name="origin"/>, <paramref name="treeSize"/>, <paramref name="rootHash"/>)
    /// at <paramref name="time"/> (truncated to whole seconds): an Ed25519 note signature and a timestamp line.
    /// The caller must only sign roots its <see cref="MerkleLog"/> computed, each consistent with every earlier
    /// one, and should re-sign the current size at least every <see cref="LogViewOptions.MaxAge"/> / 2.
    /// </summary>
    public SignedCheckpoint Sign(string origin, long treeSize, ReadOnlySpan<byte> rootHash, DateTimeOffset time) =>
        AddSignatures(SignedCheckpoint.Create(origin, treeSize, rootHash), time);

    /// <summary>
    /// Adds this key's two lines to an existing checkpoint: during a rotation, the handover checkpoint is signed
    /// by the old and the new key.
    /// </summary>
    public SignedCheckpoint AddSignatures(SignedCheckpoint checkpoint, DateTimeOffset time)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        var signed = checkpoint.WithSignature(SignText(checkpoint.Body));
        return signed.WithSignature(Timestamped(KeyName, TimestampKeyId, checkpoint.Body, time, (m, s) => Ed25519.Sign(_secretKey, m, s)));
    }

    /// <summary>The signed-note Ed25519 signature line of any note text (interoperability tests).</summary>
    internal NoteSignature SignText(string text)
    {
        var signature = new byte[Ed25519.SignatureSize];
        Ed25519.Sign(_secretKey, SignedNote.StrictUtf8.GetBytes(text), signature);
        return new NoteSignature(KeyName, NoteKeyId, signature);
    }

    /// <summary>Wipes and frees the key.</summary>
    public void Dispose()
    {
        _secretKey.Dispose();
        _seed.Dispose();
    }

    /// <inheritdoc />
    public override string ToString() => $"CheckpointSigner {KeyName}+{NoteKeyId:x8}";

    internal static CheckpointSigner Create(IRandomSource random, string keyName)
    {
        Span<byte> seed = stackalloc byte[SeedSize];
        try
        {
            random.Fill(seed);
            return FromSeed(seed, keyName);
        }
        finally
        {
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(seed);
        }
    }

    /// <summary>A tlog-cosignature/v1 line: <c>key ID || u64 timestamp || Ed25519(cosignature/v1\ntime T\n || body)</c>.</summary>
    internal static NoteSignature Timestamped(string keyName, uint keyId, string body, DateTimeOffset time, Action<ReadOnlySpan<byte>, Span<byte>> sign)
    {
        var seconds = time.ToUnixTimeSeconds();
        if (seconds < 0 || (ulong)seconds > SignedCheckpoint.MaxTimestampSeconds)
        {
            throw new ArgumentOutOfRangeException(nameof(time), time, "The time must be between 1970 and 9999.");
        }

        var signature = new byte[8 + Ed25519.SignatureSize];
        BinaryPrimitives.WriteUInt64BigEndian(signature, (ulong)seconds);
        sign(SignedNote.TimestampedMessage((ulong)seconds, body), signature.AsSpan(8));
        return new NoteSignature(keyName, keyId, signature);
    }

    /// <summary><paramref name="checkpoint"/> with the device's cosignature line (replacing an earlier one of the same device).</summary>
    internal static SignedCheckpoint Cosign(DeviceIdentity device, SignedCheckpoint checkpoint, DateTimeOffset time)
    {
        var key = CosignerKey.ForDevice(device.PublicKeys);
        var line = Timestamped(key.Name, key.KeyId, checkpoint.Body, time, device.Sign);
        return checkpoint.WithoutSignature(key.Name, key.KeyId).WithSignature(line);
    }
}
