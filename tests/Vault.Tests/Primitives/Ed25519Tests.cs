using SecureDialogue.Vault.Interop;
using SecureDialogue.Vault.Primitives;
using SecureDialogue.Vault.Tests.Support;
using Xunit;

namespace SecureDialogue.Vault.Tests.Primitives;

/// <summary>RFC 8032 section 7.1, TEST 1 (empty message) and TEST 2 (one byte, 0x72).</summary>
public sealed class Ed25519Tests
{
    public static TheoryData<string, string, string, string> Rfc8032Vectors => new()
    {
        {
            // TEST 1
            "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
            "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
            "",
            "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155" +
            "5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"
        },
        {
            // TEST 2
            "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
            "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c",
            "72",
            "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da" +
            "085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"
        },
    };

    // Every small-order point of edwards25519 (both x signs where they exist) and non-canonical encodings
    // (y = p, y = p + 1, x = 0 with the sign bit set).
    public static TheoryData<string> RejectedPoints => new()
    {
        "0100000000000000000000000000000000000000000000000000000000000000",
        "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        "0000000000000000000000000000000000000000000000000000000000000000",
        "0000000000000000000000000000000000000000000000000000000000000080",
        "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05",
        "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85",
        "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a",
        "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa",
        "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        "0100000000000000000000000000000000000000000000000000000000000080",
    };

    [Theory]
    [MemberData(nameof(Rfc8032Vectors))]
    public void KeyPairFromSeed_Rfc8032Seed_DerivesPublishedPublicKey(string seed, string publicKey, string message, string signature)
    {
        // Arrange
        _ = (message, signature);
        using var seedHandle = SecureMemoryHandle.CreateFrom(Hex.Decode(seed));
        var derived = new byte[Ed25519.PublicKeySize];

        // Act
        using var secretKey = Ed25519.KeyPairFromSeed(seedHandle, derived);

        // Assert
        Assert.Equal(publicKey, Hex.Encode(derived));
        Assert.Equal(64, secretKey.Length);
    }

    [Theory]
    [MemberData(nameof(Rfc8032Vectors))]
    public void Sign_Rfc8032Seed_ProducesPublishedSignature(string seed, string publicKey, string message, string signature)
    {
        // Arrange
        _ = publicKey;
        using var seedHandle = SecureMemoryHandle.CreateFrom(Hex.Decode(seed));
        using var secretKey = Ed25519.KeyPairFromSeed(seedHandle, new byte[Ed25519.PublicKeySize]);
        var produced = new byte[Ed25519.SignatureSize];

        // Act
        Ed25519.Sign(secretKey, Hex.Decode(message), produced);

        // Assert
        Assert.Equal(signature, Hex.Encode(produced));
    }

    [Theory]
    [MemberData(nameof(Rfc8032Vectors))]
    public void Verify_Rfc8032Vector_Succeeds(string seed, string publicKey, string message, string signature)
    {
        // Arrange
        _ = seed;

        // Act
        var valid = Ed25519.Verify(Hex.Decode(publicKey), Hex.Decode(message), Hex.Decode(signature));

        // Assert
        Assert.True(valid);
    }

    [Theory]
    [MemberData(nameof(Rfc8032Vectors))]
    public void Verify_Rfc8032VectorWithAnyBitOfSignatureFlipped_Fails(string seed, string publicKey, string message, string signature)
    {
        // Arrange
        _ = seed;
        var key = Hex.Decode(publicKey);
        var data = Hex.Decode(message);
        var accepted = new List<int>();

        // Act
        for (var bit = 0; bit < Ed25519.SignatureSize * 8; bit++)
        {
            var tampered = Hex.Decode(signature);
            tampered[bit / 8] ^= (byte)(1 << (bit % 8));
            if (Ed25519.Verify(key, data, tampered))
            {
                accepted.Add(bit);
            }
        }

        // Assert
        Assert.Empty(accepted);
    }

    [Fact]
    public void Verify_Rfc8032Test2WithOtherMessage_Fails()
    {
        // Arrange
        var key = Hex.Decode("3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c");
        var signature = Hex.Decode(
            "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da" +
            "085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00");

        // Act
        var valid = Ed25519.Verify(key, [0x73], signature);

        // Assert
        Assert.False(valid);
    }

    [Fact]
    public void IsValidPublicKey_Rfc8032PublicKey_ReturnsTrue()
    {
        // Arrange
        var key = Hex.Decode("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");

        // Act
        var valid = Ed25519.IsValidPublicKey(key);

        // Assert
        Assert.True(valid);
    }

    [Theory]
    [MemberData(nameof(RejectedPoints))]
    public void IsValidPublicKey_SmallOrderOrNonCanonicalPoint_ReturnsFalse(string point)
    {
        // Arrange
        var key = Hex.Decode(point);

        // Act
        var valid = Ed25519.IsValidPublicKey(key);

        // Assert
        Assert.False(valid);
    }

    [Fact]
    public void Verify_IdentityKeyWithIdentityRAndZeroS_Fails()
    {
        // Arrange: with A = R = identity and S = 0, [S]B = R + [k]A holds for every message in a naive verifier.
        var identity = Hex.Decode("0100000000000000000000000000000000000000000000000000000000000000");
        var signature = new byte[64];
        identity.CopyTo(signature, 0);

        // Act
        var valid = Ed25519.Verify(identity, "any message"u8, signature);

        // Assert
        Assert.False(valid);
    }
}
