using System.Diagnostics;
using SecureDialogue.Vault.Primitives;
using SecureDialogue.Vault.Wire;

namespace SecureDialogue.Vault.Envelopes;

/// <summary>
/// An envelope as stored and sent: <c>header || u32 length || ciphertext || signature(64)</c>. Decoding
/// checks the structure only; <see cref="EnvelopeOpener"/> checks the signature and decrypts. The server
/// holds only this.
/// </summary>
public sealed class Envelope
{
    /// <summary>Largest encoded envelope: a 1 MiB padded body plus header, tag and signature.</summary>
    public const int MaxEncodedSize = Padding.MaxPaddedLength + 1024;

    private readonly ReadOnlyMemory<byte> _encoded;
    private readonly int _headerLength;

    private Envelope(EnvelopeHeader header, ReadOnlyMemory<byte> encoded, int headerLength)
    {
        Header = header;
        _encoded = encoded;
        _headerLength = headerLength;
    }

    /// <summary>The decoded public header.</summary>
    public EnvelopeHeader Header { get; }

    /// <summary>The whole encoding.</summary>
    public ReadOnlyMemory<byte> Encoded => _encoded;

    /// <summary>The header's canonical bytes: the body's associated data.</summary>
    public ReadOnlyMemory<byte> HeaderBytes => _encoded[.._headerLength];

    /// <summary>XChaCha20-Poly1305 ciphertext with its tag.</summary>
    public ReadOnlyMemory<byte> Ciphertext => _encoded.Slice(_headerLength + 4, Header.PaddedLength + XChaCha20Poly1305.TagSize);

    /// <summary>The sender device's Ed25519 signature.</summary>
    public ReadOnlyMemory<byte> Signature => _encoded[^Ed25519.SignatureSize..];

    /// <summary>
    /// Decodes an envelope's structure (bounded; never throws on hostile input). The envelope and its header
    /// refer to <paramref name="encoded"/> without copying it: the caller must not reuse that memory.
    /// </summary>
    public static Result<Envelope, EnvelopeError> Decode(ReadOnlyMemory<byte> encoded)
    {
        if (encoded.Length > MaxEncodedSize)
        {
            return EnvelopeError.Malformed;
        }

        var reader = new CanonicalReader(encoded.Span);
        var error = EnvelopeHeader.TryRead(ref reader, encoded, out var header);
        if (error != EnvelopeError.None)
        {
            return error;
        }

        var headerLength = reader.Position;
        if (!reader.TryReadUInt32(out var ciphertextLength) ||
            ciphertextLength != (uint)(header!.PaddedLength + XChaCha20Poly1305.TagSize) ||
            !reader.TryReadBytes((int)ciphertextLength, out _) ||
            !reader.TryReadBytes(Ed25519.SignatureSize, out _) || !reader.End)
        {
            return EnvelopeError.Malformed;
        }

        return new Envelope(header, encoded, headerLength);
    }

    /// <summary>
    /// A stable identifier of this exact envelope: BLAKE2b-256 of the encoding (personal <c>sdlg.env.id</c>).
    /// </summary>
    public byte[] ComputeId()
    {
        var id = new byte[32];
        Blake2b.Hash(ProtocolConstants.EnvelopeIdPersonal, _encoded.Span, id);
        return id;
    }

    internal static Envelope FromTrusted(EnvelopeHeader header, byte[] encoded, int headerLength) => new(header, encoded, headerLength);

    /// <summary>Room for the longest signed message (<see cref="WriteSignedMessage"/>): callers stackalloc it.</summary>
    internal const int MaxSignedMessageLength = MaxContextLength + EnvelopeHeader.MaxEncodedLength + 32;

    private const int MaxContextLength = 32;

    /// <summary>
    /// Writes the bytes the sender signs, <c>context || header || BLAKE2b-256(ciphertext)</c>, to the start of
    /// <paramref name="destination"/> (at least <see cref="MaxSignedMessageLength"/> bytes) and returns them.
    /// </summary>
    internal static ReadOnlySpan<byte> WriteSignedMessage(ReadOnlySpan<byte> header, ReadOnlySpan<byte> ciphertext, Span<byte> destination)
    {
        var context = ProtocolConstants.EnvelopeContext;
        Debug.Assert(context.Length <= MaxContextLength && header.Length <= EnvelopeHeader.MaxEncodedLength);
        var message = destination[..(context.Length + header.Length + 32)];
        context.CopyTo(message);
        header.CopyTo(message[context.Length..]);
        Blake2b.Hash(ProtocolConstants.CiphertextHashPersonal, ciphertext, message[(context.Length + header.Length)..]);
        return message;
    }

    /// <inheritdoc />
    public override string ToString() => $"Envelope {Header.Review}/{Header.Channel}#{Header.Epoch} from {Header.Sender} #{Header.Counter}";
}
