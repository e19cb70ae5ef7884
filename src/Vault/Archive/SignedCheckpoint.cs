using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Unicode;
using SecureDialogue.Vault.Merkle;
using SecureDialogue.Vault.Primitives;

namespace SecureDialogue.Vault.Archive;

/// <summary>
/// A checkpoint as a C2SP signed note (c2sp.org/tlog-checkpoint, c2sp.org/signed-note): the body
/// <c>origin\nsize\nbase64(root)\n</c>, a blank line, and one or more signature lines
/// <c>— name base64(key ID || signature)\n</c> (docs/protocol.md, section 15.4). Parsing is bounded and strict
/// (one spelling per checkpoint: the encoding re-serialises byte for byte); <see cref="Verify"/> decides
/// whether the log signed it.
/// </summary>
public sealed class SignedCheckpoint
{
    /// <summary>Largest encoded checkpoint accepted, in bytes.</summary>
    public const int MaxEncodedSize = 16 * 1024;

    /// <summary>Most signature lines accepted (signed-note requires at least 16).</summary>
    public const int MaxSignatures = 64;

    /// <summary>Longest origin line, in bytes.</summary>
    public const int MaxOriginLength = 255;

    private readonly byte[] _root;
    private readonly List<NoteSignature> _signatures;

    private SignedCheckpoint(string origin, long treeSize, byte[] root, List<NoteSignature> signatures)
    {
        Origin = origin;
        TreeSize = treeSize;
        _root = root;
        _signatures = signatures;
        Body = FormatBody(origin, treeSize, root);
    }

    /// <summary>The origin line: the log's identity, <c>securedialogue.invalid/review/&lt;uuid&gt;</c> for a review.</summary>
    public string Origin { get; }

    /// <summary>Number of leaves.</summary>
    public long TreeSize { get; }

    /// <summary>The RFC 9162 root hash (32 bytes).</summary>
    public ReadOnlySpan<byte> RootHash => _root;

    /// <summary>The note text: the three body lines, each ending in a newline. This is what is signed.</summary>
    public string Body { get; }

    /// <summary>The signature lines, in order.</summary>
    public IReadOnlyList<NoteSignature> Signatures => _signatures;

    /// <summary>The whole signed note: body, blank line, signature lines.</summary>
    public string Text => Body + "\n" + string.Concat(_signatures.Select(s => s.Line));

    /// <summary>The note as UTF-8 bytes.</summary>
    public byte[] Encode() => SignedNote.StrictUtf8.GetBytes(Text);

    /// <summary>The body of a checkpoint: <c>origin\nsize\nbase64(root)\n</c>.</summary>
    public static string FormatBody(string origin, long treeSize, ReadOnlySpan<byte> rootHash) =>
        string.Create(CultureInfo.InvariantCulture, $"{origin}\n{treeSize}\n{Convert.ToBase64String(rootHash)}\n");

