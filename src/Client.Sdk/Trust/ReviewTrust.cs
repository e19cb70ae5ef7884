using SecureDialogue.Client.Api;
using SecureDialogue.Client.Channels;
using SecureDialogue.Contracts;
using SecureDialogue.Vault;
using SecureDialogue.Vault.Certification;
using SecureDialogue.Vault.Keys;
using SecureDialogue.Vault.Reviews;

namespace SecureDialogue.Client.Trust;

/// <summary>
/// This client's verified view of who the States vouch for in one review: the server's member listing checked against
/// the trust roots pinned in the profile and the signed statements (<see cref="CertificationView"/>). Built by
/// <see cref="LoadAsync"/>, which also pins first-use roots and publishes this device's own root statement when this
/// account is the State's focal point and has not yet. Immutable once built.
/// </summary>
internal sealed class ReviewTrust
{
    private ReviewTrust(
        ReviewDetail review, ReviewMembersResponse members, List<DirectoryDevice> directory, CertificationView view, IReadOnlyList<PinnedRoot> roots,
        List<ChannelAlert> notices, int refused, IReadOnlySet<string> secretariatChannels)
    {
        SecretariatChannels = secretariatChannels;
        Review = review;
        Members = members;
        Directory = directory;
        View = view;
        Roots = roots;
        Notices = notices;
        RefusedEntries = refused;
    }

    public ReviewDetail Review { get; }

    public ReviewMembersResponse Members { get; }

    /// <summary>Listed devices whose card matches their id (still server-provided).</summary>
    public List<DirectoryDevice> Directory { get; }

    public CertificationView View { get; }

    public IReadOnlyList<PinnedRoot> Roots { get; }

    /// <summary>What the user must be told: pinned or new roots, uncertified devices, statement problems.</summary>
    public List<ChannelAlert> Notices { get; }

    public int RefusedEntries { get; }

    /// <summary>
    /// The channels whose keys the review's secretariat devices receive: those named by the latest disclosure policy
    /// statement, verified here (signed by a device this client holds certified as the focal point of the State under
    /// review); empty by default and whenever that statement does not verify (docs/protocol.md 19.1, 20.5).
    /// </summary>
    public IReadOnlySet<string> SecretariatChannels { get; }

    /// <summary>Fetches the listing (publishing this device's root statement first when due), pins first-use roots and evaluates.</summary>
    public static async Task<Result<ReviewTrust, ApiError>> LoadAsync(ClientCore core, ReviewDetail review, Guid me, CancellationToken cancellationToken)
    {
        var fetched = await core.Api.GetReviewMembersAsync(review.ReviewId, cancellationToken).ConfigureAwait(false);
        if (!fetched.TryGetValue(out var members, out var error))
        {
            return error;
        }

        if (await PublishOwnRootIfDueAsync(core, review, members, me, cancellationToken).ConfigureAwait(false))
        {
            fetched = await core.Api.GetReviewMembersAsync(review.ReviewId, cancellationToken).ConfigureAwait(false);
            if (!fetched.TryGetValue(out members, out error))
            {
                return error;
            }
        }

        // The policy decides whether secretariat devices get content keys; without one (or when it cannot be fetched)
        // they get none, which only costs the secretariat availability.
        var policy = await core.Api.GetPolicyAsync(review.ReviewId, cancellationToken).ConfigureAwait(false);

        // Statements are checked by inclusion in the archive log before they count (docs/protocol.md 16.7).
        var (included, includedPolicy, alerts) = await StatementInclusion.CheckAsync(
            core, review.ReviewId, members, policy.IsSuccess ? policy.Value : null, cancellationToken).ConfigureAwait(false);
        return Evaluate(core, review, included, me, includedPolicy, alerts);
    }

    /// <summary>Evaluates a listing against the profile's pins (pinning first-use roots) and verifies the disclosure policy.</summary>
    public static ReviewTrust Evaluate(ClientCore core, ReviewDetail review, ReviewMembersResponse members, Guid me, PolicyInfo? policy = null, IEnumerable<ChannelAlert>? alerts = null)
    {
        var entries = members.Members.SelectMany(m => m.Devices.Where(d => d.AccountId == m.AccountId)).ToList();
        var directory = DirectoryDevice.From(entries, out var refused);
        var cards = new Dictionary<DeviceId, (DevicePublicKeys, Guid)>();
        foreach (var device in directory)
        {
            cards.TryAdd(device.Id, (device.Card, device.AccountId));
        }

        var statements = members.Statements.Select(s => (ReadOnlyMemory<byte>)(s.Statement ?? [])).ToList();
        var notices = new List<ChannelAlert>(alerts ?? []);
        var view = CertificationView.Evaluate(review.ReviewId, statements, cards, RootsOf(core, review.ReviewId));
        if (PinFirstUseRoots(core, review, view, cards, notices))
        {
            view = CertificationView.Evaluate(review.ReviewId, statements, cards, RootsOf(core, review.ReviewId));
        }

        var secretariat = PolicyVerification.SecretariatChannels(review, policy, view, notices);
        var trust = new ReviewTrust(review, members, directory, view, core.Trust.Roots(review.ReviewId), notices, refused, secretariat);
        trust.Report(core);
        return trust;
    }

