using System.Security.Cryptography;
using SecureDialogue.Vault.Keys;

namespace SecureDialogue.Vault.Certification;

/// <summary>
/// Which devices the States vouch for in one review, computed by a client from the statements the server serves,
/// the device cards it lists and the trust roots the client pinned; the server's word counts for nothing but
/// availability. Rules (docs/protocol.md, "Certification rules"):
/// <list type="number">
/// <item>A pinned root vouches for itself (role focal point).</item>
/// <item>A revocation counts when a pinned root of its State signed it; a revoked device stays revoked in the review.
/// A revoked root certifies nothing any more: every certificate it signed ends.</item>
/// <item>A certificate counts when a pinned, unrevoked root of its State signed it, the subject is not revoked, and
/// the directory lists the subject's card (hash-bound) under the certified account. A focal-point role on another
/// device only counts for the root's own account.</item>
/// <item>Of several certificates for one device, the one of the latest-pinned root with the highest sequence wins.</item>
/// </list>
/// Gaps in a certifier's sequence numbers and two different statements at one number are reported.
/// </summary>
public sealed class CertificationView
{
    private readonly Dictionary<DeviceId, CertifiedDevice> _certified = [];
    private readonly Dictionary<DeviceId, TrustStatement> _revoked = [];
    private readonly List<CertificationProblem> _problems = [];
    private readonly List<TrustStatement> _rootCandidates = [];

    private CertificationView()
    {
    }

    /// <summary>Certified devices by id (roots included), revoked ones excluded.</summary>
    public IReadOnlyDictionary<DeviceId, CertifiedDevice> Certified => _certified;

    /// <summary>Revoked devices with the revocation that counted.</summary>
    public IReadOnlyDictionary<DeviceId, TrustStatement> Revoked => _revoked;

    /// <summary>Valid root statements (self-signed, card listed) of every State, pinned or not.</summary>
    public IReadOnlyList<TrustStatement> RootCandidates => _rootCandidates;

    /// <summary>Problems found, in the order found.</summary>
    public IReadOnlyList<CertificationProblem> Problems => _problems;

    /// <summary>Evaluates the statements.</summary>
    /// <param name="review">The review.</param>
    /// <param name="statements">Encoded statements as served (undecodable ones are reported).</param>
    /// <param name="cards">Device cards as listed, by id, with the account the server lists each under.</param>
    /// <param name="roots">Pinned roots, oldest first (the order decides between certificates).</param>
    public static CertificationView Evaluate(
        Guid review, IEnumerable<ReadOnlyMemory<byte>> statements, IReadOnlyDictionary<DeviceId, (DevicePublicKeys Card, Guid Account)> cards, IReadOnlyList<TrustRoot> roots)
    {
        ArgumentNullException.ThrowIfNull(statements);
        ArgumentNullException.ThrowIfNull(cards);
        ArgumentNullException.ThrowIfNull(roots);
        var view = new CertificationView();
        var decoded = new List<TrustStatement>();
        foreach (var bytes in statements)
        {
            var result = TrustStatement.Decode(bytes.Span);
            if (!result.TryGetValue(out var statement, out var error))
            {
                view._problems.Add(new CertificationProblem(CertificationProblemKind.Malformed, null, $"a statement did not decode ({error})"));
            }
            else if (statement.Review != review)
            {
                view._problems.Add(new CertificationProblem(CertificationProblemKind.Malformed, statement, "a statement for another review"));
            }
            else
            {
                decoded.Add(statement);
            }
        }

        view.Run(decoded, cards, roots);
        return view;
    }

