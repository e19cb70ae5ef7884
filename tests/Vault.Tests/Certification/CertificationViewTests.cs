using SecureDialogue.Vault.Certification;
using SecureDialogue.Vault.Keys;
using Xunit;

namespace SecureDialogue.Vault.Tests.Certification;

/// <summary>The certification rules (docs/protocol.md, "Certification rules") on hand-built statements.</summary>
public sealed class CertificationViewTests : IDisposable
{
    private static readonly Guid Review = Guid.Parse("5b0d7c1e-2f4a-4d8b-9a63-0c1e2f3a4b5c");
    private static readonly DateTimeOffset At = DateTimeOffset.FromUnixTimeSeconds(1_790_000_000);
    private readonly DeviceIdentity _fra = DeviceIdentity.Create();
    private readonly DeviceIdentity _fraNew = DeviceIdentity.Create();
    private readonly DeviceIdentity _ken = DeviceIdentity.Create();
    private readonly DeviceIdentity _expert = DeviceIdentity.Create();
    private readonly Guid _fraAccount = Guid.NewGuid();
    private readonly Guid _fraNewAccount = Guid.NewGuid();
    private readonly Guid _kenAccount = Guid.NewGuid();
    private readonly Guid _expertAccount = Guid.NewGuid();

    private Dictionary<DeviceId, (DevicePublicKeys, Guid)> Cards => new()
    {
        [_fra.Id] = (_fra.PublicKeys, _fraAccount),
        [_fraNew.Id] = (_fraNew.PublicKeys, _fraNewAccount),
        [_ken.Id] = (_ken.PublicKeys, _kenAccount),
        [_expert.Id] = (_expert.PublicKeys, _expertAccount),
    };

    private TrustRoot Fra => new("FRA", _fra.PublicKeys, _fraAccount);

    private TrustRoot FraNew => new("FRA", _fraNew.PublicKeys, _fraNewAccount);

    private TrustRoot Ken => new("KEN", _ken.PublicKeys, _kenAccount);

    [Fact]
    public void Evaluate_CertificateOfThePinnedRoot_CertifiesWithRoleAndCertifier()
    {
        var view = Evaluate([Root(_fra, "FRA", _fraAccount, 1), Cert(_fra, "FRA", 2, CertifiedRole.Observer)], Fra);

        var certified = view.Certified[_expert.Id];
        Assert.Equal((CertifiedRole.Observer, _fra.Id, _expertAccount), (certified.Role, certified.Certifier, certified.Account));
        Assert.True(view.Certified[_fra.Id].IsRoot);
        Assert.Empty(view.Problems);
    }

    [Fact]
    public void Evaluate_NoPinnedRoot_NothingCertifiedButTheRootIsACandidate()
    {
        var view = Evaluate([Root(_fra, "FRA", _fraAccount, 1), Cert(_fra, "FRA", 2)]);

        Assert.Empty(view.Certified);
        Assert.Single(view.RootCandidates);
        Assert.Contains(view.Problems, p => p.Kind == CertificationProblemKind.NotAuthorized);
    }

    [Fact]
    public void Evaluate_AnotherStatesRootCertifiesForFra_Refused()
    {
        var view = Evaluate([Root(_ken, "KEN", _kenAccount, 1), Cert(_ken, "FRA", 2)], Fra, Ken);

        Assert.False(view.Certified.ContainsKey(_expert.Id));
        Assert.Contains(view.Problems, p => p.Kind == CertificationProblemKind.NotAuthorized);
    }

    [Fact]
    public void Evaluate_Revoked_NotCertifiedEvenWhenCertifiedAgainLater()
    {
        var view = Evaluate([Cert(_fra, "FRA", 1), Revoke(_fra, "FRA", _expert.Id, 2, RevocationReason.Lost), Cert(_fra, "FRA", 3)], Fra);

        Assert.False(view.Certified.ContainsKey(_expert.Id));
        Assert.Equal(RevocationReason.Lost, view.Revoked[_expert.Id].Reason);
    }

