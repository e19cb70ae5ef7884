using SecureDialogue.Vault.Keys;
using SecureDialogue.Vault.Primitives;
using SecureDialogue.Vault.Wire;

namespace SecureDialogue.Vault.Certification;

/// <summary>Encoding and bounded decoding of <see cref="TrustStatement"/> (docs/protocol.md, "Device certificates").</summary>
internal static class TrustStatementCodec
{
    internal const int StateCodeLength = 3;
    private const long MaxIssuedAtMs = 253402300799999;

    public static byte[] ContextOf(TrustStatementKind kind) =>
        kind == TrustStatementKind.Certificate ? ProtocolConstants.DeviceCertificateContext : ProtocolConstants.DeviceRevocationContext;

    public static bool IsStateCode(string? code) => code is { Length: StateCodeLength } && code.All(c => c is >= 'A' and <= 'Z');

    public static bool IsReference(string? reference) =>
        reference is not null && reference.Length <= TrustStatement.MaxReferenceLength && reference.All(c => c is >= ' ' and <= '~');

    public static byte[] WriteSignedPart(
        TrustStatementKind kind, Guid review, string stateCode, DeviceId certifier, ulong sequence, DateTimeOffset issuedAt,
        DeviceId subject, Guid account, ReadOnlySpan<byte> cardHash, CertifiedRole role, CertificateFlags flags, RevocationReason reason, string reference)
    {
        var w = new CanonicalWriter(256);
        w.WriteByte(ProtocolConstants.Version);
        w.WriteByte(ProtocolConstants.Suite);
        w.WriteByte((byte)kind);
        w.WriteGuid(review);
        w.WriteBytes(System.Text.Encoding.ASCII.GetBytes(stateCode));
        w.WriteBytes(certifier.Bytes);
        w.WriteUInt64(sequence);
        w.WriteInt64(issuedAt.ToUnixTimeMilliseconds());
        w.WriteBytes(subject.Bytes);
        w.WriteGuid(account);
        if (kind == TrustStatementKind.Certificate)
        {
            w.WriteBytes(cardHash);
            w.WriteByte((byte)role);
            w.WriteByte((byte)flags);
        }
        else
        {
            w.WriteByte((byte)reason);
        }

        w.WriteAscii(reference);
        return w.ToArray();
    }

    public static Result<TrustStatement, CertificationError> Decode(ReadOnlySpan<byte> encoded)
    {
        if (encoded.Length > TrustStatement.MaxEncodedSize)
        {
            return CertificationError.Malformed;
        }

        var r = new CanonicalReader(encoded);
        if (!r.TryReadByte(out var version) || !r.TryReadByte(out var suite))
        {
            return CertificationError.Malformed;
        }

        if (version != ProtocolConstants.Version || suite != ProtocolConstants.Suite)
        {
            return CertificationError.UnsupportedVersion;
        }

        if (!r.TryReadByte(out var kindByte) || kindByte is not ((byte)TrustStatementKind.Certificate or (byte)TrustStatementKind.Revocation) ||
            !r.TryReadGuid(out var review) ||
            !r.TryReadBytes(StateCodeLength, out var state) || !AllUpper(state) ||
            !r.TryReadBytes(DeviceId.Size, out var certifier) ||
            !r.TryReadUInt64(out var sequence) || sequence == 0 ||
            !r.TryReadInt64(out var issuedMs) || issuedMs is < 0 or > MaxIssuedAtMs ||
            !r.TryReadBytes(DeviceId.Size, out var subject) ||
            !r.TryReadGuid(out var account))
        {
            return CertificationError.Malformed;
        }

        var kind = (TrustStatementKind)kindByte;
        var cardHash = Array.Empty<byte>();
        var role = default(CertifiedRole);
        var flags = CertificateFlags.None;
        var reason = default(RevocationReason);
        if (kind == TrustStatementKind.Certificate)
        {
            if (!r.TryReadBytes(TrustStatement.CardHashSize, out var hash) ||
                !r.TryReadByte(out var roleByte) || roleByte is < 1 or > 4 ||
                !r.TryReadByte(out var flagByte) || flagByte > (byte)CertificateFlags.History)
            {
                return CertificationError.Malformed;
            }

            cardHash = hash.ToArray();
            role = (CertifiedRole)roleByte;
            flags = (CertificateFlags)flagByte;
        }
        else if (!r.TryReadByte(out var reasonByte) || reasonByte is < 1 or > 3)
        {
            return CertificationError.Malformed;
        }
        else
        {
            reason = (RevocationReason)reasonByte;
        }

        if (!r.TryReadAscii(0, TrustStatement.MaxReferenceLength, b => b is >= 0x20 and <= 0x7E, out var reference))
        {
            return CertificationError.Malformed;
        }

        var signedPart = r.Consumed.ToArray();
        if (!r.TryReadBytes(Ed25519.SignatureSize, out var signature) || !r.End)
        {
            return CertificationError.Malformed;
        }

        var certifierId = DeviceId.FromBytes(certifier);
        var subjectId = DeviceId.FromBytes(subject);
        // A focal-point role names the certifier's own devices only through the root statement's account (checked
        // when evaluating); the structure only requires that a root certifies itself or another device.
        return new TrustStatement(
            kind, review, System.Text.Encoding.ASCII.GetString(state), certifierId, sequence, DateTimeOffset.FromUnixTimeMilliseconds(issuedMs),
            subjectId, cardHash, account, role, flags, reason, reference, signedPart, signature.ToArray());
    }

    private static bool AllUpper(ReadOnlySpan<byte> bytes)
    {
        foreach (var b in bytes)
        {
            if (b is < (byte)'A' or > (byte)'Z')
            {
                return false;
            }
        }

        return true;
    }
}
