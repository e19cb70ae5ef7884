using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using SecureDialogue.Contracts;
using SecureDialogue.Messaging.Hosting;
using SecureDialogue.Messaging.Identity;
using SecureDialogue.Messaging.Persistence;
using SecureDialogue.Messaging.Reviews;
using SecureDialogue.Messaging.Reviews.Events;
using SecureDialogue.Vault.Certification;
using SecureDialogue.Vault.Keys;

namespace SecureDialogue.Messaging.Trust;

/// <summary>
/// Stores a trust statement of a State's registered focal point, after checking what a server can check: structure,
/// review, the caller is the State's current focal point, the certifier is the caller's registered device and (except
/// for the root statement itself) has published a root statement for the State, the signature, the subject, and the
/// certifier's sequence number (the next one; the same statement again is acknowledged without a second effect).
/// Certificates add the person to the review (the State designates its experts and observers); a revocation for
/// <see cref="RevocationReason.Removed"/> takes the person out. Clients verify everything again themselves.
/// </summary>
internal sealed partial class SubmitTrustStatementCommand(
    MessagingDbContext db, ReviewAccess access, IReviewEventLog events, Dialogue.DialogueNotifier notifier, TimeProvider time,
    ILogger<SubmitTrustStatementCommand> logger)
{
    public async Task<Outcome<(TrustStatementEntry Entry, bool Created)>> ExecuteAsync(
        Caller caller, Guid reviewId, SubmitTrustStatement? request, CancellationToken cancellationToken)
    {
        var membership = await access.ForReviewAsync(caller, reviewId, cancellationToken).ConfigureAwait(false);
        if (!membership.TryGet(out var member, out var error))
        {
            return error;
        }

        if (member.Role != MemberRole.FocalPoint)
        {
            return ApiErrors.Forbidden("Only a State's focal point certifies or revokes devices.");
        }

        if (request?.Statement is null || TrustStatement.Decode(request.Statement) is not { IsSuccess: true } decoded)
        {
            return ApiErrors.BadRequest("The statement is malformed or of an unsupported version (docs/protocol.md, \"Device certificates\").");
        }

        var statement = decoded.Value;
        if (statement.Review != reviewId)
        {
            return ApiErrors.WrongContext("The statement is for another review.");
        }

        if (statement.StateCode != member.StateCode)
        {
            return ApiErrors.Forbidden("A focal point speaks for its own State only.");
        }

        if (!await FocalPointRegistration.IsRegisteredAsync(db, reviewId, statement.StateCode, caller.AccountId, cancellationToken).ConfigureAwait(false))
        {
            return ApiErrors.Forbidden("The caller is not the State's registered focal point for this review.");
        }

        var certifierId = statement.Certifier.ToString();
        var certifier = await db.Devices.SingleOrDefaultAsync(d => d.DeviceId == certifierId && d.AccountId == caller.AccountId && d.RevokedAt == null, cancellationToken).ConfigureAwait(false);
        if (certifier is null || DevicePublicKeys.Decode(certifier.Card) is not { IsSuccess: true } certifierCard)
        {
            return ApiErrors.Forbidden("The certifier is not a registered device of the caller.");
        }

        if (!statement.VerifySignature(certifierCard.Value))
        {
            return new ApiError(ProblemTypes.InvalidSignature, StatusCodes.Status400BadRequest, "The statement's signature does not verify with the certifier's registered card.");
        }

        var stored = await db.TrustStatements
            .Where(t => t.ReviewId == reviewId && t.CertifierDevice == certifierId)
            .OrderBy(t => t.Sequence)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        var same = stored.FirstOrDefault(t => t.Sequence == (long)statement.Sequence);
        if (same is not null)
        {
            return CryptographicOperations.FixedTimeEquals(same.StatementHash, statement.Hash.Span)
                ? (ToEntry(same), false)
                : ApiErrors.StatementConflict($"Statement {statement.Sequence} of this device is already stored and differs.");
        }

        var expected = (stored.Count == 0 ? 0 : stored[^1].Sequence) + 1;
        if ((long)statement.Sequence != expected)
        {
            return ApiErrors.StatementConflict($"The certifier's next statement is number {expected}.");
        }

        var check = statement.IsRoot
            ? CheckRoot(statement, caller)
            : await CheckAsync(statement, caller, member.StateRole, reviewId, stored, cancellationToken).ConfigureAwait(false);
        if (check is not null)
        {
            return check;
        }

        for (var attempt = 0; ; attempt++)
        {
            try
            {
                var entry = await StoreAsync(caller, reviewId, statement, cancellationToken).ConfigureAwait(false);
                Log.Stored(logger, reviewId, statement.Kind, statement.StateCode);
                await notifier.TrustChangedAsync(reviewId, TrustNoticeKinds.Statement).ConfigureAwait(false);
                return (entry, true);
            }
            catch (DbUpdateException) when (attempt < 2)
            {
                // A concurrent statement took the position (or the sequence): read again.
                db.ChangeTracker.Clear();
                events.Reset();
                var raced = await db.TrustStatements.SingleOrDefaultAsync(
                    t => t.ReviewId == reviewId && t.CertifierDevice == certifierId && t.Sequence == (long)statement.Sequence, cancellationToken).ConfigureAwait(false);
                if (raced is not null)
                {
                    return CryptographicOperations.FixedTimeEquals(raced.StatementHash, statement.Hash.Span)
                        ? (ToEntry(raced), false)
                        : ApiErrors.StatementConflict($"Statement {statement.Sequence} of this device is already stored and differs.");
                }
            }
        }
    }

    private static ApiError? CheckRoot(TrustStatement statement, Caller caller) =>
        statement.SubjectAccount != caller.AccountId
            ? ApiErrors.BadRequest("A root statement names the focal point's own account.")
            : null;

    private async Task<ApiError?> CheckAsync(
        TrustStatement statement, Caller caller, StateRole? stateRole, Guid reviewId, List<TrustStatementEntity> byCertifier, CancellationToken cancellationToken)
    {
        var certifierId = statement.Certifier.ToString();
        if (!byCertifier.Any(t => t.Kind == (int)TrustStatementKind.Certificate && t.SubjectDevice == certifierId && t.StateCode == statement.StateCode))
        {
            return ApiErrors.Forbidden("The certifier has not published its root statement for the State in this review yet.");
        }

        var subjectId = statement.Subject.ToString();
        if (statement.Kind == TrustStatementKind.Revocation)
        {
            var certified = await db.TrustStatements.AnyAsync(
                t => t.ReviewId == reviewId && t.SubjectDevice == subjectId && t.StateCode == statement.StateCode && t.SubjectAccount == statement.SubjectAccount,
                cancellationToken).ConfigureAwait(false);
            return certified ? null : ApiErrors.NotFound("No certificate of this State in this review names this device and account.");
        }

        var subject = await db.Devices.SingleOrDefaultAsync(d => d.DeviceId == subjectId && d.RevokedAt == null, cancellationToken).ConfigureAwait(false);
        if (subject is null || subject.AccountId != statement.SubjectAccount ||
            DevicePublicKeys.Decode(subject.Card) is not { IsSuccess: true } card || !statement.Binds(card.Value))
        {
            return ApiErrors.NotFound("The certified device is not registered with that card under that account.");
        }

        if (statement.Role == CertifiedRole.FocalPoint && statement.SubjectAccount != caller.AccountId)
        {
            return ApiErrors.BadRequest("The focal-point role is certified only for the focal point's own devices; the secretariat registers focal points.");
        }

        var row = await db.ReviewMembers.SingleOrDefaultAsync(m => m.ReviewId == reviewId && m.AccountId == statement.SubjectAccount, cancellationToken).ConfigureAwait(false);
        if (statement.Role == CertifiedRole.Secretariat)
        {
            // The State under review lets the secretariat read the channels its disclosure policy names: its focal
            // point certifies the devices of the secretariat staff assigned to the review (docs/protocol.md 20.5).
            return stateRole != StateRole.UnderReview
                ? ApiErrors.Forbidden("Only the focal point of the State under review certifies secretariat devices.")
                : row is not { Role: MemberRole.Secretariat }
                    ? ApiErrors.Forbidden("A secretariat certificate names a secretariat member assigned to this review.")
                    : null;
        }

        if (row is not null && (row.Role == MemberRole.Secretariat || row.StateCode != statement.StateCode))
        {
            return ApiErrors.Forbidden("This person takes part in the review for another State or as secretariat staff.");
        }

        return null;
    }

    private async Task<TrustStatementEntry> StoreAsync(Caller caller, Guid reviewId, TrustStatement statement, CancellationToken cancellationToken)
    {
        // Milliseconds, as the archive entry carries the time: the served time then rebuilds the entry exactly.
        var now = DateTimeOffset.FromUnixTimeMilliseconds(time.GetUtcNow().ToUnixTimeMilliseconds());
        var position = (await db.TrustStatements.Where(t => t.ReviewId == reviewId).MaxAsync(t => (long?)t.Position, cancellationToken).ConfigureAwait(false) ?? 0) + 1;
        var entity = new TrustStatementEntity
        {
            ReviewId = reviewId,
            Position = position,
            CertifierDevice = statement.Certifier.ToString(),
            Sequence = (long)statement.Sequence,
            Kind = (int)statement.Kind,
            StateCode = statement.StateCode,
            SubjectDevice = statement.Subject.ToString(),
            SubjectAccount = statement.SubjectAccount,
            Statement = statement.Encoded.ToArray(),
            StatementHash = statement.Hash.ToArray(),
            StoredAt = now,
        };
        db.TrustStatements.Add(entity);
        var kind = statement.IsRoot ? ReviewEventKinds.RootPublished
            : statement.Kind == TrustStatementKind.Certificate ? ReviewEventKinds.DeviceCertified : ReviewEventKinds.DeviceRevoked;
        var detail = statement.Kind == TrustStatementKind.Certificate ? statement.Role.ToString() : statement.Reason.ToString();

        // The signed statement is also a MembershipChange entry of the review's archive log, committed with its row,
        // so a server that withholds or rewrites statements contradicts its own signed log.
        var transaction = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (transaction.ConfigureAwait(false))
        {
            await events.AppendAsync(db, new ReviewEvent(reviewId, kind, caller.AccountId, now)
            {
                StateCode = statement.StateCode,
                SubjectAccount = statement.SubjectAccount,
                SubjectDevice = entity.SubjectDevice,
                Detail = detail,
                ArchiveKind = Vault.Archive.ArchiveEntryKind.MembershipChange,
                ArchivePayload = statement.Encoded,
            }, cancellationToken).ConfigureAwait(false);
            await ApplyMembershipAsync(caller, reviewId, statement, now, cancellationToken).ConfigureAwait(false);
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }

        db.ChangeTracker.Clear();
        return ToEntry(entity);
    }

    // The State designates its people: a certificate adds (or changes the role of) the person, a removal takes them out.
    private async Task ApplyMembershipAsync(Caller caller, Guid reviewId, TrustStatement statement, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (statement.SubjectAccount == caller.AccountId)
        {
            return;
        }

        var row = await db.ReviewMembers.SingleOrDefaultAsync(m => m.ReviewId == reviewId && m.AccountId == statement.SubjectAccount, cancellationToken).ConfigureAwait(false);
        if (statement.Kind == TrustStatementKind.Certificate)
        {
            var role = statement.Role == CertifiedRole.Observer ? MemberRole.Observer : MemberRole.Expert;
            if (row is null)
            {
                db.ReviewMembers.Add(new ReviewMemberEntity { ReviewId = reviewId, AccountId = statement.SubjectAccount, StateCode = statement.StateCode, Role = role });
                await events.AppendAsync(db, new ReviewEvent(reviewId, ReviewEventKinds.MemberAdded, caller.AccountId, now)
                {
                    StateCode = statement.StateCode, SubjectAccount = statement.SubjectAccount, Detail = role.ToString(),
                }, cancellationToken).ConfigureAwait(false);
            }
            else if (row.Role is MemberRole.Expert or MemberRole.Observer)
            {
                row.Role = role;
            }
        }
        else if (statement.Reason == RevocationReason.Removed && row is { Role: MemberRole.Expert or MemberRole.Observer })
        {
            db.ReviewMembers.Remove(row);
            await events.AppendAsync(db, new ReviewEvent(reviewId, ReviewEventKinds.MemberRemoved, caller.AccountId, now)
            {
                StateCode = statement.StateCode, SubjectAccount = statement.SubjectAccount, Detail = "removed by the focal point",
            }, cancellationToken).ConfigureAwait(false);
        }
    }

    internal static TrustStatementEntry ToEntry(TrustStatementEntity t) => new(t.Position, t.Statement, t.StoredAt);

    private static partial class Log
    {
        [LoggerMessage(EventId = 802, Level = LogLevel.Information, Message = "Trust statement ({Kind}) stored in review {ReviewId} for {StateCode}")]
        public static partial void Stored(ILogger logger, Guid reviewId, TrustStatementKind kind, string stateCode);
    }
}