    /// <summary>
    /// The certificate that lets <paramref name="device"/> hold keys as a device of <paramref name="member"/>, if any: of the
    /// member's State for a State member, and for secretariat staff a secretariat certificate by the State under review.
    /// </summary>
    public CertifiedDevice? CertifiedFor(ReviewMember member, DeviceId device)
    {
        if (!View.Certified.TryGetValue(device, out var certified) || certified.Account != member.AccountId)
        {
            return null;
        }

        return member.Role == MemberRole.Secretariat
            ? certified.Role == CertifiedRole.Secretariat && string.Equals(certified.StateCode, Review.ReviewedState, StringComparison.Ordinal) ? certified : null
            : certified.Role != CertifiedRole.Secretariat && string.Equals(certified.StateCode, member.StateCode, StringComparison.Ordinal) ? certified : null;
    }

    /// <summary>How this client regards a device listed for an account.</summary>
    public DeviceTrust Classify(Guid account, DeviceId device, DeviceId own)
    {
        if (device == own)
        {
            return DeviceTrust.Own;
        }

        if (View.Revoked.ContainsKey(device))
        {
            return DeviceTrust.Revoked;
        }

        return View.Certified.TryGetValue(device, out var certified) && certified.Account == account
            ? certified.IsRoot ? DeviceTrust.FocalPoint : DeviceTrust.Certified
            : DeviceTrust.Unverified;
    }

    /// <summary>The next sequence number for a statement signed by <paramref name="certifier"/> in this review.</summary>
    public ulong NextSequence(DeviceId certifier) =>
        Members.Statements.Select(s => TrustStatement.Decode(s.Statement ?? []))
            .Where(r => r.IsSuccess && r.Value!.Certifier == certifier)
            .Select(r => r.Value!.Sequence).DefaultIfEmpty(0UL).Max() + 1;

    private static List<TrustRoot> RootsOf(ClientCore core, Guid review) =>
        [.. core.Trust.Roots(review).Select(r => new TrustRoot(r.StateCode, DevicePublicKeys.Decode(r.Card).Value!, r.AccountId))];

    // First use: a State with no pinned root gets the latest valid root statement of the person the server lists as
    // its focal point (this device's own, if it is one), with the fingerprint shown to compare with the nomination.
    private static bool PinFirstUseRoots(
        ClientCore core, ReviewDetail review, CertificationView view, Dictionary<DeviceId, (DevicePublicKeys Card, Guid Account)> cards, List<ChannelAlert> notices)
    {
        var pinned = core.Trust.Roots(review.ReviewId);
        var changed = false;
        foreach (var state in view.RootCandidates.Select(c => c.StateCode).Distinct(StringComparer.Ordinal))
        {
            if (pinned.Any(p => p.StateCode == state))
            {
                continue;
            }

            var candidate = view.RootCandidates
                .Where(c => c.StateCode == state && review.Members.Any(m => m.AccountId == c.SubjectAccount && m.Role == MemberRole.FocalPoint && m.StateCode == state))
                .OrderByDescending(c => c.Certifier == core.Device.Id).ThenByDescending(c => c.IssuedAt).ThenByDescending(c => c.Sequence)
                .FirstOrDefault();
            if (candidate is null)
            {
                continue;
            }

            // Root candidates were verified against the listed card, so it is there.
            var own = candidate.Certifier == core.Device.Id;
            var listed = cards[candidate.Certifier].Card;

            core.Trust.PinRoot(review.ReviewId, state, listed, candidate.SubjectAccount, own ? RootPin.Own : RootPin.FirstUse, core.Time.GetUtcNow());
            changed = true;
            if (!own)
            {
                var name = review.Members.FirstOrDefault(m => m.AccountId == candidate.SubjectAccount)?.DisplayName ?? candidate.SubjectAccount.ToString();
                notices.Add(new ChannelAlert(ChannelAlertKind.FocalPointPinned,
                    $"{name}'s device {candidate.Certifier} is now {state}'s trust root in this review (first use); compare its fingerprint {Fingerprint.Of(listed)} with the nomination (note verbale {candidate.Reference})"));
            }
        }

        return changed;
    }

