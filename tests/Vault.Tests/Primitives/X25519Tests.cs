using SecureDialogue.Vault.Interop;
using SecureDialogue.Vault.Primitives;
using SecureDialogue.Vault.Tests.Support;
using Xunit;

namespace SecureDialogue.Vault.Tests.Primitives;

public sealed class X25519Tests
{
    // Points of small order on Curve25519 or its twist, and their non-canonical encodings
    // (the list libsodium refuses): 0, 1, the two points of order 8, p - 1, p, p + 1.
    public static TheoryData<string> SmallOrderPoints => new()
    {
        "0000000000000000000000000000000000000000000000000000000000000000",
        "0100000000000000000000000000000000000000000000000000000000000000",
        "e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800",
        "5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157",
        "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
    };

    [Theory]
    // RFC 7748 section 6.1: Alice's and Bob's private keys and X25519(k, 9).
    [InlineData(
        "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a",
        "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a")]
    [InlineData(
        "5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb",
        "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f")]
    public void PublicKeyFromSecret_Rfc7748Section61PrivateKey_DerivesPublishedPublicKey(string privateKey, string publicKey)
    {
        // Arrange
        using var secret = SecureMemoryHandle.CreateFrom(Hex.Decode(privateKey));
        var derived = new byte[X25519.PublicKeySize];

        // Act
        X25519.PublicKeyFromSecret(secret, derived);

        // Assert
        Assert.Equal(publicKey, Hex.Encode(derived));
    }

    [Fact]
    public void IsValidPublicKey_Rfc7748PublicKey_ReturnsTrue()
    {
        // Arrange
        var key = Hex.Decode("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f");

        // Act
        var valid = X25519.IsValidPublicKey(key);

        // Assert
        Assert.True(valid);
    }

    [Theory]
    [MemberData(nameof(SmallOrderPoints))]
    public void IsValidPublicKey_SmallOrderPoint_ReturnsFalse(string point)
    {
        // Arrange
        var key = Hex.Decode(point);

        // Act
        var valid = X25519.IsValidPublicKey(key);

        // Assert
        Assert.False(valid);
    }

    [Theory]
    [MemberData(nameof(SmallOrderPoints))]
    public void TrySeal_SmallOrderRecipient_Refuses(string point)
    {
        // Arrange
        var message = "epoch key"u8.ToArray();
        var sealedBox = new byte[message.Length + X25519.SealOverhead];

        // Act
        var sealedOk = X25519.TrySeal(Hex.Decode(point), message, sealedBox);

        // Assert
        Assert.False(sealedOk);
    }

    [Fact]
    public void TryOpen_SealedToKeyPair_ReturnsMessage()
    {
        // Arrange
        using var secret = SecureMemoryHandle.CreateFrom(Hex.Decode("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb"));
        var publicKey = new byte[32];
        X25519.PublicKeyFromSecret(secret, publicKey);
        var message = "epoch key"u8.ToArray();
        var sealedBox = new byte[message.Length + X25519.SealOverhead];
        Assert.True(X25519.TrySeal(publicKey, message, sealedBox));
        var opened = new byte[message.Length];

        // Act
        var ok = X25519.TryOpen(sealedBox, publicKey, secret, opened);

        // Assert
        Assert.True(ok);
        Assert.Equal(message, opened);
    }

    [Fact]
    public void TryOpen_AnyByteOfSealedBoxFlipped_FailsAndWipesDestination()
    {
        // Arrange
        using var secret = SecureMemoryHandle.CreateFrom(Hex.Decode("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a"));
        var publicKey = new byte[32];
        X25519.PublicKeyFromSecret(secret, publicKey);
        var message = "epoch key"u8.ToArray();
        var sealedBox = new byte[message.Length + X25519.SealOverhead];
        Assert.True(X25519.TrySeal(publicKey, message, sealedBox));
        var failures = 0;

        // Act
        for (var i = 0; i < sealedBox.Length; i++)
        {
            var tampered = sealedBox.ToArray();
            tampered[i] ^= 0x01;
            var opened = new byte[message.Length];
            if (!X25519.TryOpen(tampered, publicKey, secret, opened) && opened.All(b => b == 0))
            {
                failures++;
            }
        }

        // Assert
        Assert.Equal(sealedBox.Length, failures);
    }
}
