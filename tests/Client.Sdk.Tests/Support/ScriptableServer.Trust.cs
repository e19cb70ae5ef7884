using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using SecureDialogue.Contracts;
using SecureDialogue.Vault.Certification;
using SecureDialogue.Vault.Keys;

namespace SecureDialogue.Client.Tests.Support;

/// <summary>
/// The double's trust endpoints: member listing with devices and statements, statement submission (structure and
/// sequence checks only: the double trusts focal points to be who they say, clients must not), device look-up, and
/// hooks to withhold, inject and rewrite statements.
/// </summary>
internal sealed partial class ScriptableServer
{
    private readonly List<(Guid Review, byte[] Statement)> _statements = [];
    private readonly List<(Guid Review, FocalPointEntry Entry)> _nominations = [];
    private readonly List<(Guid Review, byte[] Statement)> _policies = [];

    // When each statement (trust or policy, by its array) was stored and its archive index, if archived.
    private readonly Dictionary<byte[], (DateTimeOffset StoredAt, long? Index)> _archived = new(ReferenceEqualityComparer.Instance);

    /// <summary>Serves <paramref name="statement"/> as the review's next disclosure policy statement, unchecked (genuine or forged).</summary>
    public void InjectPolicy(Guid reviewId, byte[] statement)
    {
        lock (_lock)
        {
            _policies.Add((reviewId, statement));
            _archived[statement] = ArchiveStatement(reviewId, Vault.Archive.ArchiveEntryKind.PolicyChange, statement);
        }
    }

    /// <summary>Forgets the review's policy statements (the default policy again).</summary>
    public void ClearPolicies(Guid reviewId)
    {
        lock (_lock)
        {
            _policies.RemoveAll(p => p.Review == reviewId);
        }
    }

    /// <summary>Statements (by position, 1-based, per review) left out of member listings: the server withholds them.</summary>
    public HashSet<int> WithheldStatements { get; } = [];

    /// <summary>Makes an account a review's focal point for its State (the secretariat's registration).</summary>
    public void SetFocalPoint(Guid reviewId, Account account, string nomination)
    {
        lock (_lock)
        {
            var review = _reviews[reviewId];
            foreach (var (r, entry) in _nominations.Where(n => n.Review == reviewId && n.Entry.StateCode == account.StateCode && n.Entry.EndedAt is null).ToList())
            {
                _nominations.Remove((r, entry));
                _nominations.Add((r, entry with { EndedAt = _time.GetUtcNow() }));
                review.Members.RemoveAll(m => m.AccountId == entry.AccountId && m.Role == MemberRole.FocalPoint);
            }

            review.Members.RemoveAll(m => m.AccountId == account.Id);
            review.Members.Add(new ReviewMember(account.Id, account.DisplayName, account.StateCode, MemberRole.FocalPoint));
            _nominations.Add((reviewId, new FocalPointEntry(account.StateCode!, account.Id, account.DisplayName, nomination, Guid.Empty, _time.GetUtcNow(), null)));
        }
    }

    /// <summary>Adds a member without any certificate (the server's own doing: a ghost member).</summary>
    public void AddMember(Guid reviewId, Account account, MemberRole role)
    {
        lock (_lock)
        {
            _reviews[reviewId].Members.Add(new ReviewMember(account.Id, account.DisplayName, account.StateCode, role));
        }
    }

    /// <summary>Stores a statement without any check (an injected or forged statement).</summary>
    public void InjectStatement(Guid reviewId, byte[] statement)
    {
        lock (_lock)
        {
            _statements.Add((reviewId, statement));
            _archived[statement] = ArchiveStatement(reviewId, Vault.Archive.ArchiveEntryKind.MembershipChange, statement);
        }
    }

    /// <summary>The review's stored statements, decoded, in order.</summary>
    public IReadOnlyList<TrustStatement> Statements(Guid reviewId)
    {
        lock (_lock)
        {
            return [.. _statements.Where(s => s.Review == reviewId).Select(s => TrustStatement.Decode(s.Statement).Value!)];
        }
    }

    // A statement as served: with the time it was stored and its archive index when archived, else now and none.
    private T Served<T>(byte[] statement, Func<DateTimeOffset, T> entry, Func<T, long, T> withIndex) =>
        _archived.TryGetValue(statement, out var archived)
            ? archived.Index is { } index ? withIndex(entry(archived.StoredAt), index) : entry(archived.StoredAt)
            : entry(_time.GetUtcNow());

