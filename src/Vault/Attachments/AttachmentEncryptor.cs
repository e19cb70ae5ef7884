using System.Buffers;
using System.Security.Cryptography;
using SecureDialogue.Vault.Interop;
using SecureDialogue.Vault.Primitives;

namespace SecureDialogue.Vault.Attachments;

/// <summary>
/// Encrypts a file from a stream to a stream in the attachment format (<see cref="AttachmentFormat"/>), in
/// constant memory: <see cref="AttachmentFormat.BufferSize"/> bytes rented from the shared array pool, whatever
/// the file size. Draws a fresh file key per call; the secretstream header is drawn by libsodium.
/// </summary>
public static class AttachmentEncryptor
{
    /// <summary>
    /// Reads <paramref name="source"/> to its end, writes the ciphertext to <paramref name="destination"/> and
    /// returns the manifest (which owns the file key: dispose it). Progress reports plaintext bytes read,
    /// once per chunk. Fails with <see cref="AttachmentError.TooLarge"/> as soon as the source exceeds
    /// <paramref name="maxPlaintextLength"/>; what was written to the destination is then meaningless.
    /// </summary>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    /// <exception cref="IOException">Reading the source or writing the destination failed.</exception>
    public static Task<Result<AttachmentManifest, AttachmentError>> EncryptAsync(
        Stream source,
        Stream destination,
        AttachmentDescription description,
        IProgress<long>? progress = null,
        long maxPlaintextLength = AttachmentFormat.MaxPlaintextLength,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(description);
        ArgumentOutOfRangeException.ThrowIfNegative(maxPlaintextLength);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxPlaintextLength, AttachmentFormat.MaxPlaintextLength);
        return EncryptCoreAsync(source, destination, description, progress, maxPlaintextLength, RandomSource.Default, null, cancellationToken);
    }

    /// <summary>
    /// Encrypts like <see cref="EncryptAsync(Stream, Stream, AttachmentDescription, IProgress{long}?, long, CancellationToken)"/>
    /// under a file key and secretstream header chosen beforehand (<see cref="AttachmentResumeKey"/>): the same
    /// plaintext and description always give the same ciphertext, byte for byte. A client that was interrupted
    /// mid-upload uses it to reproduce the parts the server already holds, and sends only the missing ones.
    /// Never use one resume key for two different plaintexts.
    /// </summary>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    /// <exception cref="IOException">Reading the source or writing the destination failed.</exception>
    public static Task<Result<AttachmentManifest, AttachmentError>> EncryptAsync(
        Stream source,
        Stream destination,
        AttachmentDescription description,
        AttachmentResumeKey key,
        IProgress<long>? progress = null,
        long maxPlaintextLength = AttachmentFormat.MaxPlaintextLength,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(description);
        ArgumentNullException.ThrowIfNull(key);
        ArgumentOutOfRangeException.ThrowIfNegative(maxPlaintextLength);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxPlaintextLength, AttachmentFormat.MaxPlaintextLength);
        return EncryptCoreAsync(source, destination, description, progress, maxPlaintextLength, RandomSource.Default, key, cancellationToken);
    }

    internal static async Task<Result<AttachmentManifest, AttachmentError>> EncryptCoreAsync(
        Stream source, Stream destination, AttachmentDescription description, IProgress<long>? progress, long maxPlaintextLength,
        IRandomSource random, AttachmentResumeKey? resumeKey, CancellationToken cancellationToken)
    {
        var fileKey = resumeKey is null ? NewFileKey(random) : resumeKey.CopyFileKey();
        var current = ArrayPool<byte>.Shared.Rent(AttachmentFormat.ChunkSize);
        var next = ArrayPool<byte>.Shared.Rent(AttachmentFormat.ChunkSize);
        var cipher = ArrayPool<byte>.Shared.Rent(AttachmentFormat.EncryptedChunkSize);
        try
        {
            using var plaintextHash = new IncrementalBlake2b(ProtocolConstants.AttachmentPlaintextHashPersonal, AttachmentFormat.HashSize);
            using var ciphertextHash = new IncrementalBlake2b(ProtocolConstants.AttachmentCiphertextHashPersonal, AttachmentFormat.HashSize);
            using var push = StartPush(fileKey, resumeKey, cipher.AsSpan(0, AttachmentFormat.HeaderSize));
            ciphertextHash.Append(cipher.AsSpan(0, AttachmentFormat.HeaderSize));
            await destination.WriteAsync(cipher.AsMemory(0, AttachmentFormat.HeaderSize), cancellationToken).ConfigureAwait(false);

            // Read one chunk ahead: a full chunk is final only if nothing (source bytes or padding) follows it.
            var currentLength = await FillAsync(source, current, cancellationToken).ConfigureAwait(false);
            long length = currentLength;
            var ended = currentLength < AttachmentFormat.ChunkSize;
            plaintextHash.Append(current.AsSpan(0, currentLength));
            if (length > maxPlaintextLength)
            {
                return AttachmentError.TooLarge;
            }

            progress?.Report(length);
            while (!ended)
            {
                var nextLength = await FillAsync(source, next, cancellationToken).ConfigureAwait(false);
                length += nextLength;
                ended = nextLength < AttachmentFormat.ChunkSize;
                plaintextHash.Append(next.AsSpan(0, nextLength));
                if (length > maxPlaintextLength)
                {
                    return AttachmentError.TooLarge;
                }

                if (nextLength == 0)
                {
                    break;
                }

                await PushAsync(push, current.AsMemory(0, currentLength), [], SecretStream.TagMessage, cipher, ciphertextHash, destination, cancellationToken)
                    .ConfigureAwait(false);
                (current, next) = (next, current);
                currentLength = nextLength;
                progress?.Report(length);
            }

            // The source has ended: `current` holds its last bytes (possibly none). Pad with zeros to P.
            var padded = AttachmentFormat.PaddedLength(length);
            var remaining = padded - (length - currentLength);
            var finalData = AttachmentDescription.FinalChunkAssociatedData(description.FileName, description.MediaType, length);
            while (true)
            {
                var chunkLength = (int)Math.Min(AttachmentFormat.ChunkSize, remaining);
                current.AsSpan(currentLength, chunkLength - currentLength).Clear();
                remaining -= chunkLength;
                var final = remaining == 0;
                await PushAsync(
                        push, current.AsMemory(0, chunkLength), final ? finalData : [], final ? SecretStream.TagFinal : SecretStream.TagMessage,
                        cipher, ciphertextHash, destination, cancellationToken)
                    .ConfigureAwait(false);
                if (final)
                {
                    break;
                }

                currentLength = 0;
            }

            progress?.Report(length);
            Span<byte> plainDigest = stackalloc byte[AttachmentFormat.HashSize];
            Span<byte> cipherDigest = stackalloc byte[AttachmentFormat.HashSize];
            plaintextHash.Finish(plainDigest);
            ciphertextHash.Finish(cipherDigest);
            var manifest = new AttachmentManifest(description.FileName, description.MediaType, length, plainDigest, fileKey, cipherDigest);
            fileKey = null;
            return manifest;
        }
        finally
        {
            fileKey?.Dispose();
            ArrayPool<byte>.Shared.Return(current, clearArray: true);
            ArrayPool<byte>.Shared.Return(next, clearArray: true);
            ArrayPool<byte>.Shared.Return(cipher);
        }
    }

    private static ValueTask PushAsync(
        SecretStreamPush push, ReadOnlyMemory<byte> plaintext, ReadOnlySpan<byte> associatedData, byte tag, byte[] cipher,
        IncrementalBlake2b ciphertextHash, Stream destination, CancellationToken cancellationToken)
    {
        var length = plaintext.Length + SecretStream.Overhead;
        push.Push(plaintext.Span, associatedData, tag, cipher.AsSpan(0, length));
        ciphertextHash.Append(cipher.AsSpan(0, length));
        return destination.WriteAsync(cipher.AsMemory(0, length), cancellationToken);
    }

    private static SecretStreamPush StartPush(SecureMemoryHandle fileKey, AttachmentResumeKey? resumeKey, Span<byte> header)
    {
        if (resumeKey is null)
        {
            return SecretStreamPush.Start(fileKey, header);
        }

        resumeKey.Header.CopyTo(header);
        return SecretStreamPush.Restart(fileKey, header);
    }

    /// <summary>Reads until <paramref name="buffer"/>'s first chunk is full or the stream ends.</summary>
    internal static async ValueTask<int> FillAsync(Stream stream, byte[] buffer, CancellationToken cancellationToken, int count = AttachmentFormat.ChunkSize)
    {
        var filled = 0;
        while (filled < count)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(filled, count - filled), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }

            filled += read;
        }

        return filled;
    }

    private static SecureMemoryHandle NewFileKey(IRandomSource random)
    {
        var key = SecureMemoryHandle.Create(AttachmentFormat.KeySize);
        var added = false;
        try
        {
            key.DangerousAddRef(ref added);
            random.Fill(key.DangerousGetSpan());
            return key;
        }
        catch
        {
            if (added)
            {
                key.DangerousRelease();
                added = false;
            }

            key.Dispose();
            throw;
        }
        finally
        {
            if (added)
            {
                key.DangerousRelease();
            }
        }
    }
}
