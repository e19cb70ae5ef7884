using System.Globalization;
using SecureDialogue.Vault.Keys;
using SecureDialogue.Vault.Primitives;

namespace SecureDialogue.Vault.Archive;

/// <summary>
/// A log (server) signing key as clients trust it: signed-note key name, Ed25519 public key, and the range of
/// tree sizes whose checkpoints it may sign (docs/protocol.md, section 15.6). A rotated key keeps its range, so
/// the checkpoints it signed keep verifying; it cannot sign a checkpoint beyond its last size.
/// </summary>
public sealed class ArchiveLogKey
{
    private readonly byte[] _publicKey;

    /// <summary>A log key valid for checkpoints of <paramref name="firstTreeSize"/> to <paramref name="lastTreeSize"/> leaves (inclusive; null = open).</summary>
    public ArchiveLogKey(string name, ReadOnlySpan<byte> publicKey, long firstTreeSize = 0, long? lastTreeSize = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!SignedNote.IsValidKeyName(name))
        {
            throw new ArgumentException("A key name is non-empty and has no space, plus sign or control character.", nameof(name));
        }

        if (!Ed25519.IsValidPublicKey(publicKey))
        {
            throw new ArgumentException("Not a valid Ed25519 public key.", nameof(publicKey));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(firstTreeSize);
        if (lastTreeSize is { } last)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(last, firstTreeSize, nameof(lastTreeSize));
        }

        Name = name;
        _publicKey = publicKey.ToArray();
        FirstTreeSize = firstTreeSize;
        LastTreeSize = lastTreeSize;
        NoteKeyId = SignedNote.KeyId(name, SignedNote.Ed25519Type, publicKey);
        TimestampKeyId = SignedNote.KeyId(name, SignedNote.CosignatureType, publicKey);
    }

    /// <summary>The signed-note key name (the server's is <see cref="CheckpointSigner.DefaultKeyName"/>).</summary>
    public string Name { get; }

    /// <summary>The 32-byte Ed25519 public key.</summary>
    public ReadOnlySpan<byte> PublicKey => _publicKey;

    /// <summary>Smallest tree size this key may sign.</summary>
    public long FirstTreeSize { get; }

    /// <summary>Largest tree size this key may sign; null while the key is current.</summary>
    public long? LastTreeSize { get; }

    /// <summary>Key ID of its Ed25519 note signatures (type 0x01).</summary>
    public uint NoteKeyId { get; }

    /// <summary>Key ID of its timestamp lines (tlog-cosignature/v1, type 0x04).</summary>
    public uint TimestampKeyId { get; }

    /// <summary>The signed-note verifier key, <c>name+hex(key ID)+base64(0x01 || public key)</c>.</summary>
    public string VerifierKey => string.Create(CultureInfo.InvariantCulture, $"{Name}+{NoteKeyId:x8}+{Convert.ToBase64String([SignedNote.Ed25519Type, .. _publicKey])}");

    /// <summary>True when this key may sign a checkpoint of <paramref name="treeSize"/> leaves.</summary>
    public bool Covers(long treeSize) => treeSize >= FirstTreeSize && (LastTreeSize is null || treeSize <= LastTreeSize);

    /// <summary>The same key with another validity range (for example closed at rotation).</summary>
    public ArchiveLogKey WithRange(long firstTreeSize, long? lastTreeSize) => new(Name, _publicKey, firstTreeSize, lastTreeSize);

    /// <summary>Parses a signed-note verifier key (type 0x01, key ID checked) into a log key with the given range.</summary>
    public static Result<ArchiveLogKey, CheckpointError> FromVerifierKey(string verifierKey, long firstTreeSize = 0, long? lastTreeSize = null)
    {
        if (!TryParseVerifierKey(verifierKey, SignedNote.Ed25519Type, out var name, out var key) || firstTreeSize < 0 || lastTreeSize < firstTreeSize)
        {
            return CheckpointError.Malformed;
        }

        return new ArchiveLogKey(name, key, firstTreeSize, lastTreeSize);
    }

    /// <summary>
    /// <c>name+hex8+base64(type || key)</c>: a valid key name, eight lower-case hex digits equal to the key ID
    /// computed from name, type and key, canonical base64, the expected type and a valid Ed25519 key. The name
    /// cannot contain '+', so the first two '+' split it; the base64 may contain more.
    /// </summary>
    internal static bool TryParseVerifierKey(string? verifierKey, byte type, out string name, out byte[] publicKey)
    {
        name = string.Empty;
        publicKey = [];
        if (verifierKey is null || verifierKey.Length > 512)
        {
            return false;
        }

        var parts = verifierKey.Split('+', 3);
        if (parts.Length != 3 || !SignedNote.IsValidKeyName(parts[0]) || parts[1].Length != 8 ||
            parts[1].Any(c => c is not ((>= '0' and <= '9') or (>= 'a' and <= 'f'))) ||
            !SignedNote.TryDecodeBase64(parts[2], 33, 33, out var key) || key[0] != type || !Ed25519.IsValidPublicKey(key.AsSpan(1)) ||
            SignedNote.KeyId(parts[0], type, key.AsSpan(1)).ToString("x8", CultureInfo.InvariantCulture) != parts[1])
        {
            return false;
        }

        name = parts[0];
        publicKey = key[1..];
        return true;
    }

    /// <inheritdoc />
    public override string ToString() => $"{VerifierKey} [{FirstTreeSize}..{LastTreeSize?.ToString(CultureInfo.InvariantCulture) ?? string.Empty}]";
}

