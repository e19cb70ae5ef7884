using System.Buffers.Binary;
using System.Diagnostics;
using SecureDialogue.Vault.Interop;
using SecureDialogue.Vault.Keys.Store;
using SecureDialogue.Vault.Primitives;
using Xunit;

namespace SecureDialogue.Vault.Tests.Keys.Store;

public sealed class KeyStoreFileTests : IClassFixture<KeyStoreFixture>
{
    // Parsing a 141-byte header takes microseconds; the parameters below would each cost far more if Argon2
    // ran (a floor derivation takes ~0.1 s; 16 passes ~0.6 s or more; 4 GiB several seconds or no memory).
    private static readonly TimeSpan NoDerivationBudget = TimeSpan.FromMilliseconds(250);

    private readonly KeyStoreFixture _fixture;

    public KeyStoreFileTests(KeyStoreFixture fixture) => _fixture = fixture;

    public static TheoryData<uint, uint> BelowFloor => new()
    {
        // Each would cost seconds (or fail to allocate) if Argon2 ran: the refusal must come first.
        { 1, KdfParameters.Ceiling.MemLimitKiB },
        { KdfParameters.Ceiling.OpsLimit, KdfParameters.Floor.MemLimitKiB - 1 },
        { 0, 0 },
    };

    public static TheoryData<uint, uint> AboveCeiling => new()
    {
        { KdfParameters.Ceiling.OpsLimit + 1, KdfParameters.Floor.MemLimitKiB },
        { KdfParameters.Floor.OpsLimit, KdfParameters.Ceiling.MemLimitKiB + 1 },
        { uint.MaxValue, uint.MaxValue },
    };

    [Fact]
    public void Seal_FloorParameters_WritesDocumentedHeader()
    {
        // Arrange
        var file = _fixture.Sealed;

        // Act
        var ops = BinaryPrimitives.ReadUInt32BigEndian(file.AsSpan(KeyStoreFixture.OpsOffset));
        var mem = BinaryPrimitives.ReadUInt32BigEndian(file.AsSpan(KeyStoreFixture.MemOffset));
        var length = BinaryPrimitives.ReadUInt16BigEndian(file.AsSpan(KeyStoreFixture.LengthOffset));

        // Assert
        Assert.Equal(KeyStoreFixture.FileSize, file.Length);
        Assert.True(file.AsSpan(0, 8).SequenceEqual(KeyStoreFile.Magic));
        Assert.Equal(KeyStoreFile.FormatVersion, file[KeyStoreFixture.VersionOffset]);
        Assert.Equal(KeyStoreFile.KdfArgon2id13, file[KeyStoreFixture.KdfOffset]);
        Assert.Equal(KdfParameters.Floor.OpsLimit, ops);
        Assert.Equal(KdfParameters.Floor.MemLimitKiB, mem);
        Assert.Equal(KeyStoreFixture.FileSize - KeyStoreFixture.HeaderSize, length);
    }

    [Fact]
    public void Unseal_RightPassphrase_ReturnsTheSameIdentity()
    {
        // Arrange
        var file = _fixture.Sealed;

        // Act
        var result = KeyStoreFile.Unseal(file, KeyStoreFixture.Passphrase);

        // Assert
        Assert.True(result.IsSuccess, result.ToString());
        using var identity = result.Value;
        Assert.Equal(_fixture.Identity.PublicKeys, identity.PublicKeys);
        Assert.Equal(_fixture.Identity.Id, identity.Id);
    }

    [Fact]
    public void Unseal_WrongPassphrase_ReturnsWrongPassphrase()
    {
        // Arrange
        var file = _fixture.Sealed;

        // Act
        var result = KeyStoreFile.Unseal(file, "correct horse battery stapler");

        // Assert
        Assert.False(result.IsSuccess);
        Assert.Equal(KeyStoreError.WrongPassphrase, result.Error);
    }

