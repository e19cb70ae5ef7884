using SecureDialogue.Vault.Keys;

namespace SecureDialogue.Vault.Certification;

/// <summary>
/// Signing of trust statements by a focal point's device. The caller picks the sequence number: one more than
/// the highest this device has signed in the review.
/// </summary>
public static class TrustStatementBuilder
{
    /// <summary>The root statement: the focal point's device certifies itself as the State's trust root in the review.</summary>
    /// <param name="focalPoint">The focal point's device.</param>
    /// <param name="review">The review.</param>
    /// <param name="stateCode">The State (ISO 3166-1 alpha-3, upper case).</param>
    /// <param name="account">The focal point's account.</param>
    /// <param name="sequence">The device's next sequence number in the review (from 1).</param>
    /// <param name="issuedAt">Now.</param>
    /// <param name="nomination">The nomination reference (note verbale number), printable ASCII, at most 128 characters.</param>
    public static TrustStatement Root(DeviceIdentity focalPoint, Guid review, string stateCode, Guid account, ulong sequence, DateTimeOffset issuedAt, string nomination)
    {
        ArgumentNullException.ThrowIfNull(focalPoint);
        return Certify(focalPoint, review, stateCode, focalPoint.PublicKeys, account, CertifiedRole.FocalPoint, CertificateFlags.History, sequence, issuedAt, nomination);
    }

    /// <summary>A certificate for a device of a person of the certifier's State.</summary>
    /// <exception cref="ArgumentException">A field is outside its range (state code, reference, sequence 0, time).</exception>
    public static TrustStatement Certify(
        DeviceIdentity certifier, Guid review, string stateCode, DevicePublicKeys subject, Guid account, CertifiedRole role, CertificateFlags flags,
        ulong sequence, DateTimeOffset issuedAt, string reference = "")
    {
        ArgumentNullException.ThrowIfNull(certifier);
        ArgumentNullException.ThrowIfNull(subject);
        Check(stateCode, sequence, issuedAt, reference);
        if (!Enum.IsDefined(role) || (flags & ~CertificateFlags.History) != 0)
        {
            throw new ArgumentException("Unknown role or flags.", nameof(role));
        }

        var signed = TrustStatementCodec.WriteSignedPart(TrustStatementKind.Certificate, review, stateCode, certifier.Id, sequence, issuedAt,
            subject.Id, account, TrustStatement.CardHash(subject), role, flags, default, reference);
        return Sign(certifier, TrustStatementKind.Certificate, signed);
    }

    /// <summary>A revocation of a device in the review.</summary>
    /// <exception cref="ArgumentException">A field is outside its range.</exception>
    public static TrustStatement Revoke(
        DeviceIdentity certifier, Guid review, string stateCode, DeviceId subject, Guid account, RevocationReason reason,
        ulong sequence, DateTimeOffset issuedAt, string reference = "")
    {
        ArgumentNullException.ThrowIfNull(certifier);
        Check(stateCode, sequence, issuedAt, reference);
        if (!Enum.IsDefined(reason))
        {
            throw new ArgumentException("Unknown reason.", nameof(reason));
        }

        var signed = TrustStatementCodec.WriteSignedPart(TrustStatementKind.Revocation, review, stateCode, certifier.Id, sequence, issuedAt,
            subject, account, default, default, default, reason, reference);
        return Sign(certifier, TrustStatementKind.Revocation, signed);
    }

    private static void Check(string stateCode, ulong sequence, DateTimeOffset issuedAt, string reference)
    {
        if (!TrustStatementCodec.IsStateCode(stateCode))
        {
            throw new ArgumentException("An ISO 3166-1 alpha-3 code in upper case.", nameof(stateCode));
        }

        if (sequence == 0)
        {
            throw new ArgumentException("Sequence numbers start at 1.", nameof(sequence));
        }

        if (issuedAt < DateTimeOffset.UnixEpoch || issuedAt.Year > 9999)
        {
            throw new ArgumentException("A time from 1970 to 9999.", nameof(issuedAt));
        }

        if (!TrustStatementCodec.IsReference(reference))
        {
            throw new ArgumentException($"Printable ASCII, at most {TrustStatement.MaxReferenceLength} characters.", nameof(reference));
        }
    }

    private static TrustStatement Sign(DeviceIdentity certifier, TrustStatementKind kind, byte[] signedPart)
    {
        byte[] message = [.. TrustStatementCodec.ContextOf(kind), .. signedPart];
        var signature = new byte[64];
        certifier.Sign(message, signature);
        byte[] encoded = [.. signedPart, .. signature];
        return TrustStatementCodec.Decode(encoded).Value!;
    }
}
