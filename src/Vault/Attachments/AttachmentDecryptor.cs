using System.Buffers;
using System.Security.Cryptography;
using SecureDialogue.Vault.Primitives;

namespace SecureDialogue.Vault.Attachments;

/// <summary>
/// Decrypts and verifies an attachment in constant memory (<see cref="AttachmentFormat.BufferSize"/> bytes
/// from the shared array pool). Every chunk is authenticated before its plaintext is written; the chunk
/// count, every chunk length, the final tag on exactly the last chunk, the end of the stream right after
/// it, the padding, the plaintext hash and the ciphertext hash are all checked against the manifest. Any
/// failure is <see cref="AttachmentError.Invalid"/>.
/// </summary>
public static class AttachmentDecryptor
{
    /// <summary>
    /// Decrypts <paramref name="ciphertext"/> into a temporary file next to <paramref name="path"/> and moves
    /// it to <paramref name="path"/> only once the whole file verified. On any failure, cancellation or
    /// exception the temporary file is deleted: there is never a partial or unverified file at the path.
    /// Progress reports plaintext bytes written, once per chunk.
    /// </summary>
    /// <returns><see cref="AttachmentError.None"/>, <see cref="AttachmentError.Invalid"/> or <see cref="AttachmentError.DestinationExists"/>.</returns>
    /// <exception cref="OperationCanceledException">Cancelled (nothing left at the path).</exception>
    /// <exception cref="IOException">Reading the ciphertext or writing the file failed (nothing left at the path).</exception>
    public static async Task<AttachmentError> DecryptToFileAsync(
        AttachmentManifest manifest,
        Stream ciphertext,
        string path,
        bool overwrite = false,
        IProgress<long>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(ciphertext);
        ArgumentException.ThrowIfNullOrEmpty(path);
        var fullPath = Path.GetFullPath(path);
        if (!overwrite && File.Exists(fullPath))
        {
            return AttachmentError.DestinationExists;
        }

        var directory = Path.GetDirectoryName(fullPath)!;
        var temporary = Path.Combine(directory, $".{Path.GetFileName(fullPath)}.{Guid.NewGuid():N}.part");
        var moved = false;
        try
        {
            var options = new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                Share = FileShare.None,
                BufferSize = 0,
                Options = FileOptions.Asynchronous,
            };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            AttachmentError error;
            await using (var file = new FileStream(temporary, options))
            {
                error = await DecryptAsync(manifest, ciphertext, file, progress, cancellationToken).ConfigureAwait(false);
                if (error != AttachmentError.None)
                {
                    return error;
                }

                file.Flush(flushToDisk: true);
            }

            try
            {
                File.Move(temporary, fullPath, overwrite);
            }
            catch (IOException) when (!overwrite && File.Exists(fullPath))
            {
                return AttachmentError.DestinationExists;
            }

            moved = true;
            return AttachmentError.None;
        }
        finally
        {
            if (!moved)
            {
                TryDelete(temporary);
            }
        }
    }

    /// <summary>
    /// Decrypts into <paramref name="destination"/>, chunk by chunk. The destination receives plaintext of
    /// chunks that authenticated but before the whole file is verified, so it must be a staging area that
    /// the caller discards unless the result is <see cref="AttachmentError.None"/>.
    /// </summary>
    internal static async Task<AttachmentError> DecryptAsync(
        AttachmentManifest manifest, Stream ciphertext, Stream destination, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        var plain = ArrayPool<byte>.Shared.Rent(AttachmentFormat.ChunkSize);
        var cipher = ArrayPool<byte>.Shared.Rent(AttachmentFormat.EncryptedChunkSize);
        try
        {
            using var plaintextHash = new IncrementalBlake2b(ProtocolConstants.AttachmentPlaintextHashPersonal, AttachmentFormat.HashSize);
            using var ciphertextHash = new IncrementalBlake2b(ProtocolConstants.AttachmentCiphertextHashPersonal, AttachmentFormat.HashSize);
            if (await AttachmentEncryptor.FillAsync(ciphertext, cipher, cancellationToken, AttachmentFormat.HeaderSize).ConfigureAwait(false)
                != AttachmentFormat.HeaderSize)
            {
                return AttachmentError.Invalid;
            }

            ciphertextHash.Append(cipher.AsSpan(0, AttachmentFormat.HeaderSize));
            using var pull = SecretStreamPull.Start(manifest.FileKey, cipher.AsSpan(0, AttachmentFormat.HeaderSize));
            var length = manifest.PlaintextLength;
            var padded = manifest.PaddedLength;
            var chunks = manifest.ChunkCount;
            var finalData = AttachmentDescription.FinalChunkAssociatedData(manifest.FileName, manifest.MediaType, length);
            long written = 0;
            for (long index = 0; index < chunks; index++)
            {
                var final = index == chunks - 1;
                var chunkLength = AttachmentFormat.ChunkPlaintextLength(padded, index);
                var encryptedLength = chunkLength + AttachmentFormat.ChunkOverhead;
                if (await AttachmentEncryptor.FillAsync(ciphertext, cipher, cancellationToken, encryptedLength).ConfigureAwait(false) != encryptedLength)
                {
                    return AttachmentError.Invalid; // truncated
                }

                ciphertextHash.Append(cipher.AsSpan(0, encryptedLength));
                if (!pull.TryPull(cipher.AsSpan(0, encryptedLength), final ? finalData : [], plain.AsSpan(0, chunkLength), out var tag) ||
                    tag != (final ? SecretStream.TagFinal : SecretStream.TagMessage))
                {
                    return AttachmentError.Invalid;
                }

                // Bytes past the plaintext length are padding and must be zero (one encoding per file).
                var data = (int)Math.Min(chunkLength, length - written);
                if (plain.AsSpan(data, chunkLength - data).ContainsAnyExcept((byte)0))
                {
                    return AttachmentError.Invalid;
                }

                plaintextHash.Append(plain.AsSpan(0, data));
                if (data > 0)
                {
                    await destination.WriteAsync(plain.AsMemory(0, data), cancellationToken).ConfigureAwait(false);
                    written += data;
                    progress?.Report(written);
                }
            }

            // Nothing may follow the final chunk.
            if (await AttachmentEncryptor.FillAsync(ciphertext, cipher, cancellationToken, 1).ConfigureAwait(false) != 0)
            {
                return AttachmentError.Invalid;
            }

            return Verify(plaintextHash, manifest.PlaintextHash.ToArray(), ciphertextHash, manifest.CiphertextHash.ToArray())
                ? AttachmentError.None
                : AttachmentError.Invalid;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(plain, clearArray: true);
            ArrayPool<byte>.Shared.Return(cipher);
        }
    }

    private static bool Verify(IncrementalBlake2b plaintextHash, byte[] expectedPlain, IncrementalBlake2b ciphertextHash, byte[] expectedCipher)
    {
        Span<byte> plainDigest = stackalloc byte[AttachmentFormat.HashSize];
        Span<byte> cipherDigest = stackalloc byte[AttachmentFormat.HashSize];
        plaintextHash.Finish(plainDigest);
        ciphertextHash.Finish(cipherDigest);
        var plainOk = CryptographicOperations.FixedTimeEquals(plainDigest, expectedPlain);
        var cipherOk = CryptographicOperations.FixedTimeEquals(cipherDigest, expectedCipher);
        return plainOk & cipherOk;
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort; the name starts with '.' and ends in '.part', never the final path.
        }
    }
}
