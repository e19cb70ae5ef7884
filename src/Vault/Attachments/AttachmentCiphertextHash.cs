using System.Security.Cryptography;
using SecureDialogue.Vault.Primitives;

namespace SecureDialogue.Vault.Attachments;

/// <summary>
/// The ciphertext hash of an attachment, BLAKE2b-256 with personalisation <c>sdlg.att.hash</c> over the whole
/// stored blob. The server computes it without any key to check an upload before committing it; clients
/// find it in the manifest. Feed the blob's bytes in order with <see cref="Append"/>, then <see cref="Finish"/>.
/// </summary>
public sealed class AttachmentCiphertextHash : IDisposable
{
    private readonly IncrementalBlake2b _hash = new(ProtocolConstants.AttachmentCiphertextHashPersonal, AttachmentFormat.HashSize);

    /// <summary>Hashes the next bytes of the blob.</summary>
    public void Append(ReadOnlySpan<byte> data) => _hash.Append(data);

    /// <summary>The 32-byte hash; the instance cannot be used afterwards.</summary>
    public byte[] Finish()
    {
        var digest = new byte[AttachmentFormat.HashSize];
        _hash.Finish(digest);
        return digest;
    }

    /// <summary>The hash of a whole blob held in memory.</summary>
    public static byte[] Compute(ReadOnlySpan<byte> blob)
    {
        using var hash = new AttachmentCiphertextHash();
        hash.Append(blob);
        return hash.Finish();
    }

    /// <summary>Constant-time comparison of two hashes.</summary>
    public static bool Matches(ReadOnlySpan<byte> expected, ReadOnlySpan<byte> actual) =>
        expected.Length == AttachmentFormat.HashSize && CryptographicOperations.FixedTimeEquals(expected, actual);

    /// <inheritdoc />
    public void Dispose() => _hash.Dispose();
}
