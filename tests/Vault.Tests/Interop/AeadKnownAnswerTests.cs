using SecureDialogue.Vault.Interop;
using SecureDialogue.Vault.Tests.Support;
using Xunit;

namespace SecureDialogue.Vault.Tests.Interop;

/// <summary>
/// Published AEAD vectors through the raw-key interop entry points: draft-irtf-cfrg-xchacha-03 appendix A.3.1
/// (AEAD_XCHACHA20_POLY1305) and RFC 8439 section 2.8.2 (AEAD_CHACHA20_POLY1305). Both use the same
/// plaintext, key and AAD; the expected bytes are copied from the two documents.
/// </summary>
public sealed class AeadKnownAnswerTests
{
    internal static readonly byte[] Plaintext =
        "Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, sunscreen would be it."u8.ToArray();

    internal static readonly byte[] Aad = Hex.Decode("50515253c0c1c2c3c4c5c6c7");

    internal static readonly byte[] Key = Hex.Decode("808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f");

    // draft-irtf-cfrg-xchacha-03, A.3.1: IV, ciphertext, tag.
    internal static readonly byte[] XChaChaNonce = Hex.Decode("404142434445464748494a4b4c4d4e4f5051525354555657");

    internal static readonly byte[] XChaChaCiphertextAndTag = Hex.Decode(
        "bd6d179d3e83d43b9576579493c0e939572a1700252bfaccbed2902c21396cbb" +
        "731c7f1b0b4aa6440bf3a82f4eda7e39ae64c6708c54c216cb96b72e1213b452" +
        "2f8c9ba40db5d945b11b69b982c1bb9e3f3fac2bc369488f76b2383565d3fff9" +
        "21f9664c97637da9768812f615c68b13b52e" +
        "c0875924c1c7987947deafd8780acf49");

    // RFC 8439, 2.8.2: nonce = constant 07000000 || IV 4041424344454647; ciphertext then tag.
    private static readonly byte[] ChaChaNonce = Hex.Decode("070000004041424344454647");

    private static readonly byte[] ChaChaCiphertextAndTag = Hex.Decode(
        "d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d6" +
        "3dbea45e8ca9671282fafb69da92728b1a71de0a9e060b2905d6a5b67ecd3b36" +
        "92ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc" +
        "3ff4def08e4b7a9de576d26586cec64b6116" +
        "1ae10b594f09e26a7e902ecbd0600691");

    public AeadKnownAnswerTests() => Sodium.EnsureInitialized();

    [Fact]
    public void XChaCha20Poly1305Encrypt_DraftA31Vector_ProducesPublishedCiphertextAndTag()
    {
        // Arrange
        var output = new byte[Plaintext.Length + 16];

        // Act
        var rc = Libsodium.crypto_aead_xchacha20poly1305_ietf_encrypt_raw(
            ref output[0], out var written, in Plaintext[0], (ulong)Plaintext.Length, in Aad[0], (ulong)Aad.Length,
            IntPtr.Zero, in XChaChaNonce[0], in Key[0]);

        // Assert
        Assert.Equal(0, rc);
        Assert.Equal((ulong)output.Length, written);
        Assert.Equal(Hex.Encode(XChaChaCiphertextAndTag), Hex.Encode(output));
    }

    [Fact]
    public void XChaCha20Poly1305Decrypt_DraftA31Vector_ReturnsPlaintext()
    {
        // Arrange
        var output = new byte[Plaintext.Length];

        // Act
        var rc = Libsodium.crypto_aead_xchacha20poly1305_ietf_decrypt_raw(
            ref output[0], out var written, IntPtr.Zero, in XChaChaCiphertextAndTag[0], (ulong)XChaChaCiphertextAndTag.Length,
            in Aad[0], (ulong)Aad.Length, in XChaChaNonce[0], in Key[0]);

        // Assert
        Assert.Equal(0, rc);
        Assert.Equal((ulong)Plaintext.Length, written);
        Assert.Equal(Plaintext, output);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(57)]
    [InlineData(113)]
    [InlineData(114)]
    [InlineData(129)]
    public void XChaCha20Poly1305Decrypt_DraftA31VectorWithFlippedByte_Fails(int position)
    {
        // Arrange
        var tampered = XChaChaCiphertextAndTag.ToArray();
        tampered[position] ^= 0x01;
        var output = new byte[Plaintext.Length];

        // Act
        var rc = Libsodium.crypto_aead_xchacha20poly1305_ietf_decrypt_raw(
            ref output[0], out _, IntPtr.Zero, in tampered[0], (ulong)tampered.Length,
            in Aad[0], (ulong)Aad.Length, in XChaChaNonce[0], in Key[0]);

        // Assert
        Assert.Equal(-1, rc);
    }

    [Fact]
    public void ChaCha20Poly1305Encrypt_Rfc8439Section282Vector_ProducesPublishedCiphertextAndTag()
    {
        // Arrange
        var output = new byte[Plaintext.Length + 16];

        // Act
        var rc = Libsodium.crypto_aead_chacha20poly1305_ietf_encrypt(
            ref output[0], out var written, in Plaintext[0], (ulong)Plaintext.Length, in Aad[0], (ulong)Aad.Length,
            IntPtr.Zero, in ChaChaNonce[0], in Key[0]);

        // Assert
        Assert.Equal(0, rc);
        Assert.Equal((ulong)output.Length, written);
        Assert.Equal(Hex.Encode(ChaChaCiphertextAndTag), Hex.Encode(output));
        Assert.Equal("1ae10b594f09e26a7e902ecbd0600691", Hex.Encode(output.AsSpan(Plaintext.Length)));
    }
}