    [Theory]
    [MemberData(nameof(BelowFloor))]
    public void Unseal_KdfRewrittenBelowFloor_ReturnsKdfBelowFloorWithoutDeriving(uint ops, uint memKiB)
    {
        // Arrange
        var file = WithKdf(ops, memKiB);
        var stopwatch = Stopwatch.StartNew();

        // Act
        var result = KeyStoreFile.Unseal(file, KeyStoreFixture.Passphrase);
        stopwatch.Stop();

        // Assert
        Assert.False(result.IsSuccess);
        Assert.Equal(KeyStoreError.KdfBelowFloor, result.Error);
        Assert.True(stopwatch.Elapsed < NoDerivationBudget, $"took {stopwatch.Elapsed}");
    }

    [Theory]
    [MemberData(nameof(AboveCeiling))]
    public void Unseal_KdfRewrittenAboveCeiling_ReturnsKdfAboveCeilingWithoutDeriving(uint ops, uint memKiB)
    {
        // Arrange
        var file = WithKdf(ops, memKiB);
        var stopwatch = Stopwatch.StartNew();

        // Act
        var result = KeyStoreFile.Unseal(file, KeyStoreFixture.Passphrase);
        stopwatch.Stop();

        // Assert
        Assert.False(result.IsSuccess);
        Assert.Equal(KeyStoreError.KdfAboveCeiling, result.Error);
        Assert.True(stopwatch.Elapsed < NoDerivationBudget, $"took {stopwatch.Elapsed}");
    }

    [Fact]
    public void Unseal_OpsRaisedWithinAllowedRange_ReturnsWrongPassphrase()
    {
        // Arrange: a tampered but acceptable header still fails, because the AEAD's associated data covers it.
        var file = WithKdf(KdfParameters.Floor.OpsLimit + 1, KdfParameters.Floor.MemLimitKiB);

        // Act
        var result = KeyStoreFile.Unseal(file, KeyStoreFixture.Passphrase);

        // Assert
        Assert.False(result.IsSuccess);
        Assert.Equal(KeyStoreError.WrongPassphrase, result.Error);
    }

    [Fact]
    public void Unseal_MemoryRaisedWithinAllowedRange_ReturnsWrongPassphrase()
    {
        // Arrange
        var file = WithKdf(KdfParameters.Floor.OpsLimit, KdfParameters.Floor.MemLimitKiB + 1024);

        // Act
        var result = KeyStoreFile.Unseal(file, KeyStoreFixture.Passphrase);

        // Assert
        Assert.False(result.IsSuccess);
        Assert.Equal(KeyStoreError.WrongPassphrase, result.Error);
    }

    [Fact]
    public void Unseal_EveryByteOfHeaderFlipped_ReturnsTypedError()
    {
        // Arrange: magic, version, KDF id, costs and length; the salt and nonce are covered below. The few cost
        // variants that stay within the allowed range run Argon2 and fail on the associated data.
        byte[] masks = [0x01, 0x80, 0xff];
        var outcomes = new List<(int Position, byte Mask, KeyStoreError Error, bool Success)>();
        var positions = Enumerable.Range(0, KeyStoreFixture.SaltOffset).Concat([KeyStoreFixture.LengthOffset, KeyStoreFixture.LengthOffset + 1]);

        // Act
        foreach (var position in positions)
        {
            foreach (var mask in masks)
            {
                var file = _fixture.Sealed.ToArray();
                file[position] ^= mask;
                var result = KeyStoreFile.Unseal(file, KeyStoreFixture.Passphrase);
                outcomes.Add((position, mask, result.Error, result.IsSuccess));
            }
        }

        // Assert
        Assert.DoesNotContain(outcomes, o => o.Success || o.Error == KeyStoreError.None);
        Assert.All(outcomes.Where(o => o.Position < KeyStoreFixture.VersionOffset), o => Assert.Equal(KeyStoreError.Malformed, o.Error));
        Assert.All(outcomes.Where(o => o.Position is KeyStoreFixture.VersionOffset or KeyStoreFixture.KdfOffset), o => Assert.Equal(KeyStoreError.UnsupportedVersion, o.Error));
        Assert.All(outcomes.Where(o => o.Position >= KeyStoreFixture.LengthOffset), o => Assert.Equal(KeyStoreError.Malformed, o.Error));
        Assert.All(
            outcomes.Where(o => o.Position is >= KeyStoreFixture.OpsOffset and < KeyStoreFixture.SaltOffset),
            o => Assert.Contains(o.Error, new[] { KeyStoreError.KdfBelowFloor, KeyStoreError.KdfAboveCeiling, KeyStoreError.WrongPassphrase }));
    }

