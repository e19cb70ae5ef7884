using System.Security.Cryptography;
using SecureDialogue.Vault.Archive;
using SecureDialogue.Vault.Keys;
using SecureDialogue.Vault.Primitives;
using SecureDialogue.Vault.Wire;

namespace SecureDialogue.Vault.Envelopes;

/// <summary>
/// An envelope with its ciphertext replaced by the ciphertext hash the sender signed:
/// <c>header || BLAKE2b-256("sdlg.ct.hash", ciphertext) (32) || signature (64)</c> (docs/protocol.md, section 7.12).
/// It carries exactly the bytes the sender's signature covers, so anyone can check who wrote the header (and
/// through its commitment root, every segment) without the ciphertext or any key. It is the payload of an
/// archive <see cref="ArchiveEntryKind.Envelope"/> entry, and the part of a publication that names the item.
/// </summary>
public sealed class EnvelopeSummary
{
    /// <summary>Size of the ciphertext hash.</summary>
    public const int CiphertextHashSize = 32;

    /// <summary>Shortest encoding: the shortest header (one-byte channel, two-byte language) plus hash and signature.</summary>
    public const int MinEncodedSize = EnvelopeHeader.MinEncodedLength + CiphertextHashSize + Ed25519.SignatureSize;

    /// <summary>Longest encoding.</summary>
    public const int MaxEncodedSize = EnvelopeHeader.MaxEncodedLength + CiphertextHashSize + Ed25519.SignatureSize;

    private readonly byte[] _encoded;
    private readonly int _headerLength;

    private EnvelopeSummary(EnvelopeHeader header, byte[] encoded, int headerLength)
    {
        Header = header;
        _encoded = encoded;
        _headerLength = headerLength;
    }

    /// <summary>The decoded header.</summary>
    public EnvelopeHeader Header { get; }

    /// <summary>The header's canonical bytes.</summary>
    public ReadOnlySpan<byte> HeaderBytes => _encoded.AsSpan(0, _headerLength);

    /// <summary>The BLAKE2b-256 hash of the ciphertext (personal <c>sdlg.ct.hash</c>), as signed.</summary>
    public ReadOnlySpan<byte> CiphertextHash => _encoded.AsSpan(_headerLength, CiphertextHashSize);

    /// <summary>The sender's signature.</summary>
    public ReadOnlySpan<byte> Signature => _encoded.AsSpan(_headerLength + CiphertextHashSize);

    /// <summary>The canonical encoding (a copy).</summary>
    public byte[] Encode() => (byte[])_encoded.Clone();

    /// <summary>The summary of an envelope.</summary>
    public static EnvelopeSummary Of(Envelope envelope)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        var header = envelope.HeaderBytes.Span;
        var encoded = new byte[header.Length + CiphertextHashSize + Ed25519.SignatureSize];
        header.CopyTo(encoded);
        Blake2b.Hash(ProtocolConstants.CiphertextHashPersonal, envelope.Ciphertext.Span, encoded.AsSpan(header.Length, CiphertextHashSize));
        envelope.Signature.Span.CopyTo(encoded.AsSpan(header.Length + CiphertextHashSize));
        return Decode(encoded).Value!;
    }

    /// <summary>
    /// Decodes a summary: a header by the rules of section 7.3, then exactly 32 + 64 bytes. Structural only,
    /// bounded, never throws on hostile input; <see cref="VerifySignature"/> checks the signature.
    /// </summary>
    public static Result<EnvelopeSummary, EnvelopeError> Decode(ReadOnlySpan<byte> encoded)
    {
        if (encoded.Length is < 2 or > MaxEncodedSize)
        {
            return EnvelopeError.Malformed;
        }

        var copy = encoded.ToArray();
        var reader = new CanonicalReader(copy);
        var error = EnvelopeHeader.TryRead(ref reader, copy, out var header);
        if (error != EnvelopeError.None)
        {
            return error;
        }

        var headerLength = reader.Position;
        if (!reader.TryReadBytes(CiphertextHashSize, out _) || !reader.TryReadBytes(Ed25519.SignatureSize, out _) || !reader.End)
        {
            return EnvelopeError.Malformed;
        }

        return new EnvelopeSummary(header!, copy, headerLength);
    }

    /// <summary>True when <paramref name="sender"/> is the header's sender and signed <c>context || header || ciphertext hash</c>.</summary>
    public bool VerifySignature(DevicePublicKeys sender)
    {
        ArgumentNullException.ThrowIfNull(sender);
        if (sender.Id != Header.Sender)
        {
            return false;
        }

        var context = ProtocolConstants.EnvelopeContext;
        var message = new byte[context.Length + _headerLength + CiphertextHashSize];
        context.CopyTo(message, 0);
        _encoded.AsSpan(0, _headerLength + CiphertextHashSize).CopyTo(message.AsSpan(context.Length));
        return Ed25519.Verify(sender.SigningKey, message, Signature);
    }

    /// <summary>True when <paramref name="envelope"/> is the envelope this summarises (header, ciphertext hash and signature; constant time).</summary>
    public bool Describes(Envelope envelope)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        var other = Of(envelope);
        return other._encoded.Length == _encoded.Length && CryptographicOperations.FixedTimeEquals(other._encoded, _encoded);
    }

    /// <summary>
    /// The archive entry recording this envelope at <paramref name="index"/> of its review's log, received at
    /// <paramref name="receivedAt"/>: kind <see cref="ArchiveEntryKind.Envelope"/>, this summary inline.
    /// </summary>
    public ArchiveEntry ToArchiveEntry(long index, DateTimeOffset receivedAt) =>
        ArchiveEntry.Create(Header.Review, index, ArchiveEntryKind.Envelope, receivedAt, _encoded);

    /// <inheritdoc />
    public override string ToString() => $"EnvelopeSummary {Header.Review}/{Header.Channel}#{Header.Epoch} from {Header.Sender} #{Header.Counter}";
}
