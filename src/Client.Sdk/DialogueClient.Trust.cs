using SecureDialogue.Client.Api;
using SecureDialogue.Client.Trust;
using SecureDialogue.Contracts;
using SecureDialogue.Vault;
using SecureDialogue.Vault.Certification;
using SecureDialogue.Vault.Keys;

namespace SecureDialogue.Client;

public sealed partial class DialogueClient
{
    /// <summary>
    /// A review's members and devices as this client verifies them (<c>sdlg members</c>): pins first-use roots and, for a
    /// focal point, publishes this device's root statement when it has not yet.
    /// </summary>
    public async Task<Result<ReviewMembersView, ApiError>> GetMembersAsync(Guid reviewId, CancellationToken cancellationToken = default)
    {
        var loaded = await LoadTrustAsync(reviewId, cancellationToken).ConfigureAwait(false);
        if (!loaded.TryGetValue(out var trust, out var error))
        {
            return error;
        }

        var names = trust.Review.Members.ToDictionary(m => m.AccountId, m => m.DisplayName);
        string NameOf(Guid account) => names.TryGetValue(account, out var n) ? n
            : trust.Members.FocalPoints.LastOrDefault(f => f.AccountId == account)?.DisplayName ?? account.ToString();
        var own = _core.Device.Id;
        var members = trust.Review.Members.Select(m => new MemberView(m.AccountId, m.DisplayName, m.StateCode, m.Role,
        [
            .. trust.Directory.Where(d => d.AccountId == m.AccountId).Select(d =>
            {
                var certified = trust.CertifiedFor(m, d.Id);
                var revoked = trust.View.Revoked.TryGetValue(d.Id, out var r) ? r.Reason : (RevocationReason?)null;
                var certifierAccount = certified is null ? (Guid?)null : trust.View.Certified.TryGetValue(certified.Certifier, out var c) ? c.Account : null;
                return new DeviceView(d.Id.ToString(), Fingerprint.Of(d.Card), trust.Classify(m.AccountId, d.Id, own), certified?.Role,
                    certified?.Flags.HasFlag(CertificateFlags.History) ?? false, certifierAccount is { } a ? NameOf(a) : null,
                    certified?.Certifier.ToString(), certified?.Certificate?.Sequence, certified?.Certificate?.Reference, revoked);
            }),
        ])).ToList();
        var roots = trust.View.RootCandidates.Select(root =>
        {
            var card = trust.Directory.First(d => d.Id == root.Certifier).Card;
            var pin = trust.Roots.FirstOrDefault(p => p.StateCode == root.StateCode && p.DeviceId == root.Certifier.ToString());
            return new FocalPointRootView(root.StateCode, root.SubjectAccount, NameOf(root.SubjectAccount), root.Certifier.ToString(), Fingerprint.Of(card), root.Reference, pin?.How);
        }).ToList();
        return new ReviewMembersView(reviewId, members, roots, trust.Members.FocalPoints, trust.Notices);
    }

    /// <summary>
    /// Certifies a device as this State's focal point: signs a certificate with this device (which must be the State's
    /// pinned root in the review) and stores it. The card comes from the server: compare <see cref="Fingerprint"/> with
    /// the person before calling (the CLI shows it and asks).
    /// </summary>
    /// <param name="reviewId">The review.</param>
    /// <param name="card">The device's card, as <see cref="LookUpDeviceAsync"/> returned it and the user compared.</param>
    /// <param name="account">The device's account.</param>
    /// <param name="role">Expert or observer (focal point only for this person's own other devices).</param>
    /// <param name="history">Whether the device may receive the keys of earlier epochs when it is added.</param>
    /// <param name="reference">An optional reference (e.g. the note verbale designating the expert), printable ASCII.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task<Result<TrustStatement, TrustActionError>> CertifyAsync(
        Guid reviewId, DevicePublicKeys card, Guid account, CertifiedRole role, bool history = true, string reference = "", CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(card);
        var prepared = await PrepareAsync(reviewId, cancellationToken).ConfigureAwait(false);
        if (!prepared.TryGetValue(out var context, out var error))
        {
            return error;
        }