    [Theory]
    [InlineData(KeyStoreFixture.SaltOffset)]
    [InlineData(KeyStoreFixture.SaltOffset + 15)]
    [InlineData(KeyStoreFixture.NonceOffset)]
    [InlineData(KeyStoreFixture.NonceOffset + 23)]
    [InlineData(KeyStoreFixture.HeaderSize)]
    [InlineData(KeyStoreFixture.HeaderSize + 40)]
    [InlineData(KeyStoreFixture.FileSize - 1)]
    public void Unseal_SaltNonceCiphertextOrTagByteFlipped_ReturnsWrongPassphrase(int position)
    {
        // Arrange
        var file = _fixture.Sealed.ToArray();
        file[position] ^= 0x01;

        // Act
        var result = KeyStoreFile.Unseal(file, KeyStoreFixture.Passphrase);

        // Assert
        Assert.False(result.IsSuccess);
        Assert.Equal(KeyStoreError.WrongPassphrase, result.Error);
    }

    [Fact]
    public void Seal_OutputWithAnyByteFlipped_FailsAuthenticationUnderTheDerivedKey()
    {
        // Arrange: one derivation, then the AEAD step of Unseal for every single-byte change of the file.
        var file = _fixture.Sealed;
        var passphrase = System.Text.Encoding.UTF8.GetBytes(KeyStoreFixture.Passphrase);
        using var secret = SecureMemoryHandle.CreateFrom(passphrase);
        Assert.True(Argon2id.TryDeriveKey(
            secret, file.AsSpan(KeyStoreFixture.SaltOffset, 16), KdfParameters.Floor.OpsLimit, KdfParameters.Floor.MemLimitBytes, out var key));
        using var _ = key;
        var accepted = new List<int>();

        // Act
        var original = Open(key, file);
        for (var position = 0; position < file.Length; position++)
        {
            var tampered = file.ToArray();
            tampered[position] ^= 0x01;
            if (Open(key, tampered))
            {
                accepted.Add(position);
            }
        }

        // Assert
        Assert.True(original);
        Assert.Empty(accepted);
    }

    [Fact]
    public void Unseal_AuthenticPayloadWithUnknownVersion_ReturnsUnsupportedVersion()
    {
        // Arrange: a file sealed exactly like Seal does, but with payload version 2.
        var file = _fixture.Sealed.ToArray();
        using var secret = SecureMemoryHandle.CreateFrom(System.Text.Encoding.UTF8.GetBytes(KeyStoreFixture.Passphrase));
        Assert.True(Argon2id.TryDeriveKey(
            secret, file.AsSpan(KeyStoreFixture.SaltOffset, 16), KdfParameters.Floor.OpsLimit, KdfParameters.Floor.MemLimitBytes, out var key));
        using var _ = key;
        var payload = new byte[1 + 64];
        payload[0] = 2;
        _fixture.Identity.ExportSeeds(payload.AsSpan(1));
        byte[] ad = [.. ProtocolConstants.KeyStoreContext, .. file.AsSpan(0, KeyStoreFixture.HeaderSize)];
        XChaCha20Poly1305.Encrypt(key, file.AsSpan(KeyStoreFixture.NonceOffset, 24), ad, payload, file.AsSpan(KeyStoreFixture.HeaderSize));
        payload.AsSpan().Clear();

        // Act
        var result = KeyStoreFile.Unseal(file, KeyStoreFixture.Passphrase);

        // Assert
        Assert.False(result.IsSuccess);
        Assert.Equal(KeyStoreError.UnsupportedVersion, result.Error);
    }