    private void MapTrust(WebApplication app)
    {
        app.MapGet(TrustRoutes.Members, (HttpContext http, Guid reviewId) => WithReview(http, reviewId, null, (account, review) =>
        {
            lock (_lock)
            {
                var members = review.Members.Select(m => new MemberDevices(m.AccountId, m.DisplayName, m.StateCode, m.Role,
                    [.. _devices.Where(d => d.AccountId == m.AccountId).Select(d => Entry(d))])).ToList();
                var statements = _statements.Where(s => s.Review == reviewId).Select((s, i) => Served(s.Statement, at => new TrustStatementEntry(i + 1, s.Statement, at), (e, index) => e with { ArchiveIndex = index }))
                    .Where(e => !WithheldStatements.Contains((int)e.Position)).ToList();
                return Results.Ok(new ReviewMembersResponse(members, [.. _nominations.Where(n => n.Review == reviewId).Select(n => n.Entry)], statements));
            }
        }));

        app.MapGet(MechanismRoutes.Policy, (HttpContext http, Guid reviewId) => WithReview(http, reviewId, null, (_, _) =>
        {
            lock (_lock)
            {
                // The double reports what the statements claim; clients verify them.
                var entries = _policies.Where(p => p.Review == reviewId)
                    .Select((p, i) => Served(p.Statement, at => new PolicyStatementEntry((uint)(i + 1), p.Statement, string.Empty, Guid.Empty, at), (e, index) => e with { ArchiveIndex = index })).ToList();
                return Results.Ok(new PolicyInfo((uint)entries.Count, "per-state", [], entries));
            }
        }));

        app.MapGet(TrustRoutes.Device, (HttpContext http, string deviceId) => WithAccount(http, _ =>
        {
            lock (_lock)
            {
                var device = _devices.FirstOrDefault(d => d.DeviceId == deviceId);
                return device is null ? Problem(ProblemTypes.NotFound, 404) : Results.Ok(Entry(device));
            }
        }));

        app.MapPost(TrustRoutes.Statements, (HttpContext http, Guid reviewId, SubmitTrustStatement body) => WithReview(http, reviewId, null, (account, review) =>
        {
            if (body.Statement is null || TrustStatement.Decode(body.Statement) is not { IsSuccess: true } decoded || decoded.Value.Review != reviewId)
            {
                return Problem(ProblemTypes.BadRequest, 400);
            }

            lock (_lock)
            {
                var statement = decoded.Value;
                if (!review.Members.Any(m => m.AccountId == account.Id && m.Role == MemberRole.FocalPoint && m.StateCode == statement.StateCode))
                {
                    return Problem(ProblemTypes.Forbidden, 403);
                }

                var device = _devices.FirstOrDefault(d => d.DeviceId == statement.Certifier.ToString() && d.AccountId == account.Id);
                if (device is null || !statement.VerifySignature(DevicePublicKeys.Decode(device.Card).Value!))
                {
                    return Problem(ProblemTypes.Forbidden, 403);
                }

                var previous = _statements.Where(s => s.Review == reviewId).Select(s => TrustStatement.Decode(s.Statement).Value!)
                    .Where(s => s.Certifier == statement.Certifier).Select(s => s.Sequence).DefaultIfEmpty(0UL).Max();
                if (statement.Sequence != previous + 1)
                {
                    return Problem(ProblemTypes.StatementConflict, 409);
                }

                _statements.Add((reviewId, body.Statement));
                _archived[body.Statement] = ArchiveStatement(reviewId, Vault.Archive.ArchiveEntryKind.MembershipChange, body.Statement);
                if (statement.Kind == TrustStatementKind.Certificate && !statement.IsRoot && !review.Members.Any(m => m.AccountId == statement.SubjectAccount))
                {
                    var subject = _accountsByToken.Values.First(a => a.Id == statement.SubjectAccount);
                    review.Members.Add(new ReviewMember(subject.Id, subject.DisplayName, statement.StateCode,
                        statement.Role == CertifiedRole.Observer ? MemberRole.Observer : MemberRole.Expert));
                }
                else if (statement is { Kind: TrustStatementKind.Revocation, Reason: RevocationReason.Removed })
                {
                    review.Members.RemoveAll(m => m.AccountId == statement.SubjectAccount && m.Role != MemberRole.FocalPoint);
                }

                return Results.Created(TrustRoutes.MembersOf(reviewId), new TrustStatementEntry(_statements.Count, body.Statement, _time.GetUtcNow()));
            }
        }));
    }
}