    private void Report(ClientCore core)
    {
        foreach (var problem in View.Problems)
        {
            if (problem.Kind == CertificationProblemKind.NewRoot && problem.Statement is { } root &&
                Directory.FirstOrDefault(d => d.Id == root.Certifier) is { } device)
            {
                var member = Review.Members.FirstOrDefault(m => m.AccountId == root.SubjectAccount);
                var notice = new UnverifiedDevice(root.SubjectAccount, member?.DisplayName ?? device.DisplayName, root.StateCode, device.Id.ToString(),
                    Fingerprint.Of(device.Card), SafetyNumber.Of(core.Device.PublicKeys, device.Card), device.Card.Encode());
                Notices.Add(new ChannelAlert(ChannelAlertKind.NewFocalPoint,
                    $"a new focal point device for {root.StateCode} ({notice.DisplayName}, {notice.DeviceId}, fingerprint {notice.Fingerprint}, nomination {root.Reference}): not trusted until you compare the fingerprint and accept it") { Device = notice });
            }
            else if (problem.Kind != CertificationProblemKind.NewRoot)
            {
                Notices.Add(new ChannelAlert(ChannelAlertKind.CertificationProblem, problem.Detail));
            }
        }

        var own = core.Device.Id;
        // Secretariat staff's devices matter only where the policy gives the secretariat content keys.
        foreach (var member in Review.Members.Where(m => m.Role != MemberRole.Secretariat || SecretariatChannels.Count > 0))
        {
            var vouching = member.StateCode ?? Review.ReviewedState;
            foreach (var device in Directory.Where(d => d.AccountId == member.AccountId))
            {
                if (device.Id == own)
                {
                    if (CertifiedFor(member, own) is null)
                    {
                        Notices.Add(new ChannelAlert(ChannelAlertKind.OwnDeviceUncertified,
                            $"this device ({own}, fingerprint {Fingerprint.Of(core.Device.PublicKeys)}) is not certified by {vouching}'s focal point: others give it no key until it is"));
                    }

                    continue;
                }

                if (CertifiedFor(member, device.Id) is not null)
                {
                    continue;
                }

                var notice = new UnverifiedDevice(device.AccountId, member.DisplayName, member.StateCode, device.Id.ToString(),
                    Fingerprint.Of(device.Card), SafetyNumber.Of(core.Device.PublicKeys, device.Card), device.Card.Encode());
                var revoked = View.Revoked.ContainsKey(device.Id);
                Notices.Add(new ChannelAlert(ChannelAlertKind.UnverifiedDevice, revoked
                    ? $"{member.DisplayName}'s device {notice.DeviceId} was revoked by {vouching}'s focal point; it gets no key"
                    : $"{member.DisplayName} has a device no focal point of {vouching} certified ({notice.DeviceId}); it gets no key until it is certified") { Device = notice });
            }
        }
    }

    // A focal point's client publishes its device's root statement once, with the nomination reference the secretariat recorded.
    private static async Task<bool> PublishOwnRootIfDueAsync(ClientCore core, ReviewDetail review, ReviewMembersResponse members, Guid me, CancellationToken cancellationToken)
    {
        var mine = review.Members.FirstOrDefault(m => m.AccountId == me);
        if (mine is not { Role: MemberRole.FocalPoint, StateCode: { Length: 3 } state } || !state.All(char.IsAsciiLetterUpper) || !members.Members.Any(m => m.AccountId == me && m.Devices.Any(d => d.DeviceId == core.Device.Id.ToString())))
        {
            return false;
        }

        var nomination = members.FocalPoints.LastOrDefault(f => f.StateCode == state && f.EndedAt is null);
        if (nomination is not null && nomination.AccountId != me)
        {
            return false;
        }

        var statements = members.Statements.Select(s => TrustStatement.Decode(s.Statement ?? [])).Where(r => r.IsSuccess).Select(r => r.Value!).ToList();
        // One root per focal point: another device of this account that is already the root certifies this one instead.
        if (statements.Any(s => s.IsRoot && s.StateCode == state && (s.Certifier == core.Device.Id || s.SubjectAccount == me)))
        {
            return false;
        }

        var sequence = statements.Where(s => s.Certifier == core.Device.Id).Select(s => s.Sequence).DefaultIfEmpty(0UL).Max() + 1;
        var reference = nomination?.Nomination is { } n && n.Length <= TrustStatement.MaxReferenceLength && n.All(c => c is >= ' ' and <= '~') ? n : string.Empty;
        var root = TrustStatementBuilder.Root(core.Device, review.ReviewId, state, me, sequence, core.Time.GetUtcNow(), reference);
        var stored = await core.Api.SubmitTrustStatementAsync(review.ReviewId, root.Encoded, cancellationToken).ConfigureAwait(false);
        return stored.IsSuccess;
    }
}
