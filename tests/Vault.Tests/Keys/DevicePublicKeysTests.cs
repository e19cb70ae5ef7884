using SecureDialogue.Vault.Keys;
using SecureDialogue.Vault.Tests.Support;
using Xunit;

namespace SecureDialogue.Vault.Tests.Keys;

public sealed class DevicePublicKeysTests : IDisposable
{
    // The same small-order list as Primitives/X25519Tests.
    public static TheoryData<string> SmallOrderX25519Points => new()
    {
        "0000000000000000000000000000000000000000000000000000000000000000",
        "0100000000000000000000000000000000000000000000000000000000000000",
        "e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800",
        "5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157",
        "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
    };

    // Small-order and non-canonical edwards25519 encodings (see Primitives/Ed25519Tests).
    public static TheoryData<string> InvalidEd25519Points => new()
    {
        "0100000000000000000000000000000000000000000000000000000000000000",
        "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        "0000000000000000000000000000000000000000000000000000000000000000",
        "0000000000000000000000000000000000000000000000000000000000000080",
        "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05",
        "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a",
        "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        "0100000000000000000000000000000000000000000000000000000000000080",
    };

    private readonly DeviceIdentity _device = DeviceIdentity.Create();

    public void Dispose() => _device.Dispose();

    [Fact]
    public void Decode_EncodedCardOfNewDevice_RoundTrips()
    {
        // Arrange
        var encoded = _device.PublicKeys.Encode();

        // Act
        var decoded = DevicePublicKeys.Decode(encoded);

        // Assert
        Assert.True(decoded.IsSuccess, decoded.ToString());
        Assert.Equal(DevicePublicKeys.EncodedSize, encoded.Length);
        Assert.Equal(_device.PublicKeys, decoded.Value);
        Assert.Equal(_device.Id, decoded.Value.Id);
        Assert.Equal(encoded, decoded.Value.Encode());
        Assert.True(decoded.Value.SelfSignature.SequenceEqual(_device.PublicKeys.SelfSignature));
    }

    [Fact]
    public void Decode_EverySingleByteFlipOfTheCard_ReturnsTypedErrorForThatRegion()
    {
        // Arrange
        var encoded = _device.PublicKeys.Encode();
        byte[] masks = [0x01, 0x10, 0x80, 0xff];
        var unexpected = new List<string>();

        // Act
        for (var position = 0; position < encoded.Length; position++)
        {
            foreach (var mask in masks)
            {
                var tampered = encoded.ToArray();
                tampered[position] ^= mask;
                KeyError[] allowed = position switch
                {
                    < 2 => [KeyError.UnsupportedVersion],
                    < 66 => [KeyError.InvalidPublicKey, KeyError.BadSignature],
                    _ => [KeyError.BadSignature],
                };
                var result = DevicePublicKeys.Decode(tampered);
                if (result.IsSuccess || !allowed.Contains(result.Error))
                {
                    unexpected.Add($"byte {position} ^ {mask:x2}: {result}");
                }
            }
        }

        // Assert
        Assert.Empty(unexpected);
    }

    [Fact]
    public void Decode_EveryTruncationAndExtension_ReturnsMalformed()
    {
        // Arrange
        var encoded = _device.PublicKeys.Encode();
        var inputs = Enumerable.Range(0, encoded.Length).Select(n => encoded[..n]).ToList();
        inputs.Add([.. encoded, 0x00]);
        inputs.Add([.. encoded, .. encoded]);

        // Act
        var errors = inputs.Select(i => DevicePublicKeys.Decode(i)).ToList();

        // Assert
        Assert.All(errors, r => Assert.Equal(KeyError.Malformed, r.Error));
        Assert.DoesNotContain(errors, r => r.IsSuccess);
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(0, 2)]
    [InlineData(1, 2)]
    [InlineData(1, 0xff)]
    public void Decode_UnknownVersionOrSuite_ReturnsUnsupportedVersion(int position, byte value)
    {
        // Arrange
        var encoded = _device.PublicKeys.Encode();
        encoded[position] = value;

        // Act
        var result = DevicePublicKeys.Decode(encoded);

        // Assert
        Assert.False(result.IsSuccess);
        Assert.Equal(KeyError.UnsupportedVersion, result.Error);
    }

    [Theory]
    [MemberData(nameof(SmallOrderX25519Points))]
    public void Decode_SmallOrderAgreementKeyWithValidSelfSignature_ReturnsInvalidPublicKey(string point)
    {
        // Arrange: the genuine signing key signs a card that pairs it with a small-order agreement key.
        var card = DevicePublicKeys.CreateSigned(_device.PublicKeys.SigningKey, Hex.Decode(point), (m, s) => _device.Sign(m, s));
        var encoded = card.Encode();

        // Act
        var result = DevicePublicKeys.Decode(encoded);

        // Assert
        Assert.False(result.IsSuccess);
        Assert.Equal(KeyError.InvalidPublicKey, result.Error);
    }

