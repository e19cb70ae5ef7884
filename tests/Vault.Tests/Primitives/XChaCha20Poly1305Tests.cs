using SecureDialogue.Vault.Interop;
using SecureDialogue.Vault.Primitives;
using SecureDialogue.Vault.Tests.Interop;
using SecureDialogue.Vault.Tests.Support;
using Xunit;

namespace SecureDialogue.Vault.Tests.Primitives;

/// <summary>The secure-memory wrapper over the same draft-irtf-cfrg-xchacha-03 A.3.1 vector.</summary>
public sealed class XChaCha20Poly1305Tests
{
    [Fact]
    public void Encrypt_DraftA31Vector_ProducesPublishedCiphertextAndTag()
    {
        // Arrange
        using var key = SecureMemoryHandle.CreateFrom(AeadKnownAnswerTests.Key);
        var output = new byte[AeadKnownAnswerTests.Plaintext.Length + XChaCha20Poly1305.TagSize];

        // Act
        XChaCha20Poly1305.Encrypt(key, AeadKnownAnswerTests.XChaChaNonce, AeadKnownAnswerTests.Aad, AeadKnownAnswerTests.Plaintext, output);

        // Assert
        Assert.Equal(Hex.Encode(AeadKnownAnswerTests.XChaChaCiphertextAndTag), Hex.Encode(output));
    }

    [Fact]
    public void TryDecrypt_DraftA31Vector_ReturnsPlaintext()
    {
        // Arrange
        using var key = SecureMemoryHandle.CreateFrom(AeadKnownAnswerTests.Key);
        var output = new byte[AeadKnownAnswerTests.Plaintext.Length];

        // Act
        var ok = XChaCha20Poly1305.TryDecrypt(
            key, AeadKnownAnswerTests.XChaChaNonce, AeadKnownAnswerTests.Aad, AeadKnownAnswerTests.XChaChaCiphertextAndTag, output);

        // Assert
        Assert.True(ok);
        Assert.Equal(AeadKnownAnswerTests.Plaintext, output);
    }

    [Fact]
    public void TryDecrypt_AnyByteOfCiphertextNonceOrAadFlipped_FailsAndReleasesNothing()
    {
        // Arrange
        using var key = SecureMemoryHandle.CreateFrom(AeadKnownAnswerTests.Key);
        var inputs = new List<(byte[] Nonce, byte[] Aad, byte[] Ciphertext)>();
        for (var i = 0; i < AeadKnownAnswerTests.XChaChaCiphertextAndTag.Length; i++)
        {
            var c = AeadKnownAnswerTests.XChaChaCiphertextAndTag.ToArray();
            c[i] ^= 0x04;
            inputs.Add((AeadKnownAnswerTests.XChaChaNonce, AeadKnownAnswerTests.Aad, c));
        }

        for (var i = 0; i < AeadKnownAnswerTests.XChaChaNonce.Length; i++)
        {
            var n = AeadKnownAnswerTests.XChaChaNonce.ToArray();
            n[i] ^= 0x04;
            inputs.Add((n, AeadKnownAnswerTests.Aad, AeadKnownAnswerTests.XChaChaCiphertextAndTag));
        }

        for (var i = 0; i < AeadKnownAnswerTests.Aad.Length; i++)
        {
            var a = AeadKnownAnswerTests.Aad.ToArray();
            a[i] ^= 0x04;
            inputs.Add((AeadKnownAnswerTests.XChaChaNonce, a, AeadKnownAnswerTests.XChaChaCiphertextAndTag));
        }

        var released = 0;
        var accepted = 0;

        // Act
        foreach (var (nonce, aad, ciphertext) in inputs)
        {
            var output = new byte[AeadKnownAnswerTests.Plaintext.Length];
            accepted += XChaCha20Poly1305.TryDecrypt(key, nonce, aad, ciphertext, output) ? 1 : 0;
            released += output.Any(b => b != 0) ? 1 : 0;
        }

        // Assert
        Assert.Equal(114 + 16 + 24 + 12, inputs.Count);
        Assert.Equal(0, accepted);
        Assert.Equal(0, released);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(15)]
    public void TryDecrypt_CiphertextShorterThanTag_Fails(int length)
    {
        // Arrange
        using var key = SecureMemoryHandle.CreateFrom(AeadKnownAnswerTests.Key);

        // Act
        var ok = XChaCha20Poly1305.TryDecrypt(
            key, AeadKnownAnswerTests.XChaChaNonce, AeadKnownAnswerTests.Aad, new byte[length], Span<byte>.Empty);

        // Assert
        Assert.False(ok);
    }
}
