using System.Security.Cryptography;
using SecureDialogue.Vault.Interop;
using SecureDialogue.Vault.Keys;
using SecureDialogue.Vault.Primitives;

namespace SecureDialogue.Vault.Attachments;

/// <summary>
/// The file key and secretstream header of an upload that may have to be resumed (docs/protocol.md 15.6). With
/// them <see cref="AttachmentEncryptor"/> reproduces the same ciphertext from the same file, so a client killed
/// mid-upload skips the parts the server acknowledged. Kept across runs only as a sealed box to the uploading
/// device's own agreement key (<see cref="SealTo"/>): opening it needs the device's unlocked key store.
/// <code>
/// sealed = crypto_box_seal("SecureDialogue/attachment-resume/v1" 0x00 || file key (32) || header (24), device X25519 key)
/// </code>
/// </summary>
public sealed class AttachmentResumeKey : IDisposable
{
    private readonly SecureMemoryHandle _fileKey;
    private readonly byte[] _header;

    private AttachmentResumeKey(SecureMemoryHandle fileKey, byte[] header)
    {
        _fileKey = fileKey;
        _header = header;
    }

    /// <summary>Size of the sealed form.</summary>
    public static int SealedSize => ProtocolConstants.AttachmentResumeContext.Length + AttachmentFormat.KeySize + AttachmentFormat.HeaderSize + X25519.SealOverhead;

    /// <summary>The secretstream header (the first 24 bytes of the ciphertext; not secret).</summary>
    internal ReadOnlySpan<byte> Header => _header;

    /// <summary>A fresh random file key and header.</summary>
    public static AttachmentResumeKey Create()
    {
        var key = SecureMemoryHandle.Create(AttachmentFormat.KeySize);
        try
        {
            Span<byte> random = stackalloc byte[AttachmentFormat.KeySize];
            RandomSource.Default.Fill(random);
            key.Import(random);
            CryptographicOperations.ZeroMemory(random);
            var header = new byte[AttachmentFormat.HeaderSize];
            RandomSource.Default.Fill(header);
            return new AttachmentResumeKey(key, header);
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }

    /// <summary>A resume key from known parts (test vectors: the stored key and the ciphertext's first 24 bytes).</summary>
    internal static AttachmentResumeKey FromParts(ReadOnlySpan<byte> fileKey, ReadOnlySpan<byte> header)
    {
        if (fileKey.Length != AttachmentFormat.KeySize || header.Length != AttachmentFormat.HeaderSize)
        {
            throw new ArgumentException("A file key is 32 bytes and a header 24.");
        }

        return new AttachmentResumeKey(SecureMemoryHandle.CreateFrom(fileKey), header.ToArray());
    }

    /// <summary>Seals the key and header to <paramref name="device"/>'s agreement key.</summary>
    public byte[] SealTo(DevicePublicKeys device)
    {
        ArgumentNullException.ThrowIfNull(device);
        var context = ProtocolConstants.AttachmentResumeContext;
        var plain = GC.AllocateArray<byte>(context.Length + AttachmentFormat.KeySize + AttachmentFormat.HeaderSize, pinned: true);
        try
        {
            context.CopyTo(plain, 0);
            _fileKey.Export(plain.AsSpan(context.Length, AttachmentFormat.KeySize));
            _header.CopyTo(plain, context.Length + AttachmentFormat.KeySize);
            return X25519.Seal(device.AgreementKey, plain);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plain);
        }
    }

    /// <summary>Opens what <see cref="SealTo"/> produced for this device; null when it does not open or is malformed.</summary>
    public static AttachmentResumeKey? TryOpen(ReadOnlySpan<byte> sealedBox, DeviceIdentity device)
    {
        ArgumentNullException.ThrowIfNull(device);
        if (sealedBox.Length != SealedSize)
        {
            return null;
        }

        var context = ProtocolConstants.AttachmentResumeContext;
        var plain = GC.AllocateArray<byte>(sealedBox.Length - X25519.SealOverhead, pinned: true);
        try
        {
            if (!device.TryOpenSealed(sealedBox, plain) || !plain.AsSpan(0, context.Length).SequenceEqual(context))
            {
                return null;
            }

            var key = SecureMemoryHandle.CreateFrom(plain.AsSpan(context.Length, AttachmentFormat.KeySize));
            return new AttachmentResumeKey(key, plain.AsSpan(context.Length + AttachmentFormat.KeySize).ToArray());
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plain);
        }
    }

    /// <summary>A copy of the file key for a manifest to own.</summary>
    internal SecureMemoryHandle CopyFileKey()
    {
        var copy = SecureMemoryHandle.Create(AttachmentFormat.KeySize);
        var added = false;
        try
        {
            _fileKey.DangerousAddRef(ref added);
            copy.Import(_fileKey.DangerousGetSpan());
            return copy;
        }
        catch
        {
            copy.Dispose();
            throw;
        }
        finally
        {
            if (added)
            {
                _fileKey.DangerousRelease();
            }
        }
    }

    /// <summary>Wipes the file key.</summary>
    public void Dispose() => _fileKey.Dispose();

    /// <inheritdoc />
    public override string ToString() => nameof(AttachmentResumeKey);
}
