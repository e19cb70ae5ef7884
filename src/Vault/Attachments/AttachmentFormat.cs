using SecureDialogue.Vault.Primitives;

namespace SecureDialogue.Vault.Attachments;

/// <summary>
/// The attachment ciphertext format, version 1 (docs/protocol.md, section 15). A file is encrypted under a
/// random 32-byte file key with <c>crypto_secretstream_xchacha20poly1305</c>:
/// <code>
/// ciphertext = header (24) || chunk_0 || ... || chunk_{n-1}
/// chunk_i    = secretstream push of plaintext bytes [i*65536, min((i+1)*65536, P)), tag MESSAGE (0),
///              except the last, tag FINAL (3), whose associated data binds file name, media type and length
/// </code>
/// where the plaintext is zero-padded to <c>P = <see cref="PaddedLength"/>(L)</c> so that the stored size
/// shows only a Padmé bucket of the length. Every size below is a function of the plaintext length alone.
/// </summary>
public static class AttachmentFormat
{
    /// <summary>Format version written in the manifest.</summary>
    public const byte Version = 1;

    /// <summary>Suite: secretstream XChaCha20-Poly1305, BLAKE2b-256 hashes.</summary>
    public const byte Suite = 1;

    /// <summary>Plaintext bytes per chunk (64 KiB); every chunk but the last holds exactly this many.</summary>
    public const int ChunkSize = 64 * 1024;

    /// <summary>The secretstream header that starts the ciphertext.</summary>
    public const int HeaderSize = SecretStream.HeaderSize;

    /// <summary>Bytes a chunk's ciphertext adds to its plaintext (encrypted tag byte and 16-byte MAC).</summary>
    public const int ChunkOverhead = SecretStream.Overhead;

    /// <summary>Ciphertext bytes of a full chunk: 65553.</summary>
    public const int EncryptedChunkSize = ChunkSize + ChunkOverhead;

    /// <summary>Size of the file key, the plaintext hash and the ciphertext hash.</summary>
    public const int KeySize = SecretStream.KeySize;

    /// <summary>Size of the plaintext and ciphertext hashes (BLAKE2b-256).</summary>
    public const int HashSize = 32;

    /// <summary>Every plaintext pads to at least 256 bytes (as envelopes do), so small files look alike.</summary>
    public const long MinimumPaddedLength = 256;

    /// <summary>The largest plaintext the format describes: 1 TiB (2^40, a Padmé fixed point).</summary>
    public const long MaxPlaintextLength = 1L << 40;

    /// <summary>
    /// Managed memory one encryption or decryption rents from <see cref="System.Buffers.ArrayPool{T}.Shared"/>:
    /// two plaintext chunks and one ciphertext chunk (196,625 bytes), whatever the file size.
    /// </summary>
    public const int BufferSize = (2 * ChunkSize) + EncryptedChunkSize;

    /// <summary>
    /// The padded length <c>P</c> of a plaintext of <paramref name="plaintextLength"/> bytes: Padmé
    /// (only the top <c>floor(log2(floor(log2 L))) + 1</c> bits of L survive), at least 256.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Negative or above <see cref="MaxPlaintextLength"/>.</exception>
    public static long PaddedLength(long plaintextLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(plaintextLength);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(plaintextLength, MaxPlaintextLength);
        if (plaintextLength <= MinimumPaddedLength)
        {
            return MinimumPaddedLength;
        }

        var e = 63 - long.LeadingZeroCount(plaintextLength);    // floor(log2 L)
        var s = 64 - long.LeadingZeroCount(e);                  // floor(log2 E) + 1
        var mask = (1L << (int)(e - s)) - 1;
        return (plaintextLength + mask) & ~mask;
    }

    /// <summary>Number of chunks: <c>ceil(P / 65536)</c> (at least 1).</summary>
    public static long ChunkCount(long plaintextLength) => (PaddedLength(plaintextLength) + ChunkSize - 1) / ChunkSize;

    /// <summary>Stored (ciphertext) size: <c>24 + P + 17 * chunk count</c>; this is all the server learns of the size.</summary>
    public static long CiphertextLength(long plaintextLength) =>
        HeaderSize + PaddedLength(plaintextLength) + (ChunkOverhead * ChunkCount(plaintextLength));

    /// <summary>Plaintext (padded) bytes in chunk <paramref name="index"/> of a file with padded length <paramref name="padded"/>.</summary>
    internal static int ChunkPlaintextLength(long padded, long index) => (int)Math.Min(ChunkSize, padded - (index * ChunkSize));
}
