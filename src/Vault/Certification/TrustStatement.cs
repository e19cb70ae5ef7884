using SecureDialogue.Vault.Keys;
using SecureDialogue.Vault.Primitives;

namespace SecureDialogue.Vault.Certification;

/// <summary>
/// A signed statement of a State's focal point about a device in one review: a certificate (the device belongs
/// to a named account of the State with a role) or a revocation. Signed by the certifier device's Ed25519 key
/// under a context distinct for each kind; numbered per certifier so that withheld statements show as gaps.
/// A certificate whose subject is its certifier with role <see cref="CertifiedRole.FocalPoint"/> is a root
/// statement: it names the device as the State's trust root (the nomination reference is the note verbale).
/// Encoding in docs/protocol.md, "Device certificates". Immutable.
/// </summary>
public sealed class TrustStatement
{
    /// <summary>Largest encoded statement.</summary>
    public const int MaxEncodedSize = 512;

    /// <summary>Longest reference (nomination note verbale number or similar), in ASCII characters.</summary>
    public const int MaxReferenceLength = 128;

    /// <summary>Size of <see cref="SubjectCardHash"/>.</summary>
    public const int CardHashSize = 32;

    internal TrustStatement(
        TrustStatementKind kind, Guid review, string stateCode, DeviceId certifier, ulong sequence, DateTimeOffset issuedAt,
        DeviceId subject, byte[] subjectCardHash, Guid subjectAccount, CertifiedRole role, CertificateFlags flags, RevocationReason reason,
        string reference, byte[] signedPart, byte[] signature)
    {
        Kind = kind;
        Review = review;
        StateCode = stateCode;
        Certifier = certifier;
        Sequence = sequence;
        IssuedAt = issuedAt;
        Subject = subject;
        SubjectCardHash = subjectCardHash;
        SubjectAccount = subjectAccount;
        Role = role;
        Flags = flags;
        Reason = reason;
        Reference = reference;
        SignedPart = signedPart;
        Signature = signature;
        byte[] encoded = [.. signedPart, .. signature];
        Encoded = encoded;
        var hash = new byte[32];
        Blake2b.Hash(ProtocolConstants.TrustStatementHashPersonal, encoded, hash);
        Hash = hash;
    }

    /// <summary>Certificate or revocation.</summary>
    public TrustStatementKind Kind { get; }

    /// <summary>The review the statement is about (and only valid in).</summary>
    public Guid Review { get; }

    /// <summary>The State the certifier speaks for: ISO 3166-1 alpha-3, upper case.</summary>
    public string StateCode { get; }

    /// <summary>The signing device (the State's focal point's device).</summary>
    public DeviceId Certifier { get; }

    /// <summary>1, 2, 3... per certifier device and review, with no gaps.</summary>
    public ulong Sequence { get; }

    /// <summary>The certifier's clock when signing (a claim, not a proof of time).</summary>
    public DateTimeOffset IssuedAt { get; }

    /// <summary>The device certified or revoked.</summary>
    public DeviceId Subject { get; }

    /// <summary>Certificates: BLAKE2b-256 of the subject's 130-byte card (personalisation <c>sdlg.card.hash</c>); empty for revocations.</summary>
    public ReadOnlyMemory<byte> SubjectCardHash { get; }

    /// <summary>The account the device belongs to.</summary>
    public Guid SubjectAccount { get; }

    /// <summary>Certificates: the role given.</summary>
    public CertifiedRole Role { get; }

    /// <summary>Certificates: flags (history access).</summary>
    public CertificateFlags Flags { get; }

    /// <summary>Revocations: the reason.</summary>
    public RevocationReason Reason { get; }

    /// <summary>A reference chosen by the certifier (e.g. the note verbale that nominated the person); may be empty.</summary>
    public string Reference { get; }

    /// <summary>True for a root statement: a focal point's self-certificate.</summary>
    public bool IsRoot => Kind == TrustStatementKind.Certificate && Role == CertifiedRole.FocalPoint && Subject == Certifier;

    /// <summary>The signed bytes (without the signature context).</summary>
    public ReadOnlyMemory<byte> SignedPart { get; }

    /// <summary>The Ed25519 signature.</summary>
    public ReadOnlyMemory<byte> Signature { get; }

    /// <summary>The canonical encoding: signed part then signature.</summary>
    public ReadOnlyMemory<byte> Encoded { get; }

    /// <summary>BLAKE2b-256 of the encoding (personalisation <c>sdlg.trust.hash</c>).</summary>
    public ReadOnlyMemory<byte> Hash { get; }

    /// <summary>Decodes a statement; checks structure only, not the signature or who signed.</summary>
    public static Result<TrustStatement, CertificationError> Decode(ReadOnlySpan<byte> encoded) => TrustStatementCodec.Decode(encoded);

    /// <summary>BLAKE2b-256 of a device card as certificates bind it.</summary>
    public static byte[] CardHash(DevicePublicKeys card)
    {
        ArgumentNullException.ThrowIfNull(card);
        var hash = new byte[CardHashSize];
        Blake2b.Hash(ProtocolConstants.CardHashPersonal, card.Encode(), hash);
        return hash;
    }

    /// <summary>Whether the signature verifies with the given card, which must be the certifier's.</summary>
    public bool VerifySignature(DevicePublicKeys certifierCard)
    {
        ArgumentNullException.ThrowIfNull(certifierCard);
        if (certifierCard.Id != Certifier)
        {
            return false;
        }

        byte[] signed = [.. TrustStatementCodec.ContextOf(Kind), .. SignedPart.Span];
        return Ed25519.Verify(certifierCard.SigningKey, signed, Signature.Span);
    }

    /// <summary>Whether <paramref name="card"/> is the certified subject (id and card hash, constant time).</summary>
    public bool Binds(DevicePublicKeys card)
    {
        ArgumentNullException.ThrowIfNull(card);
        return Kind == TrustStatementKind.Certificate && card.Id == Subject &&
               System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(CardHash(card), SubjectCardHash.Span);
    }

    /// <inheritdoc />
    public override string ToString() => $"{Kind} #{Sequence} by {Certifier} for {Subject} ({StateCode})";
}
