using SecureDialogue.Client.Archive;
using SecureDialogue.Client.Channels;
using SecureDialogue.Contracts;

namespace SecureDialogue.Client.Trust;

/// <summary>
/// Checks the trust and disclosure policy statements a client received by inclusion in the review's archive log
/// (docs/protocol.md 16.7), as epoch records are checked: a statement whose inclusion fails halts the review's log view
/// (the evidence is kept) and is dropped before anything is evaluated; one that cannot be checked now is kept, to be
/// applied on its own signatures, with an "archive unverified" alert.
/// </summary>
internal static class StatementInclusion
{
    /// <summary>The listing and policy with every statement that failed inclusion removed, and the alerts to raise.</summary>
    public static async Task<(ReviewMembersResponse Members, PolicyInfo? Policy, List<ChannelAlert> Alerts)> CheckAsync(
        ClientCore core, Guid review, ReviewMembersResponse members, PolicyInfo? policy, CancellationToken cancellationToken)
    {
        var alerts = new List<ChannelAlert>();
        if (!core.Options.VerifyArchive)
        {
            return (members, policy, alerts);
        }

        var archive = core.Archive(review);
        var trust = await archive.VerifyTrustStatementsAsync(members.Statements, cancellationToken).ConfigureAwait(false);
        var policies = policy is null ? null : await archive.VerifyPolicyStatementsAsync(policy.Statements, cancellationToken).ConfigureAwait(false);
        var state = archive.GetState();
        foreach (var (check, what) in new[] { (trust, "trust statements"), (policies, "disclosure policy statements") })
        {
            if (check?.Problem is not { } problem)
            {
                continue;
            }

            alerts.Add(state.IsHalted || check.Statuses.ContainsValue(ArchiveStatus.Failed)
                ? new ChannelAlert(ChannelAlertKind.ArchiveMismatch,
                    $"{what} do not verify against the review's archive log ({problem}); they are not applied; evidence kept in {state.EvidencePath}") { Archive = problem }
                : new ChannelAlert(ChannelAlertKind.ArchiveUnverified, $"{what} could not be verified against the archive log ({problem}); applied on their signatures alone") { Archive = problem });
        }

        // Only statements stored before the archive existed lack an index, and they precede every archived one: one
        // served without its index after an archived one is flagged (it still counts on its signatures).
        if (UnindexedAfterIndexed(members.Statements.Select(s => s.ArchiveIndex)) || UnindexedAfterIndexed(policy?.Statements.Select(s => s.ArchiveIndex) ?? []))
        {
            alerts.Add(new ChannelAlert(ChannelAlertKind.ArchiveUnverified, "statements came without their archive index: they could not be checked against the archive log"));
        }

        // A halted view fails every later check, so nothing served from now on is applied until the user acts.
        bool Refused(long key, ArchiveCheck? check) => state.IsHalted || check?.Statuses.GetValueOrDefault(key) == ArchiveStatus.Failed;
        var kept = members with { Statements = [.. members.Statements.Where(s => !Refused(s.Position, trust))] };
        var keptPolicy = policy is null ? null : policy with { Statements = [.. policy.Statements.Where(s => !Refused(s.Version, policies))] };
        return (kept, keptPolicy, alerts);
    }

    private static bool UnindexedAfterIndexed(IEnumerable<long?> indexes) => indexes.SkipWhile(i => i is null).Any(i => i is null);
}
