using SecureDialogue.Vault.Certification;
using SecureDialogue.Vault.Keys;
using Xunit;

namespace SecureDialogue.Vault.Tests.Certification;

/// <summary>Device certificates and revocations: round trip, binding of every field, and a tamper sweep.</summary>
public sealed class TrustStatementTests : IDisposable
{
    private static readonly Guid Review = Guid.Parse("5b0d7c1e-2f4a-4d8b-9a63-0c1e2f3a4b5c");
    private static readonly DateTimeOffset Issued = DateTimeOffset.FromUnixTimeMilliseconds(1_790_000_000_000);
    private readonly DeviceIdentity _focalPoint = DeviceIdentity.Create();
    private readonly DeviceIdentity _expert = DeviceIdentity.Create();
    private readonly Guid _expertAccount = Guid.NewGuid();

    [Fact]
    public void Certify_Decoded_RoundTripsEveryFieldAndVerifies()
    {
        // Arrange
        var statement = TrustStatementBuilder.Certify(_focalPoint, Review, "FRA", _expert.PublicKeys, _expertAccount, CertifiedRole.Observer,
            CertificateFlags.History, 7, Issued, "NV/FRA/2026/12");

        // Act
        var decoded = TrustStatement.Decode(statement.Encoded.Span).Value!;

        // Assert
        Assert.Equal((TrustStatementKind.Certificate, Review, "FRA", _focalPoint.Id, 7UL, Issued), (decoded.Kind, decoded.Review, decoded.StateCode, decoded.Certifier, decoded.Sequence, decoded.IssuedAt));
        Assert.Equal((_expert.Id, _expertAccount, CertifiedRole.Observer, CertificateFlags.History, "NV/FRA/2026/12"), (decoded.Subject, decoded.SubjectAccount, decoded.Role, decoded.Flags, decoded.Reference));
        Assert.True(decoded.VerifySignature(_focalPoint.PublicKeys));
        Assert.True(decoded.Binds(_expert.PublicKeys));
        Assert.False(decoded.Binds(_focalPoint.PublicKeys));
        Assert.False(decoded.IsRoot);
        Assert.Equal(statement.Hash.ToArray(), decoded.Hash.ToArray());
    }

    [Fact]
    public void Certify_SecretariatRole_RoundTrips_AndARoleAboveFourIsMalformed()
    {
        // Arrange: role 4 (secretariat, docs/protocol.md 20.2) is the byte after the 32-byte card hash, at offset 118.
        var statement = TrustStatementBuilder.Certify(_focalPoint, Review, "FRA", _expert.PublicKeys, _expertAccount, CertifiedRole.Secretariat,
            CertificateFlags.None, 3, Issued);
        var unknown = statement.Encoded.ToArray();
        unknown[118] = 5;

        // Act
        var decoded = TrustStatement.Decode(statement.Encoded.Span).Value!;
        var refused = TrustStatement.Decode(unknown);

        // Assert
        Assert.Equal((byte)4, statement.Encoded.Span[118]);
        Assert.Equal(CertifiedRole.Secretariat, decoded.Role);
        Assert.True(decoded.VerifySignature(_focalPoint.PublicKeys));
        Assert.Equal(CertificationError.Malformed, refused.Error);
    }

    [Fact]
    public void Revoke_Decoded_RoundTripsAndVerifiesUnderItsOwnContext()
    {
        // Arrange
        var revocation = TrustStatementBuilder.Revoke(_focalPoint, Review, "FRA", _expert.Id, _expertAccount, RevocationReason.Removed, 8, Issued);

        // Act
        var decoded = TrustStatement.Decode(revocation.Encoded.Span).Value!;

        // Assert
        Assert.Equal((TrustStatementKind.Revocation, RevocationReason.Removed, _expert.Id, ""), (decoded.Kind, decoded.Reason, decoded.Subject, decoded.Reference));
        Assert.True(decoded.VerifySignature(_focalPoint.PublicKeys));
        Assert.False(decoded.Binds(_expert.PublicKeys));
    }