    [Fact]
    public void Unseal_EveryTruncation_ReturnsMalformed()
    {
        // Arrange
        var file = _fixture.Sealed;

        // Act
        var errors = Enumerable.Range(0, file.Length).Select(n => KeyStoreFile.Unseal(file.AsSpan(0, n), KeyStoreFixture.Passphrase)).ToList();

        // Assert
        Assert.All(errors, r => Assert.Equal(KeyStoreError.Malformed, r.Error));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(100)]
    [InlineData(5000)]
    public void Unseal_TrailingBytes_ReturnsMalformed(int extra)
    {
        // Arrange
        byte[] file = [.. _fixture.Sealed, .. new byte[extra]];

        // Act
        var result = KeyStoreFile.Unseal(file, KeyStoreFixture.Passphrase);

        // Assert
        Assert.Equal(KeyStoreError.Malformed, result.Error);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(80)]
    [InlineData(82)]
    [InlineData(0xffff)]
    public void Unseal_WrongCiphertextLength_ReturnsMalformed(int length)
    {
        // Arrange
        var file = _fixture.Sealed.ToArray();
        BinaryPrimitives.WriteUInt16BigEndian(file.AsSpan(KeyStoreFixture.LengthOffset), (ushort)length);

        // Act
        var result = KeyStoreFile.Unseal(file, KeyStoreFixture.Passphrase);

        // Assert
        Assert.Equal(KeyStoreError.Malformed, result.Error);
    }

    [Theory]
    [InlineData(KeyStoreFixture.VersionOffset, 0)]
    [InlineData(KeyStoreFixture.VersionOffset, 2)]
    [InlineData(KeyStoreFixture.VersionOffset, 0xff)]
    [InlineData(KeyStoreFixture.KdfOffset, 0)]
    [InlineData(KeyStoreFixture.KdfOffset, 2)]
    public void Unseal_UnknownFormatOrKdf_ReturnsUnsupportedVersion(int position, byte value)
    {
        // Arrange
        var file = _fixture.Sealed.ToArray();
        file[position] = value;

        // Act
        var result = KeyStoreFile.Unseal(file, KeyStoreFixture.Passphrase);

        // Assert
        Assert.Equal(KeyStoreError.UnsupportedVersion, result.Error);
    }

    [Fact]
    public void Unseal_Garbage_ReturnsMalformed()
    {
        // Arrange
        var garbage = new byte[KeyStoreFixture.FileSize];
        RandomSource.Default.Fill(garbage);

        // Act
        var result = KeyStoreFile.Unseal(garbage, KeyStoreFixture.Passphrase);

        // Assert
        Assert.Equal(KeyStoreError.Malformed, result.Error);
    }

    private byte[] WithKdf(uint ops, uint memKiB)
    {
        var file = _fixture.Sealed.ToArray();
        BinaryPrimitives.WriteUInt32BigEndian(file.AsSpan(KeyStoreFixture.OpsOffset), ops);
        BinaryPrimitives.WriteUInt32BigEndian(file.AsSpan(KeyStoreFixture.MemOffset), memKiB);
        return file;
    }

    // The AEAD step of Unseal, with the associated data it documents: context || header.
    private static bool Open(SecureMemoryHandle key, byte[] file)
    {
        byte[] ad = [.. ProtocolConstants.KeyStoreContext, .. file.AsSpan(0, KeyStoreFixture.HeaderSize)];
        var plaintext = new byte[KeyStoreFixture.FileSize - KeyStoreFixture.HeaderSize - XChaCha20Poly1305.TagSize];
        return XChaCha20Poly1305.TryDecrypt(
            key, file.AsSpan(KeyStoreFixture.NonceOffset, XChaCha20Poly1305.NonceSize), ad, file.AsSpan(KeyStoreFixture.HeaderSize), plaintext);
    }
}