        if (!TrustStatementBuilderInputs.IsReference(reference))
        {
            return new TrustActionError(TrustActionErrorKind.Invalid, null, "a reference is printable ASCII, at most 128 characters");
        }

        var statement = TrustStatementBuilder.Certify(_core.Device, reviewId, context.State, card, account, role,
            history ? CertificateFlags.History : CertificateFlags.None, context.Trust.NextSequence(_core.Device.Id), _core.Time.GetUtcNow(), reference);
        return await SubmitAsync(reviewId, statement, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Revokes a device certified for this State in the review (lost device, the person removed), or a previous focal
    /// point's root device (replaced: every certificate it signed ends for clients that trust this device's root).
    /// </summary>
    public async Task<Result<TrustStatement, TrustActionError>> RevokeAsync(
        Guid reviewId, DeviceId device, RevocationReason reason, string reference = "", CancellationToken cancellationToken = default)
    {
        var prepared = await PrepareAsync(reviewId, cancellationToken).ConfigureAwait(false);
        if (!prepared.TryGetValue(out var context, out var error))
        {
            return error;
        }

        // The account comes from this State's own certificate of the device, never from the server's listing.
        var certificate = context.Trust.Members.Statements
            .Select(s => TrustStatement.Decode(s.Statement ?? []))
            .Where(r => r.IsSuccess && r.Value!.Kind == TrustStatementKind.Certificate && r.Value.Subject == device && r.Value.StateCode == context.State)
            .Select(r => r.Value!)
            .LastOrDefault(s => s.IsRoot || context.Trust.Roots.Any(p => p.StateCode == context.State && p.DeviceId == s.Certifier.ToString()));
        if (certificate is null)
        {
            return new TrustActionError(TrustActionErrorKind.NotFound, null, $"no certificate of {context.State} in this review names device {device}");
        }

        if (!TrustStatementBuilderInputs.IsReference(reference))
        {
            return new TrustActionError(TrustActionErrorKind.Invalid, null, "a reference is printable ASCII, at most 128 characters");
        }

        var statement = TrustStatementBuilder.Revoke(_core.Device, reviewId, context.State, device, certificate.SubjectAccount, reason,
            context.Trust.NextSequence(_core.Device.Id), _core.Time.GetUtcNow(), reference);
        return await SubmitAsync(reviewId, statement, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A registered device's card and account from the server (untrusted until the user compared the fingerprint).</summary>
    public async Task<Result<(DevicePublicKeys Card, DeviceEntry Entry), ApiError>> LookUpDeviceAsync(DeviceId device, CancellationToken cancellationToken = default)
    {
        var entry = await Api.GetDeviceAsync(device.ToString(), cancellationToken).ConfigureAwait(false);
        if (!entry.TryGetValue(out var found, out var error))
        {
            return error;
        }

        if (found.Card is null || DevicePublicKeys.Decode(found.Card) is not { IsSuccess: true } card || card.Value.Id != device)
        {
            return new ApiError(0, ProblemTypes.BadRequest, "The server returned a card that does not match the device id.", null);
        }

        return (card.Value, found);
    }

    /// <summary>
    /// Trusts a new focal point device for its State in the review, after the user compared its fingerprint with the
    /// nomination note verbale (or accepted the warning). Certificates it signed count from the next refresh.
    /// </summary>
    /// <returns>False when the server shows no valid root statement by that device.</returns>
    public async Task<Result<bool, ApiError>> AcceptFocalPointAsync(Guid reviewId, DeviceId device, CancellationToken cancellationToken = default)
    {
        var loaded = await LoadTrustAsync(reviewId, cancellationToken).ConfigureAwait(false);
        if (!loaded.TryGetValue(out var trust, out var error))
        {
            return error;
        }

        var root = trust.View.RootCandidates.LastOrDefault(r => r.Certifier == device);
        if (root is null)
        {
            return false;
        }

        var card = trust.Directory.First(d => d.Id == device).Card;
        _core.Trust.PinRoot(reviewId, root.StateCode, card, root.SubjectAccount, RootPin.Accepted, _core.Time.GetUtcNow());
        return true;
    }

    /// <summary>Registers a State's focal point for a review (secretariat staff assigned to it).</summary>
    public Task<Result<FocalPointEntry, ApiError>> SetFocalPointAsync(Guid reviewId, SetFocalPoint request, CancellationToken cancellationToken = default) =>
        Api.SetFocalPointAsync(reviewId, request, cancellationToken);

    private async Task<Result<ReviewTrust, ApiError>> LoadTrustAsync(Guid reviewId, CancellationToken cancellationToken)
    {
        var me = await _core.GetMeAsync(refresh: false, cancellationToken).ConfigureAwait(false);
        if (!me.TryGetValue(out var account, out var meError))
        {
            return meError;
        }

        var review = await Api.GetReviewAsync(reviewId, cancellationToken).ConfigureAwait(false);
        if (!review.TryGetValue(out var detail, out var reviewError))
        {
            return reviewError;
        }

        return await ReviewTrust.LoadAsync(_core, detail, account.AccountId, cancellationToken).ConfigureAwait(false);
    }

    // This account must be the State's focal point and this device its pinned root in the review.
    private async Task<Result<(ReviewTrust Trust, string State), TrustActionError>> PrepareAsync(Guid reviewId, CancellationToken cancellationToken)
    {
        var loaded = await LoadTrustAsync(reviewId, cancellationToken).ConfigureAwait(false);
        if (!loaded.TryGetValue(out var trust, out var error))
        {
            return new TrustActionError(TrustActionErrorKind.Api, error, error.ToString());
        }

        var me = _core.Me!;
        var member = trust.Review.Members.FirstOrDefault(m => m.AccountId == me.AccountId);
        if (member is not { Role: MemberRole.FocalPoint, StateCode: { } state })
        {
            return new TrustActionError(TrustActionErrorKind.NotFocalPoint, null, "only the State's focal point certifies or revokes devices in this review");
        }

        if (!trust.View.Certified.TryGetValue(_core.Device.Id, out var self) || !self.IsRoot)
        {
            return new TrustActionError(TrustActionErrorKind.NotFocalPoint, null, "this device is not the State's trust root in this review (its root statement is not stored yet)");
        }

        return (trust, state);
    }

    private async Task<Result<TrustStatement, TrustActionError>> SubmitAsync(Guid reviewId, TrustStatement statement, CancellationToken cancellationToken)
    {
        var stored = await Api.SubmitTrustStatementAsync(reviewId, statement.Encoded, cancellationToken).ConfigureAwait(false);
        return stored.TryGetValue(out _, out var error) ? statement : new TrustActionError(TrustActionErrorKind.Api, error, error.ToString());
    }
}

/// <summary>Why a certification or revocation was not made.</summary>
public enum TrustActionErrorKind
{
    /// <summary>The server could not be reached or refused (<see cref="TrustActionError.Api"/>).</summary>
    Api = 1,

    /// <summary>This account is not the State's focal point in the review, or this device is not its root.</summary>
    NotFocalPoint = 2,

    /// <summary>No certificate names the device.</summary>
    NotFound = 3,

    /// <summary>An argument is outside its range.</summary>
    Invalid = 4,
}

/// <summary>Why a certification or revocation was not made.</summary>
/// <param name="Kind">The reason.</param>
/// <param name="Api">The server's answer, for <see cref="TrustActionErrorKind.Api"/>.</param>
/// <param name="Message">One line for the user.</param>
public readonly record struct TrustActionError(TrustActionErrorKind Kind, ApiError? Api, string Message);

internal static class TrustStatementBuilderInputs
{
    public static bool IsReference(string? reference) =>
        reference is not null && reference.Length <= TrustStatement.MaxReferenceLength && reference.All(c => c is >= ' ' and <= '~');
}