/// <summary>
/// A cosigner whose timestamped cosignatures (tlog-cosignature/v1, Ed25519, type 0x04) clients check: a member
/// device (normally a focal point's), named <c>securedialogue.invalid/device/&lt;device id&gt;</c>, or any witness
/// given by its signed-note verifier key.
/// </summary>
public sealed class CosignerKey
{
    /// <summary>Prefix of device cosigner key names; the device id (32 lower-case hex digits) follows.</summary>
    public const string NamePrefix = "securedialogue.invalid/device/";

    private readonly byte[] _publicKey;

    private CosignerKey(string name, DeviceId? device, ReadOnlySpan<byte> publicKey)
    {
        Device = device;
        Name = name;
        _publicKey = publicKey.ToArray();
        KeyId = SignedNote.KeyId(Name, SignedNote.CosignatureType, publicKey);
    }

    /// <summary>The cosigning device; null for a witness that is not a member device.</summary>
    public DeviceId? Device { get; }

    /// <summary>Key name in signature lines.</summary>
    public string Name { get; }

    /// <summary>The Ed25519 public key.</summary>
    public ReadOnlySpan<byte> PublicKey => _publicKey;

    /// <summary>Key ID of its cosignature lines (type 0x04).</summary>
    public uint KeyId { get; }

    /// <summary>The signed-note verifier key, <c>name+hex(key ID)+base64(0x04 || public key)</c>.</summary>
    public string VerifierKey => string.Create(CultureInfo.InvariantCulture, $"{Name}+{KeyId:x8}+{Convert.ToBase64String([SignedNote.CosignatureType, .. _publicKey])}");

    /// <summary>The cosigner key of a verified device card.</summary>
    public static CosignerKey ForDevice(DevicePublicKeys device)
    {
        ArgumentNullException.ThrowIfNull(device);
        return new CosignerKey(NameFor(device.Id), device.Id, device.SigningKey);
    }

    /// <summary>Parses a type 0x04 verifier key (an external witness), checking its key ID.</summary>
    public static Result<CosignerKey, CheckpointError> FromVerifierKey(string verifierKey)
    {
        if (!ArchiveLogKey.TryParseVerifierKey(verifierKey, SignedNote.CosignatureType, out var name, out var key))
        {
            return CheckpointError.Malformed;
        }

        return new CosignerKey(name, null, key);
    }

    /// <summary>The key name of a device.</summary>
    public static string NameFor(DeviceId device) => NamePrefix + device;

    /// <inheritdoc />
    public override string ToString() => $"{Name}+{KeyId:x8}";
}

/// <summary>
/// What a client trusts for one log: the log keys with their validity ranges and the cosigners it knows
/// (focal points' devices, from the review's verified membership). Immutable.
/// </summary>
public sealed class ArchiveKeyRing
{
    /// <summary>A key ring; at least one log key.</summary>
    public ArchiveKeyRing(IEnumerable<ArchiveLogKey> logKeys, IEnumerable<CosignerKey>? cosigners = null)
    {
        ArgumentNullException.ThrowIfNull(logKeys);
        LogKeys = [.. logKeys];
        Cosigners = [.. cosigners ?? []];
        if (LogKeys.Count == 0)
        {
            throw new ArgumentException("At least one log key is needed.", nameof(logKeys));
        }
    }

    /// <summary>Log keys, current and retired.</summary>
    public IReadOnlyList<ArchiveLogKey> LogKeys { get; }

    /// <summary>Known cosigners.</summary>
    public IReadOnlyList<CosignerKey> Cosigners { get; }

    /// <summary>The same log keys with another set of cosigners.</summary>
    public ArchiveKeyRing WithCosigners(IEnumerable<CosignerKey> cosigners) => new(LogKeys, cosigners);

    /// <summary>
    /// The key ring after a rotation: <paramref name="oldKey"/> (matched by name and public key) closed at <paramref name="handoverSize"/> and
    /// <paramref name="newKey"/> valid from <paramref name="handoverSize"/> on (both may sign that checkpoint).
    /// </summary>
    public ArchiveKeyRing Rotate(ArchiveLogKey oldKey, ArchiveLogKey newKey, long handoverSize)
    {
        ArgumentNullException.ThrowIfNull(oldKey);
        ArgumentNullException.ThrowIfNull(newKey);
        bool IsOld(ArchiveLogKey k) => string.Equals(k.Name, oldKey.Name, StringComparison.Ordinal) && k.PublicKey.SequenceEqual(oldKey.PublicKey);
        if (!LogKeys.Any(IsOld))
        {
            throw new ArgumentException("The old key is not in this key ring.", nameof(oldKey));
        }

        var keys = LogKeys.Select(k => IsOld(k) ? k.WithRange(k.FirstTreeSize, handoverSize) : k).ToList();
        keys.Add(newKey.WithRange(handoverSize, null));
        return new ArchiveKeyRing(keys, Cosigners);
    }
}