    private void Run(List<TrustStatement> statements, IReadOnlyDictionary<DeviceId, (DevicePublicKeys Card, Guid Account)> cards, IReadOnlyList<TrustRoot> roots)
    {
        var conflicted = CheckSequences(statements);

        // Root candidates: self-certificates that verify against the listed card.
        foreach (var s in statements.Where(s => s.IsRoot))
        {
            if (cards.TryGetValue(s.Certifier, out var listed) && s.Binds(listed.Card) && s.VerifySignature(listed.Card))
            {
                _rootCandidates.Add(s);
                if (!roots.Any(r => r.StateCode == s.StateCode && r.Card.Id == s.Certifier) && roots.Any(r => r.StateCode == s.StateCode))
                {
                    _problems.Add(new CertificationProblem(CertificationProblemKind.NewRoot, s,
                        $"a new focal point device {s.Certifier} for {s.StateCode}: not trusted until its fingerprint is compared and accepted"));
                }
            }
        }

        var rootIndex = new Dictionary<DeviceId, int>();
        for (var i = 0; i < roots.Count; i++)
        {
            rootIndex[roots[i].Card.Id] = i;
        }

        // Revocations first: they only take trust away.
        foreach (var s in statements.Where(s => s.Kind == TrustStatementKind.Revocation))
        {
            if (Signer(s, roots) is { } root && s.VerifySignature(root.Card))
            {
                _revoked.TryAdd(s.Subject, s);
            }
            else
            {
                Report(s, roots);
            }
        }

        foreach (var root in roots.Where(r => !_revoked.ContainsKey(r.Card.Id)))
        {
            var statement = _rootCandidates.Where(c => c.Certifier == root.Card.Id && c.StateCode == root.StateCode).MaxBy(c => c.Sequence);
            _certified[root.Card.Id] = new CertifiedDevice(root.Card, root.Account, root.StateCode, CertifiedRole.FocalPoint, CertificateFlags.History, statement, root.Card.Id);
        }

        var chosen = new Dictionary<DeviceId, (int Root, ulong Sequence)>();
        foreach (var s in statements.Where(s => s.Kind == TrustStatementKind.Certificate && !s.IsRoot))
        {
            var root = Signer(s, roots);
            if (root is null || _revoked.ContainsKey(root.Card.Id) || !s.VerifySignature(root.Card))
            {
                if (root is null || !s.VerifySignature(root.Card))
                {
                    Report(s, roots);
                }

                continue;
            }

            if (conflicted.Contains((s.Certifier, s.Sequence)) || _revoked.ContainsKey(s.Subject) || roots.Any(r => r.Card.Id == s.Subject))
            {
                continue;
            }

            if (s.Role == CertifiedRole.FocalPoint && s.SubjectAccount != root.Account)
            {
                _problems.Add(new CertificationProblem(CertificationProblemKind.NotAuthorized, s, "a focal-point role for another person's device"));
                continue;
            }

            if (!cards.TryGetValue(s.Subject, out var listed) || !s.Binds(listed.Card) || listed.Account != s.SubjectAccount)
            {
                _problems.Add(new CertificationProblem(CertificationProblemKind.SubjectMismatch, s,
                    $"the certified device {s.Subject} is not listed with the certified card under the certified account"));
                continue;
            }

            var rank = (rootIndex[root.Card.Id], s.Sequence);
            if (chosen.TryGetValue(s.Subject, out var best) && (best.Root, best.Sequence).CompareTo(rank) > 0)
            {
                continue;
            }

            chosen[s.Subject] = rank;
            _certified[s.Subject] = new CertifiedDevice(listed.Card, s.SubjectAccount, s.StateCode, s.Role, s.Flags, s, root.Card.Id);
        }
    }

    // The pinned root of the statement's State that signed it, if any.
    private static TrustRoot? Signer(TrustStatement s, IReadOnlyList<TrustRoot> roots) =>
        roots.FirstOrDefault(r => r.StateCode == s.StateCode && r.Card.Id == s.Certifier);

    private void Report(TrustStatement s, IReadOnlyList<TrustRoot> roots)
    {
        var root = Signer(s, roots);
        _problems.Add(root is null
            ? new CertificationProblem(CertificationProblemKind.NotAuthorized, s, $"signed by {s.Certifier}, not a trusted focal point device of {s.StateCode}")
            : new CertificationProblem(CertificationProblemKind.BadSignature, s, "the signature does not verify"));
    }

    // Gaps and equivocation per certifier; returns the (certifier, sequence) pairs with conflicting statements.
    private HashSet<(DeviceId, ulong)> CheckSequences(List<TrustStatement> statements)
    {
        var conflicted = new HashSet<(DeviceId, ulong)>();
        foreach (var group in statements.GroupBy(s => s.Certifier))
        {
            var bySequence = group.GroupBy(s => s.Sequence).ToList();
            foreach (var same in bySequence)
            {
                var distinct = same.DistinctBy(s => Convert.ToHexString(s.Hash.Span)).ToList();
                if (distinct.Count > 1)
                {
                    conflicted.Add((group.Key, same.Key));
                    _problems.Add(new CertificationProblem(CertificationProblemKind.Conflict, distinct[1],
                        $"two different statements numbered {same.Key} by {group.Key}"));
                }
            }

            var max = bySequence.Max(g => g.Key);
            if ((ulong)bySequence.Count < max)
            {
                _problems.Add(new CertificationProblem(CertificationProblemKind.Gap, null,
                    $"statements of {group.Key} are missing: {bySequence.Count} of {max} served"));
            }
        }

        return conflicted;
    }

    /// <summary>Whether two encoded statements are the same (constant time).</summary>
    public static bool SameStatement(TrustStatement a, TrustStatement b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return CryptographicOperations.FixedTimeEquals(a.Hash.Span, b.Hash.Span);
    }
}
