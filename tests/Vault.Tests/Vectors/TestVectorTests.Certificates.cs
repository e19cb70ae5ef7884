using System.Text;
using System.Text.Json;
using SecureDialogue.Vault.Certification;
using SecureDialogue.Vault.Keys;
using SecureDialogue.Vault.Primitives;

namespace SecureDialogue.Vault.Tests.Vectors;

public sealed partial class TestVectorTests
{
    public static TheoryData<string> StatementNames => [.. Load("certificates.json").GetProperty("statements").EnumerateArray().Select(s => Str(s, "name"))];

    [Theory]
    [MemberData(nameof(StatementNames))]
    public void TrustStatement_CommittedVector_RecomputedFieldByFieldFromTheSpecification(string name)
    {
        // Arrange: the fields as listed, the devices from devices.json.
        var v = Load("certificates.json").GetProperty("statements").EnumerateArray().Single(s => Str(s, "name") == name);
        var alice = Device("alice");
        var subject = Device(Str(v, "subject"));
        var kind = v.GetProperty("kind").GetByte();

        // Act: the signed part written out as docs/protocol.md lists it, with no library encoder.
        var signed = new List<byte> { 1, 1, kind };
        signed.AddRange(Guid.Parse(Str(v, "review")).ToByteArray(bigEndian: true));
        signed.AddRange(Encoding.ASCII.GetBytes(Str(v, "state")));
        signed.AddRange(Convert.FromHexString(Str(alice, "device_id")));
        signed.AddRange(U64(v.GetProperty("sequence").GetUInt64()));
        signed.AddRange(U64((ulong)v.GetProperty("issued_at_ms").GetInt64()));
        signed.AddRange(Convert.FromHexString(Str(subject, "device_id")));
        signed.AddRange(Guid.Parse(Str(v, "subject_account")).ToByteArray(bigEndian: true));
        if (kind == 1)
        {
            signed.AddRange(Blake2bHash("sdlg.card.hash", Hex(subject, "card"), 32));
            signed.Add(v.GetProperty("role").GetByte());
            signed.Add(v.GetProperty("flags").GetByte());
        }
        else
        {
            signed.Add(v.GetProperty("reason").GetByte());
        }

        var reference = Encoding.ASCII.GetBytes(Str(v, "reference"));
        signed.Add((byte)reference.Length);
        signed.AddRange(reference);
        var context = Encoding.ASCII.GetBytes(kind == 1 ? "SecureDialogue/device-certificate/v1\0" : "SecureDialogue/device-revocation/v1\0");
        byte[] message = [.. context, .. signed];
        byte[] encoded = [.. signed, .. Hex(v, "signature")];

        // Assert: every intermediate, the signature under alice's key, the hash, and the library's own decoding.
        AssertHex(v, "signed_part", [.. signed]);
        AssertHex(v, "signed_message", message);
        AssertHex(v, "encoded", encoded);
        Assert.True(Ed25519.Verify(Hex(alice, "signing_public_key"), message, Hex(v, "signature")));
        AssertHex(v, "hash", Blake2bHash("sdlg.trust.hash", encoded, 32));
        var decoded = TrustStatement.Decode(encoded).Value!;
        Assert.True(decoded.VerifySignature(DevicePublicKeys.Decode(Hex(alice, "card")).Value!));
        Assert.Equal((Str(v, "state"), v.GetProperty("sequence").GetUInt64(), Str(v, "reference")), (decoded.StateCode, decoded.Sequence, decoded.Reference));
        Assert.Equal(name == "root", decoded.IsRoot);
    }

    [Fact]
    public void TrustStatementBuilder_FixedDevices_ReproducesTheCommittedBytes()
    {
        // Arrange
        var vectors = Load("certificates.json").GetProperty("statements").EnumerateArray().ToDictionary(s => Str(s, "name"));
        var alice = Device("alice");
        var bob = Device("bob");
        using var aliceIdentity = DeviceIdentity.FromSeeds(Hex(alice, "signing_seed"), Hex(alice, "agreement_secret"));
        var root = vectors["root"];
        var certificate = vectors["certificate"];

        // Act
        var rebuilt = TrustStatementBuilder.Root(aliceIdentity, Guid.Parse(Str(root, "review")), Str(root, "state"), Guid.Parse(Str(root, "subject_account")),
            root.GetProperty("sequence").GetUInt64(), DateTimeOffset.FromUnixTimeMilliseconds(root.GetProperty("issued_at_ms").GetInt64()), Str(root, "reference"));
        var rebuiltCertificate = TrustStatementBuilder.Certify(aliceIdentity, Guid.Parse(Str(certificate, "review")), Str(certificate, "state"),
            DevicePublicKeys.Decode(Hex(bob, "card")).Value!, Guid.Parse(Str(certificate, "subject_account")), (CertifiedRole)certificate.GetProperty("role").GetByte(),
            (CertificateFlags)certificate.GetProperty("flags").GetByte(), certificate.GetProperty("sequence").GetUInt64(),
            DateTimeOffset.FromUnixTimeMilliseconds(certificate.GetProperty("issued_at_ms").GetInt64()), Str(certificate, "reference"));

        // Assert
        AssertHex(root, "encoded", rebuilt.Encoded.Span);
        AssertHex(certificate, "encoded", rebuiltCertificate.Encoded.Span);
    }
}