    [Fact]
    public void Evaluate_OldRootKeepsItsCertificatesUntilTheNewRootRevokesIt()
    {
        TrustStatement[] before = [Cert(_fra, "FRA", 1), Root(_fraNew, "FRA", _fraNewAccount, 1)];

        var kept = Evaluate(before, Fra, FraNew);
        var ended = Evaluate([.. before, Revoke(_fraNew, "FRA", _fra.Id, 2, RevocationReason.Replaced)], Fra, FraNew);

        Assert.True(kept.Certified.ContainsKey(_expert.Id));
        Assert.False(ended.Certified.ContainsKey(_expert.Id));
        Assert.False(ended.Certified.ContainsKey(_fra.Id));
        Assert.True(ended.Certified[_fraNew.Id].IsRoot);
    }

    [Fact]
    public void Evaluate_NewRootNotPinned_ReportedAsNewRootAndItsCertificatesIgnored()
    {
        var view = Evaluate([Root(_fraNew, "FRA", _fraNewAccount, 1), Cert(_fraNew, "FRA", 2)], Fra);

        Assert.Contains(view.Problems, p => p.Kind == CertificationProblemKind.NewRoot && p.Statement!.Certifier == _fraNew.Id);
        Assert.False(view.Certified.ContainsKey(_expert.Id));
    }

    [Fact]
    public void Evaluate_GapAndEquivocation_Reported_ConflictingCertificateIgnored()
    {
        var first = Cert(_fra, "FRA", 2, CertifiedRole.Expert);
        var other = Cert(_fra, "FRA", 2, CertifiedRole.Observer);

        var view = Evaluate([first, other, Cert(_fra, "FRA", 5)], Fra);

        Assert.Contains(view.Problems, p => p.Kind == CertificationProblemKind.Conflict);
        Assert.Contains(view.Problems, p => p.Kind == CertificationProblemKind.Gap);
        // Sequence 5 certifies the same device: the conflicting pair is ignored, the later certificate stands.
        Assert.Equal(5UL, view.Certified[_expert.Id].Certificate!.Sequence);
    }

    [Fact]
    public void Evaluate_CardListedUnderAnotherAccount_SubjectMismatch()
    {
        var cards = Cards;
        cards[_expert.Id] = (_expert.PublicKeys, Guid.NewGuid());

        var view = CertificationView.Evaluate(Review, [Cert(_fra, "FRA", 1).Encoded], cards, [Fra]);

        Assert.False(view.Certified.ContainsKey(_expert.Id));
        Assert.Contains(view.Problems, p => p.Kind == CertificationProblemKind.SubjectMismatch);
    }

    [Fact]
    public void Evaluate_FocalPointRoleForAnotherPersonsDevice_Refused()
    {
        var view = Evaluate([Cert(_fra, "FRA", 1, CertifiedRole.FocalPoint)], Fra);

        Assert.False(view.Certified.ContainsKey(_expert.Id));
    }

    [Fact]
    public void Evaluate_StatementOfAnotherReview_Refused()
    {
        var foreign = TrustStatementBuilder.Certify(_fra, Guid.NewGuid(), "FRA", _expert.PublicKeys, _expertAccount, CertifiedRole.Expert, CertificateFlags.None, 1, At);

        var view = Evaluate([foreign], Fra);

        Assert.False(view.Certified.ContainsKey(_expert.Id));
        Assert.Contains(view.Problems, p => p.Kind == CertificationProblemKind.Malformed);
    }

    public void Dispose()
    {
        _fra.Dispose();
        _fraNew.Dispose();
        _ken.Dispose();
        _expert.Dispose();
    }

    private CertificationView Evaluate(TrustStatement[] statements, params TrustRoot[] roots) =>
        CertificationView.Evaluate(Review, statements.Select(s => s.Encoded), Cards, roots);

    private static TrustStatement Root(DeviceIdentity device, string state, Guid account, ulong sequence) =>
        TrustStatementBuilder.Root(device, Review, state, account, sequence, At, "NV/1");

    private TrustStatement Cert(DeviceIdentity certifier, string state, ulong sequence, CertifiedRole role = CertifiedRole.Expert) =>
        TrustStatementBuilder.Certify(certifier, Review, state, _expert.PublicKeys, _expertAccount, role, CertificateFlags.History, sequence, At);

    private TrustStatement Revoke(DeviceIdentity certifier, string state, DeviceId subject, ulong sequence, RevocationReason reason) =>
        TrustStatementBuilder.Revoke(certifier, Review, state, subject, subject == _expert.Id ? _expertAccount : _fraAccount, reason, sequence, At);
}