    /// <summary>Parses a checkpoint from text (UTF-16; encoded to UTF-8 first, so lone surrogates are refused).</summary>
    public static Result<SignedCheckpoint, CheckpointError> Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length > MaxEncodedSize)
        {
            return CheckpointError.TooLarge;
        }

        byte[] bytes;
        try
        {
            bytes = SignedNote.StrictUtf8.GetBytes(text);
        }
        catch (EncoderFallbackException)
        {
            return CheckpointError.Malformed;
        }

        return Parse(bytes);
    }

    /// <summary>
    /// Parses a checkpoint: at most <see cref="MaxEncodedSize"/> bytes of well-formed UTF-8 without control
    /// characters other than newline; the signatures after the last blank line; a body of exactly origin, size
    /// and root; 1 to <see cref="MaxSignatures"/> signature lines, no two with the same key name and key ID.
    /// Linear in the input; never throws on hostile input. Says nothing about who signed: see <see cref="Verify"/>.
    /// </summary>
    public static Result<SignedCheckpoint, CheckpointError> Parse(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length > MaxEncodedSize)
        {
            return CheckpointError.TooLarge;
        }

        if (utf8.Length == 0 || !Utf8.IsValid(utf8))
        {
            return CheckpointError.Malformed;
        }

        foreach (var b in utf8)
        {
            if (b < 0x20 && b != (byte)'\n')
            {
                return CheckpointError.Malformed;
            }
        }

        var text = SignedNote.StrictUtf8.GetString(utf8);
        var split = text.LastIndexOf("\n\n", StringComparison.Ordinal);
        if (split < 0)
        {
            return CheckpointError.Malformed;
        }

        var body = text[..(split + 1)];
        var signatureText = text[(split + 2)..];
        if (!TryParseBody(body, out var origin, out var treeSize, out var root))
        {
            return CheckpointError.Malformed;
        }

        if (signatureText.Length == 0 || signatureText[^1] != '\n')
        {
            return CheckpointError.Malformed;
        }

        var signatures = new List<NoteSignature>();
        var seen = new HashSet<(string, uint)>();
        var position = 0;
        while (position < signatureText.Length)
        {
            if (signatures.Count == MaxSignatures)
            {
                return CheckpointError.TooManySignatures;
            }

            var end = signatureText.IndexOf('\n', position);
            if (!TryParseSignatureLine(signatureText.AsSpan(position, end - position), out var signature) || !seen.Add((signature.KeyName, signature.KeyId)))
            {
                return CheckpointError.Malformed;
            }

            signatures.Add(signature);
            position = end + 1;
        }

        return new SignedCheckpoint(origin, treeSize, root, signatures);
    }

    /// <summary>
    /// Verifies the checkpoint for the log <paramref name="expectedOrigin"/> against <paramref name="keys"/>, as
    /// signed-note requires: lines of unknown keys are ignored; every line whose key name and key ID match a
    /// known key (log key or cosigner) must verify, or the whole checkpoint is <see cref="CheckpointError.BadSignature"/>;
    /// at least one Ed25519 signature and one timestamp line by a log key covering the tree size must be present
    /// (<see cref="CheckpointError.NotSigned"/>, <see cref="CheckpointError.NoTimestamp"/>). The checkpoint's time is
    /// the earliest such timestamp.
    /// </summary>
    public Result<VerifiedCheckpoint, CheckpointError> Verify(ArchiveKeyRing keys, string expectedOrigin)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(expectedOrigin);
        if (!string.Equals(Origin, expectedOrigin, StringComparison.Ordinal))
        {
            return CheckpointError.WrongOrigin;
        }

        var body = SignedNote.StrictUtf8.GetBytes(Body);
        var signed = false;
        ulong? time = null;
        var cosignatures = new List<Cosignature>();
        foreach (var line in _signatures)
        {
            var known = false;
            foreach (var key in keys.LogKeys)
            {
                if (!string.Equals(line.KeyName, key.Name, StringComparison.Ordinal))
                {
                    continue;
                }

                if (line.KeyId == key.NoteKeyId)
                {
                    known = true;
                    if (line.Signature.Length != Ed25519.SignatureSize || !Ed25519.Verify(key.PublicKey, body, line.Signature))
                    {
                        return CheckpointError.BadSignature;
                    }

                    signed |= key.Covers(TreeSize);
                }
                else if (line.KeyId == key.TimestampKeyId)
                {
                    known = true;
                    if (!VerifyTimestamped(line, key.PublicKey, out var timestamp))
                    {
                        return CheckpointError.BadSignature;
                    }

                    if (key.Covers(TreeSize))
                    {
                        time = time is { } t ? Math.Min(t, timestamp) : timestamp;
                    }
                }
            }

            if (known)
            {
                continue;
            }

            foreach (var cosigner in keys.Cosigners)
            {
                if (string.Equals(line.KeyName, cosigner.Name, StringComparison.Ordinal) && line.KeyId == cosigner.KeyId)
                {
                    if (!VerifyTimestamped(line, cosigner.PublicKey, out var timestamp))
                    {
                        return CheckpointError.BadSignature;
                    }

                    cosignatures.Add(new Cosignature(cosigner, DateTimeOffset.FromUnixTimeSeconds((long)timestamp)));
                    break;
                }
            }
        }

        if (!signed)
        {
            return CheckpointError.NotSigned;
        }

        if (time is null)
        {
            return CheckpointError.NoTimestamp;
        }

        return new VerifiedCheckpoint(this, DateTimeOffset.FromUnixTimeSeconds((long)time.Value), cosignatures);

        bool VerifyTimestamped(NoteSignature line, ReadOnlySpan<byte> publicKey, out ulong timestamp) =>
            line.TryGetTimestamp(out timestamp, out var signature) &&
            timestamp <= MaxTimestampSeconds &&
            Ed25519.Verify(publicKey, SignedNote.TimestampedMessage(timestamp, Body), signature);
    }

    /// <summary>True when the two checkpoints have the same origin, size and root (signatures aside).</summary>
    public bool SameTreeHead(SignedCheckpoint other) =>
        other is not null && string.Equals(Origin, other.Origin, StringComparison.Ordinal) && TreeSize == other.TreeSize &&
        CryptographicOperations.FixedTimeEquals(_root, other._root);

    /// <inheritdoc />
    public override string ToString() => $"Checkpoint {Origin} {TreeSize}";

    /// <summary>Latest timestamp a verifier accepts: 9999-12-31T23:59:59Z, the protocol's time ceiling.</summary>
    internal const ulong MaxTimestampSeconds = 253402300799;

    internal static SignedCheckpoint Create(string origin, long treeSize, ReadOnlySpan<byte> root)
    {
        if (!IsValidOrigin(origin))
        {
            throw new ArgumentException("An origin is 1 to 255 printable ASCII characters without space or plus sign.", nameof(origin));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(treeSize);
        if (root.Length != MerkleHash.Size)
        {
            throw new ArgumentException("A root hash is 32 bytes.", nameof(root));
        }

        return new SignedCheckpoint(origin, treeSize, root.ToArray(), []);
    }

    /// <summary>A copy with one more signature line (replacing none; a line of the same key name and ID is refused).</summary>
    internal SignedCheckpoint WithSignature(NoteSignature signature)
    {
        if (_signatures.Any(s => string.Equals(s.KeyName, signature.KeyName, StringComparison.Ordinal) && s.KeyId == signature.KeyId))
        {
            throw new InvalidOperationException($"The checkpoint already has a signature by {signature.KeyName}.");
        }

        if (_signatures.Count == MaxSignatures)
        {
            throw new InvalidOperationException("The checkpoint has the maximum number of signatures.");
        }

        var copy = new SignedCheckpoint(Origin, TreeSize, _root, [.. _signatures, signature]);
        if (SignedNote.StrictUtf8.GetByteCount(copy.Text) > MaxEncodedSize)
        {
            throw new InvalidOperationException("The checkpoint would exceed its maximum size.");
        }

        return copy;
    }

    /// <summary>A copy without the line of the given key name and ID, if any.</summary>
    internal SignedCheckpoint WithoutSignature(string keyName, uint keyId) =>
        new(Origin, TreeSize, _root, [.. _signatures.Where(s => !(string.Equals(s.KeyName, keyName, StringComparison.Ordinal) && s.KeyId == keyId))]);

    internal static bool IsValidOrigin(string origin) =>
        origin.Length is >= 1 and <= MaxOriginLength && origin.All(c => c is > ' ' and <= '~' and not '+');

    private static bool TryParseBody(string body, out string origin, out long treeSize, out byte[] root)
    {
        origin = string.Empty;
        treeSize = 0;
        root = [];
        var lines = body.Split('\n');

        // "a\nb\nc\n" splits into four parts, the last empty: exactly three lines, no extension lines.
        if (lines.Length != 4 || lines[3].Length != 0 || !IsValidOrigin(lines[0]))
        {
            return false;
        }

        var size = lines[1];
        if (size.Length is 0 or > 19 || size.Any(c => c is < '0' or > '9') || (size.Length > 1 && size[0] == '0') ||
            !long.TryParse(size, NumberStyles.None, CultureInfo.InvariantCulture, out treeSize))
        {
            return false;
        }

        if (!SignedNote.TryDecodeBase64(lines[2], MerkleHash.Size, MerkleHash.Size, out root))
        {
            return false;
        }

        origin = lines[0];
        return true;
    }

    private static bool TryParseSignatureLine(ReadOnlySpan<char> line, out NoteSignature signature)
    {
        signature = null!;
        if (!line.StartsWith(SignedNote.SignaturePrefix, StringComparison.Ordinal))
        {
            return false;
        }

        line = line[SignedNote.SignaturePrefix.Length..];
        var space = line.IndexOf(' ');
        if (space <= 0)
        {
            return false;
        }

        var name = new string(line[..space]);
        var encoded = new string(line[(space + 1)..]);
        if (!SignedNote.IsValidKeyName(name) || !SignedNote.TryDecodeBase64(encoded, 5, MaxEncodedSize, out var payload))
        {
            return false;
        }

        signature = new NoteSignature(name, BinaryPrimitives.ReadUInt32BigEndian(payload), payload[4..]);
        return true;
    }
}

