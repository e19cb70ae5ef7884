using SecureDialogue.Vault.Attachments;
using SecureDialogue.Vault.Keys;

namespace SecureDialogue.Vault.Tests.Attachments;

public sealed class AttachmentResumeKeyTests : IDisposable
{
    private readonly AttachmentFixture _f = new();

    public void Dispose() => _f.Dispose();

    [Theory]
    [InlineData(0)]
    [InlineData(AttachmentFixture.C + 1)]
    [InlineData((3 * AttachmentFixture.C) + 777)]
    public async Task EncryptTwice_SameResumeKey_ByteIdenticalCiphertextThatDecrypts(int size)
    {
        // Arrange
        var plaintext = AttachmentFixture.Plaintext(size);
        using var key = AttachmentResumeKey.Create();

        // Act
        var (first, firstCiphertext) = await EncryptAsync(plaintext, key);
        var (second, secondCiphertext) = await EncryptAsync(plaintext, key);
        using var a = first;
        using var b = second;
        var error = await _f.DecryptAsync(second, secondCiphertext);

        // Assert
        Assert.Equal(firstCiphertext, secondCiphertext);
        Assert.Equal(first.CiphertextHash.ToArray(), second.CiphertextHash.ToArray());
        Assert.Equal(AttachmentError.None, error);
        Assert.Equal(plaintext, await File.ReadAllBytesAsync(_f.FinalPath));
    }

    [Fact]
    public async Task Encrypt_TwoResumeKeys_DifferentHeadersAndCiphertexts()
    {
        // Arrange
        var plaintext = AttachmentFixture.Plaintext(1000);
        using var k1 = AttachmentResumeKey.Create();
        using var k2 = AttachmentResumeKey.Create();

        // Act
        var (m1, c1) = await EncryptAsync(plaintext, k1);
        var (m2, c2) = await EncryptAsync(plaintext, k2);
        m1.Dispose();
        m2.Dispose();

        // Assert
        Assert.NotEqual(c1[..AttachmentFormat.HeaderSize], c2[..AttachmentFormat.HeaderSize]);
        Assert.NotEqual(c1, c2);
    }

    [Fact]
    public async Task SealTo_OpenedByThatDeviceOnly_SameCiphertext()
    {
        // Arrange
        using var device = DeviceIdentity.Create();
        using var other = DeviceIdentity.Create();
        using var key = AttachmentResumeKey.Create();
        var plaintext = AttachmentFixture.Plaintext(5000);
        var sealedBox = key.SealTo(device.PublicKeys);

        // Act
        using var reopened = AttachmentResumeKey.TryOpen(sealedBox, device);
        var byOther = AttachmentResumeKey.TryOpen(sealedBox, other);
        var flipped = (byte[])sealedBox.Clone();
        flipped[^1] ^= 1;
        var tampered = AttachmentResumeKey.TryOpen(flipped, device);
        var (m1, c1) = await EncryptAsync(plaintext, key);
        var (m2, c2) = await EncryptAsync(plaintext, reopened!);
        m1.Dispose();
        m2.Dispose();

        // Assert
        Assert.Equal(AttachmentResumeKey.SealedSize, sealedBox.Length);
        Assert.NotNull(reopened);
        Assert.Null(byOther);
        Assert.Null(tampered);
        Assert.Null(AttachmentResumeKey.TryOpen(sealedBox.AsSpan(1), device));
        Assert.Equal(c1, c2);
    }

    private static async Task<(AttachmentManifest Manifest, byte[] Ciphertext)> EncryptAsync(byte[] plaintext, AttachmentResumeKey key)
    {
        using var source = new MemoryStream(plaintext, writable: false);
        using var destination = new MemoryStream();
        var result = await AttachmentEncryptor.EncryptAsync(source, destination, AttachmentFixture.Report, key);
        Assert.True(result.IsSuccess, result.ToString());
        return (result.Value, destination.ToArray());
    }
}
