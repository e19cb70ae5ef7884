using SecureDialogue.Vault.Attachments;
using SecureDialogue.Vault.Primitives;

namespace SecureDialogue.Vault.Tests.Attachments;

/// <summary>Encrypts sample files in memory and decrypts them into a private temporary directory.</summary>
internal sealed class AttachmentFixture : IDisposable
{
    public const int C = AttachmentFormat.ChunkSize;

    public AttachmentFixture()
    {
        Directory = Path.Combine(Path.GetTempPath(), "sdlg-att-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
    }

    public string Directory { get; }

    public string FinalPath => Path.Combine(Directory, "out.bin");

    public static readonly AttachmentDescription Report = new("Rapport d'examen – UNTOC.pdf", "application/pdf");

    /// <summary>Deterministic plaintext of the given length (never all zero, so padding differs from data).</summary>
    public static byte[] Plaintext(int length, int seed = 1)
    {
        var bytes = new byte[length];
        for (var i = 0; i < length; i++)
        {
            bytes[i] = PatternStream.ByteAt(i, seed);
        }

        return bytes;
    }

    public static async Task<(AttachmentManifest Manifest, byte[] Ciphertext)> EncryptAsync(
        byte[] plaintext, AttachmentDescription? description = null, IRandomSource? keySource = null)
    {
        using var source = new MemoryStream(plaintext, writable: false);
        using var destination = new MemoryStream();
        var result = await AttachmentEncryptor.EncryptCoreAsync(
            source, destination, description ?? Report, null, AttachmentFormat.MaxPlaintextLength, keySource ?? RandomSource.Default, null, default);
        Assert.True(result.IsSuccess, result.ToString());
        return (result.Value, destination.ToArray());
    }

    /// <summary>Decrypts to <see cref="FinalPath"/>; asserts that nothing but a complete file is ever left.</summary>
    public async Task<AttachmentError> DecryptAsync(AttachmentManifest manifest, byte[] ciphertext)
    {
        using var source = new MemoryStream(ciphertext, writable: false);
        var error = await AttachmentDecryptor.DecryptToFileAsync(manifest, source, FinalPath, overwrite: true);
        var files = System.IO.Directory.GetFiles(Directory);
        if (error == AttachmentError.None)
        {
            Assert.Equal([FinalPath], files);
        }
        else
        {
            Assert.Empty(files);
        }

        return error;
    }

    public void DeleteOutput() => File.Delete(FinalPath);

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>Always hands out the same 32-byte file key, to build two files under one key.</summary>
internal sealed class FixedKeySource(byte fill) : IRandomSource
{
    public void Fill(Span<byte> destination)
    {
        for (var i = 0; i < destination.Length; i++)
        {
            destination[i] = (byte)(fill + i);
        }
    }
}

/// <summary>A read-only, non-seekable stream of <c>length</c> pattern bytes generated on the fly.</summary>
internal sealed class PatternStream(long length, int seed = 1) : Stream
{
    private long _position;

    public static byte ByteAt(long position, int seed) => (byte)((position * 131) + (position >> 16) + (seed * 29) + 7);

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => _position; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var n = (int)Math.Min(buffer.Length, length - _position);
        for (var i = 0; i < n; i++)
        {
            buffer[i] = ByteAt(_position + i, seed);
        }

        _position += n;
        return n;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Read(buffer.Span));

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}

/// <summary>A write-only sink that only counts (and optionally checks) what it receives.</summary>
internal sealed class CountingSink(int seed = 0) : Stream
{
    public long Count { get; private set; }

    public bool MatchesPattern { get; private set; } = true;

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => Count;

    public override long Position { get => Count; set => throw new NotSupportedException(); }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        if (seed != 0)
        {
            for (var i = 0; i < buffer.Length; i++)
            {
                if (buffer[i] != PatternStream.ByteAt(Count + i, seed))
                {
                    MatchesPattern = false;
                }
            }
        }

        Count += buffer.Length;
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Write(buffer.Span);
        return ValueTask.CompletedTask;
    }

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