    [Fact]
    public void VerifySignature_CertificateBytesUnderTheRevocationContext_Fails()
    {
        // Arrange: a certificate whose kind byte is switched to revocation keeps its signature but not its meaning.
        var statement = TrustStatementBuilder.Root(_focalPoint, Review, "FRA", Guid.NewGuid(), 1, Issued, "NV/1");
        var bytes = statement.Encoded.ToArray();

        // Act
        bytes[2] = (byte)TrustStatementKind.Revocation;
        var decoded = TrustStatement.Decode(bytes);

        // Assert: either the structure no longer fits, or the signature fails.
        Assert.True(!decoded.IsSuccess || !decoded.Value!.VerifySignature(_focalPoint.PublicKeys));
    }

    [Fact]
    public void Root_IsASelfCertificateWithTheFocalPointRole()
    {
        // Act
        var root = TrustStatementBuilder.Root(_focalPoint, Review, "KEN", Guid.NewGuid(), 1, Issued, "NV/KEN/4");

        // Assert
        Assert.True(root.IsRoot);
        Assert.True(root.Binds(_focalPoint.PublicKeys));
        Assert.True(root.VerifySignature(_focalPoint.PublicKeys));
        Assert.False(root.VerifySignature(_expert.PublicKeys));
    }

    [Fact]
    public void TamperSweep_EveryByteFlipped_FailsToDecodeOrToVerify()
    {
        // Arrange
        var statement = TrustStatementBuilder.Certify(_focalPoint, Review, "FRA", _expert.PublicKeys, _expertAccount, CertifiedRole.Expert,
            CertificateFlags.History, 3, Issued, "NV/FRA/2026/12");
        var original = statement.Encoded.ToArray();

        for (var i = 0; i < original.Length; i++)
        {
            // Act
            var bytes = (byte[])original.Clone();
            bytes[i] ^= 0x01;
            var decoded = TrustStatement.Decode(bytes);

            // Assert: nothing flipped survives as a valid certificate of the same certifier for the same card.
            Assert.False(decoded.IsSuccess && decoded.Value!.VerifySignature(_focalPoint.PublicKeys) && decoded.Value.Binds(_expert.PublicKeys),
                $"byte {i} flipped still verifies");
        }
    }

    [Theory]
    [InlineData("fra")]
    [InlineData("FR")]
    [InlineData("FRAN")]
    public void Certify_BadStateCode_Throws(string state) =>
        Assert.Throws<ArgumentException>(() => TrustStatementBuilder.Certify(_focalPoint, Review, state, _expert.PublicKeys, _expertAccount, CertifiedRole.Expert,
            CertificateFlags.None, 1, Issued));

    [Fact]
    public void Certify_ReferenceNotPrintableAsciiOrTooLong_ThrowsAndSequenceZeroThrows()
    {
        Assert.Throws<ArgumentException>(() => TrustStatementBuilder.Certify(_focalPoint, Review, "FRA", _expert.PublicKeys, _expertAccount, CertifiedRole.Expert, CertificateFlags.None, 1, Issued, "é"));
        Assert.Throws<ArgumentException>(() => TrustStatementBuilder.Certify(_focalPoint, Review, "FRA", _expert.PublicKeys, _expertAccount, CertifiedRole.Expert, CertificateFlags.None, 1, Issued, new string('x', 129)));
        Assert.Throws<ArgumentException>(() => TrustStatementBuilder.Certify(_focalPoint, Review, "FRA", _expert.PublicKeys, _expertAccount, CertifiedRole.Expert, CertificateFlags.None, 0, Issued));
    }

    [Fact]
    public void Decode_UnknownVersionOrTrailingByte_Refused()
    {
        // Arrange
        var bytes = TrustStatementBuilder.Root(_focalPoint, Review, "FRA", Guid.NewGuid(), 1, Issued, "").Encoded.ToArray();

        // Act
        var version = (byte[])bytes.Clone();
        version[0] = 2;
        byte[] trailing = [.. bytes, 0];

        // Assert
        Assert.Equal(CertificationError.UnsupportedVersion, TrustStatement.Decode(version).Error);
        Assert.Equal(CertificationError.Malformed, TrustStatement.Decode(trailing).Error);
        Assert.Equal(CertificationError.Malformed, TrustStatement.Decode(new byte[TrustStatement.MaxEncodedSize + 1]).Error);
    }

    public void Dispose()
    {
        _focalPoint.Dispose();
        _expert.Dispose();
    }
}