    [Theory]
    [MemberData(nameof(InvalidEd25519Points))]
    public void Decode_InvalidSigningKeyWithForgeableSignatureShape_ReturnsInvalidPublicKey(string point)
    {
        // Arrange: R = identity, S = 0 is accepted by cofactorless verifiers for small-order keys.
        var signature = new byte[64];
        signature[0] = 0x01;
        var encoded = new byte[DevicePublicKeys.EncodedSize];
        encoded[0] = ProtocolConstants.Version;
        encoded[1] = ProtocolConstants.Suite;
        Hex.Decode(point).CopyTo(encoded, 2);
        _device.PublicKeys.AgreementKey.CopyTo(encoded.AsSpan(34));
        signature.CopyTo(encoded, 66);

        // Act
        var result = DevicePublicKeys.Decode(encoded);

        // Assert
        Assert.False(result.IsSuccess);
        Assert.Equal(KeyError.InvalidPublicKey, result.Error);
    }

    [Fact]
    public void Decode_AgreementKeySubstitutedByAnotherDevices_ReturnsBadSignature()
    {
        // Arrange: the server pairs this device's signing key with an agreement key it controls.
        using var attacker = DeviceIdentity.Create();
        var encoded = _device.PublicKeys.Encode();
        attacker.PublicKeys.AgreementKey.CopyTo(encoded.AsSpan(34));

        // Act
        var result = DevicePublicKeys.Decode(encoded);

        // Assert
        Assert.False(result.IsSuccess);
        Assert.Equal(KeyError.BadSignature, result.Error);
    }

    [Fact]
    public void Decode_SelfSignatureFromAnotherDevice_ReturnsBadSignature()
    {
        // Arrange
        using var other = DeviceIdentity.Create();
        var encoded = _device.PublicKeys.Encode();
        other.PublicKeys.SelfSignature.CopyTo(encoded.AsSpan(66));

        // Act
        var result = DevicePublicKeys.Decode(encoded);

        // Assert
        Assert.False(result.IsSuccess);
        Assert.Equal(KeyError.BadSignature, result.Error);
    }

    [Fact]
    public void Id_TwoDevices_DifferAndCommitToBothKeys()
    {
        // Arrange
        using var other = DeviceIdentity.Create();

        // Act
        var id = DeviceId.Compute(_device.PublicKeys.SigningKey, _device.PublicKeys.AgreementKey);
        var mixed = DeviceId.Compute(_device.PublicKeys.SigningKey, other.PublicKeys.AgreementKey);

        // Assert
        Assert.Equal(_device.Id, id);
        Assert.NotEqual(_device.Id, other.Id);
        Assert.NotEqual(_device.Id, mixed);
    }

    [Fact]
    public void DeviceIdTryParse_ToStringOfId_RoundTrips()
    {
        // Arrange
        var text = _device.Id.ToString();

        // Act
        var parsed = DeviceId.TryParse(text, out var id);

        // Assert
        Assert.True(parsed);
        Assert.Equal(_device.Id, id);
        Assert.Matches("^[0-9a-f]{32}$", text);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("0123")]
    [InlineData("zz000000000000000000000000000000")]
    public void DeviceIdTryParse_NotThirtyTwoHexDigits_ReturnsFalse(string? text)
    {
        // Arrange
        _ = text;

        // Act
        var parsed = DeviceId.TryParse(text, out _);

        // Assert
        Assert.False(parsed);
    }

    [Fact]
    public void FromSeeds_ExportedSeeds_RebuildsTheSameDevice()
    {
        // Arrange
        var seeds = new byte[2 * DeviceIdentity.SeedSize];
        _device.ExportSeeds(seeds);

        // Act
        using var rebuilt = DeviceIdentity.FromSeeds(seeds.AsSpan(0, 32), seeds.AsSpan(32));

        // Assert
        Assert.Equal(_device.PublicKeys, rebuilt.PublicKeys);
        Assert.Equal(_device.PublicKeys.Encode(), rebuilt.PublicKeys.Encode());
    }

    [Fact]
    public void ToString_DeviceIdentity_ShowsNoKeyMaterial()
    {
        // Arrange
        var seeds = new byte[2 * DeviceIdentity.SeedSize];
        _device.ExportSeeds(seeds);

        // Act
        var text = _device.ToString();

        // Assert
        Assert.Equal(nameof(DeviceIdentity), text);
        Assert.DoesNotContain(Hex.Encode(seeds.AsSpan(0, 4)), text, StringComparison.OrdinalIgnoreCase);
    }
}
