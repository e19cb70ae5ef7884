using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using SecureDialogue.Contracts;
using SecureDialogue.Vault.Amendments;
using SecureDialogue.Vault.Archive;

namespace SecureDialogue.Client.Tests.Support;

/// <summary>
/// Corrections and retractions (docs/protocol.md 21): the double stores any statement that decodes and names stored
/// items, archives it like the real server (kind Correction or Retraction, target = the item's archive index), and
/// serves what it stored, or what <see cref="ServerScript.TamperAmendments"/> makes of it. Clients verify everything.
/// </summary>
internal sealed partial class ScriptableServer
{
    private readonly List<(Guid Review, string Channel, AmendmentEntry Entry)> _amendments = [];

    private void MapAmendments(WebApplication app)
    {
        app.MapGet(AmendmentRoutes.Amendments, (HttpContext http, Guid reviewId, string channel) => WithReview(http, reviewId, channel, (_, _) =>
        {
            lock (_lock)
            {
                return Results.Ok(_amendments.Where(a => a.Review == reviewId && a.Channel == channel)
                    .Select(a => Script.TamperAmendments is { } tamper ? tamper(a.Entry) : a.Entry).ToList());
            }
        }));

        app.MapPost(AmendmentRoutes.Amendments, (HttpContext http, Guid reviewId, string channel, SubmitAmendment body) => WithReview(http, reviewId, channel, (_, _) =>
        {
            if (body.Statement is null || !AmendmentCodec.Decode(body.Statement).TryGetValue(out var statement, out _))
            {
                return Problem(ProblemTypes.BadRequest, 400);
            }

            lock (_lock)
            {
                var store = Channel(reviewId, channel);
                var target = store.Items.FirstOrDefault(i => i.Sequence == body.TargetSequence);
                if (target is null || (body.ReplacementSequence is { } r && store.Items.All(i => i.Sequence != r)))
                {
                    return Problem(ProblemTypes.NotFound, 404);
                }

                var retract = statement.Amendment.Action == AmendmentAction.Retract;
                var storedAt = DateTimeOffset.FromUnixTimeMilliseconds(_time.GetUtcNow().ToUnixTimeMilliseconds());
                var targetIndex = target.ArchiveIndex ?? 0;
                long index = 0;
                if (Script.Archive && target.ArchiveIndex is not null)
                {
                    var leaves = Leaves(reviewId);
                    var entry = ArchiveEntry.Create(reviewId, leaves.Count, retract ? ArchiveEntryKind.Retraction : ArchiveEntryKind.Correction, storedAt, body.Statement, targetIndex);
                    leaves.Add(entry.LeafHash());
                    index = entry.Index;
                }

                var served = new AmendmentEntry(body.Statement, retract ? "retract" : "correct", body.TargetSequence, body.ReplacementSequence,
                    statement.Amendment.Author.ToString(), storedAt)
                {
                    ArchiveIndex = index,
                    TargetArchiveIndex = targetIndex,
                };
                _amendments.Add((reviewId, channel, served));
                return Results.Created(AmendmentRoutes.AmendmentsOf(reviewId, channel), served);
            }
        }));
    }
}
