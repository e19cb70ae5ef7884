using FsCheck.Xunit;
using SecureDialogue.Vault.Certification;
using SecureDialogue.Vault.Keys;
using SecureDialogue.Vault.Tests.Support;

namespace SecureDialogue.Vault.Tests.Certification;

/// <summary>Decode and evaluation on random bytes and on mutations of valid statements: a typed result, never an exception, quickly.</summary>
public sealed class TrustStatementCodecFuzzTests
{
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(2);
    private static readonly Guid Review = Guid.Parse("5b0d7c1e-2f4a-4d8b-9a63-0c1e2f3a4b5c");
    private static readonly Lazy<(DeviceIdentity Root, DeviceIdentity Expert, TrustStatement Certificate)> Valid = new(() =>
    {
        var root = DeviceIdentity.Create();
        var expert = DeviceIdentity.Create();
        var certificate = TrustStatementBuilder.Certify(root, Review, "FRA", expert.PublicKeys, Guid.NewGuid(), CertifiedRole.Expert,
            CertificateFlags.History, 2, DateTimeOffset.FromUnixTimeSeconds(1_790_000_000), "NV/7");
        return (root, expert, certificate);
    });

    [Property(MaxTest = 300)]
    public bool Decode_RandomBytes_ReturnsTypedErrorQuickly(byte[] data)
    {
        var quick = Mutation.Within(Budget, () => TrustStatement.Decode(data ?? []), out var result);
        return quick && !result.IsSuccess && result.Error != CertificationError.None;
    }

    [Property(MaxTest = 300)]
    public bool Decode_RandomBytesAfterVersionSuiteAndKind_ReturnsTypedErrorQuickly(byte[] data, bool revocation)
    {
        byte[] input = [ProtocolConstants.Version, ProtocolConstants.Suite, revocation ? (byte)2 : (byte)1, .. data ?? []];
        var quick = Mutation.Within(Budget, () => TrustStatement.Decode(input), out var result);
        return quick && !result.IsSuccess && result.Error != CertificationError.None;
    }

    [Property(MaxTest = 400)]
    public bool Evaluate_MutatedCertificate_NeverThrowsAndCertifiesOnlyWithTheOriginal(int[] positions, byte[] values, byte[] insert)
    {
        // Arrange
        var (root, expert, certificate) = Valid.Value;
        var original = certificate.Encoded.ToArray();
        var mutated = Mutation.Apply(original, positions ?? [], values ?? [], insert ?? []);
        var cards = new Dictionary<DeviceId, (DevicePublicKeys, Guid)> { [expert.Id] = (expert.PublicKeys, certificate.SubjectAccount) };
        TrustRoot[] roots = [new TrustRoot("FRA", root.PublicKeys, Guid.NewGuid())];

        // Act
        var quick = Mutation.Within(Budget, () => CertificationView.Evaluate(Review, [mutated], cards, roots), out var view);

        // Assert
        return quick && (view.Certified.ContainsKey(expert.Id) == mutated.AsSpan().SequenceEqual(original));
    }
}