/// <summary>A cosignature that verified: who and when (the cosigner's own clock, whole seconds).</summary>
/// <param name="Cosigner">The cosigning device.</param>
/// <param name="Time">The timestamp it signed.</param>
public sealed record Cosignature(CosignerKey Cosigner, DateTimeOffset Time);

/// <summary>
/// A checkpoint whose log signature and timestamp verified for its origin: origin, size, root, the log's signed
/// time and the cosignatures of known cosigners. Only <see cref="SignedCheckpoint.Verify"/> makes one.
/// </summary>
public sealed class VerifiedCheckpoint
{
    internal VerifiedCheckpoint(SignedCheckpoint note, DateTimeOffset time, IReadOnlyList<Cosignature> cosignatures)
    {
        Note = note;
        Time = time;
        Cosignatures = cosignatures;
    }

    /// <summary>The signed note as received (kept as evidence).</summary>
    public SignedCheckpoint Note { get; }

    /// <summary>The log's identity.</summary>
    public string Origin => Note.Origin;

    /// <summary>Number of leaves.</summary>
    public long TreeSize => Note.TreeSize;

    /// <summary>The RFC 9162 root hash.</summary>
    public ReadOnlySpan<byte> RootHash => Note.RootHash;

    /// <summary>The log's signed timestamp: as of this time, this was the largest tree it had.</summary>
    public DateTimeOffset Time { get; }

    /// <summary>Cosignatures of known cosigners that verified.</summary>
    public IReadOnlyList<Cosignature> Cosignatures { get; }

    /// <inheritdoc />
    public override string ToString() => $"{Note} at {Time:O}";
}
