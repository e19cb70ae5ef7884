using SecureDialogue.Client.Channels;
using SecureDialogue.Contracts;
using SecureDialogue.Vault.Certification;
using SecureDialogue.Vault.Reviews;

namespace SecureDialogue.Client.Trust;

/// <summary>
/// Which channels the secretariat may read, as this client verifies it (docs/protocol.md 19.1): only the latest disclosure
/// policy statement counts (a later statement withdraws what an earlier one granted, so an older one is never enough),
/// and it counts only when it is for this review, its version is the number of statements served, and it is signed by a
/// device this client holds certified (pinned root or focal-point certificate) as the focal point of the State under
/// review. Anything else gives the secretariat nothing and is reported.
/// </summary>
internal static class PolicyVerification
{
    public static IReadOnlySet<string> SecretariatChannels(ReviewDetail review, PolicyInfo? policy, CertificationView view, List<ChannelAlert> notices)
    {
        if (policy is null || policy.Statements.Count == 0)
        {
            return new HashSet<string>(StringComparer.Ordinal);
        }

        var latest = policy.Statements.MaxBy(s => s.Version)!;
        var problem = Check(review, policy, latest, view, out var statement);
        if (problem is not null)
        {
            notices.Add(new ChannelAlert(ChannelAlertKind.PolicyUnverified, $"the disclosure policy version {latest.Version} is not trusted ({problem}): the secretariat gets no content keys"));
            return new HashSet<string>(StringComparer.Ordinal);
        }

        return statement!.Policy.ContentChannels.ToHashSet(StringComparer.Ordinal);
    }

    private static string? Check(ReviewDetail review, PolicyInfo policy, PolicyStatementEntry latest, CertificationView view, out DisclosurePolicyStatement? statement)
    {
        statement = null;
        if (!DisclosurePolicyCodec.Decode(latest.Statement ?? []).TryGetValue(out var decoded, out var error))
        {
            return $"it does not decode: {error}";
        }

        if (decoded.Policy.ReviewId != review.ReviewId)
        {
            return "it is for another review";
        }

        if (decoded.Policy.Version != latest.Version || decoded.Policy.Version != (uint)policy.Statements.Count)
        {
            return "its version does not follow the statements served";
        }

        if (!view.Certified.TryGetValue(decoded.Signer, out var signer) || signer.Role != CertifiedRole.FocalPoint ||
            !string.Equals(signer.StateCode, review.ReviewedState, StringComparison.Ordinal))
        {
            return $"its signer {decoded.Signer} is not a device of {review.ReviewedState}'s focal point this client trusts";
        }

        if (!DisclosurePolicyCodec.Verify(latest.Statement, signer.Card).TryGetValue(out statement, out _))
        {
            return "its signature does not verify";
        }

        return null;
    }
}
