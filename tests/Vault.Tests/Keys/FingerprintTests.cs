using System.Buffers.Binary;
using System.Globalization;
using SecureDialogue.Vault.Keys;
using SecureDialogue.Vault.Primitives;
using Xunit;

namespace SecureDialogue.Vault.Tests.Keys;

public sealed class FingerprintTests : IDisposable
{
    private readonly DeviceIdentity _alice = DeviceIdentity.Create();
    private readonly DeviceIdentity _bob = DeviceIdentity.Create();

    public void Dispose()
    {
        _alice.Dispose();
        _bob.Dispose();
    }

    [Fact]
    public void Of_AnyDevice_IsSixGroupsOfFiveDigits()
    {
        // Arrange
        var card = _alice.PublicKeys;

        // Act
        var fingerprint = Fingerprint.Of(card);

        // Assert
        Assert.Matches(@"^[0-9]{5}( [0-9]{5}){5}$", fingerprint);
    }

    [Fact]
    public void Of_SameCardDecodedAgain_IsDeterministic()
    {
        // Arrange
        var decoded = DevicePublicKeys.Decode(_alice.PublicKeys.Encode()).Value!;

        // Act
        var first = Fingerprint.Of(_alice.PublicKeys);
        var second = Fingerprint.Of(decoded);

        // Assert
        Assert.Equal(first, second);
    }

    [Fact]
    public void Of_DocumentedDerivation_MatchesBlake2b240Chunks()
    {
        // Arrange: BLAKE2b-240("sdlg.fingerprint", version || signing || agreement), 5-byte chunks mod 100000.
        byte[] input = [ProtocolConstants.Version, .. _alice.PublicKeys.SigningKey, .. _alice.PublicKeys.AgreementKey];
        var hash = new byte[30];
        Blake2b.Hash(Blake2b.Personal("sdlg.fingerprint"), input, hash);
        var expected = string.Join(' ', Enumerable.Range(0, 6).Select(i =>
        {
            Span<byte> chunk = stackalloc byte[8];
            hash.AsSpan(i * 5, 5).CopyTo(chunk[3..]);
            return (BinaryPrimitives.ReadUInt64BigEndian(chunk) % 100_000).ToString("D5", CultureInfo.InvariantCulture);
        }));

        // Act
        var fingerprint = Fingerprint.Of(_alice.PublicKeys);

        // Assert
        Assert.Equal(expected, fingerprint);
    }

    [Fact]
    public void Of_TwoDevices_Differ()
    {
        // Arrange
        var a = _alice.PublicKeys;
        var b = _bob.PublicKeys;

        // Act
        var fa = Fingerprint.Of(a);
        var fb = Fingerprint.Of(b);

        // Assert
        Assert.NotEqual(fa, fb);
    }

    [Fact]
    public void SafetyNumber_EitherOrder_IsTheSame()
    {
        // Arrange
        var a = _alice.PublicKeys;
        var b = _bob.PublicKeys;

        // Act
        var ab = SafetyNumber.Of(a, b);
        var ba = SafetyNumber.Of(b, a);

        // Assert
        Assert.Equal(ab, ba);
    }

    [Fact]
    public void SafetyNumber_TwoDevices_IsTwelveGroupsMadeOfBothFingerprints()
    {
        // Arrange
        var fa = Fingerprint.Of(_alice.PublicKeys).Replace(" ", string.Empty, StringComparison.Ordinal);
        var fb = Fingerprint.Of(_bob.PublicKeys).Replace(" ", string.Empty, StringComparison.Ordinal);

        // Act
        var number = SafetyNumber.Of(_alice.PublicKeys, _bob.PublicKeys);

        // Assert
        Assert.Matches(@"^[0-9]{5}( [0-9]{5}){11}$", number);
        var digits = number.Replace(" ", string.Empty, StringComparison.Ordinal);
        Assert.Equal(string.CompareOrdinal(fa, fb) <= 0 ? fa + fb : fb + fa, digits);
    }

    [Fact]
    public void SafetyNumber_EitherKeyChanges_Differs()
    {
        // Arrange
        using var mallory = DeviceIdentity.Create();
        var original = SafetyNumber.Of(_alice.PublicKeys, _bob.PublicKeys);

        // Act
        var aliceReplaced = SafetyNumber.Of(mallory.PublicKeys, _bob.PublicKeys);
        var bobReplaced = SafetyNumber.Of(_alice.PublicKeys, mallory.PublicKeys);

        // Assert
        Assert.NotEqual(original, aliceReplaced);
        Assert.NotEqual(original, bobReplaced);
    }
}
