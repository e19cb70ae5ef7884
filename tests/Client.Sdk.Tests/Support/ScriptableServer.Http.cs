using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using SecureDialogue.Contracts;
using SecureDialogue.Vault.Keys;

namespace SecureDialogue.Client.Tests.Support;

internal sealed partial class ScriptableServer
{
    private void MapHttp(WebApplication app)
    {
        app.MapGet(HttpRoutes.Me, (HttpContext http) => WithAccount(http, account =>
        {
            lock (_lock)
            {
                return Results.Ok(new MeResponse(account.Id, "test", account.Token, account.DisplayName, account.IsSecretariat,
                    [.. _devices.Where(d => d.AccountId == account.Id).Select(d => Entry(d))]));
            }
        }));

        app.MapPost(HttpRoutes.Devices, (HttpContext http, RegisterDevice body) => WithAccount(http, account =>
        {
            if (body.Card is null || DevicePublicKeys.Decode(body.Card) is not { IsSuccess: true } card)
            {
                return Problem(ProblemTypes.BadRequest, 400);
            }

            lock (_lock)
            {
                var existing = _devices.FirstOrDefault(d => d.DeviceId == card.Value.Id.ToString());
                if (existing is not null && existing.AccountId != account.Id)
                {
                    return Problem(ProblemTypes.Forbidden, 403);
                }

                var device = existing ?? new DeviceRecord(card.Value.Id.ToString(), account.Id, body.Card, _time.GetUtcNow());
                if (existing is null)
                {
                    _devices.Add(device);
                }

                return Results.Ok(Entry(device));
            }
        }));

        app.MapGet(HttpRoutes.Reviews, (HttpContext http) => WithAccount(http, account =>
        {
            lock (_lock)
            {
                return Results.Ok(_reviews.Values.Where(r => r.Members.Any(m => m.AccountId == account.Id))
                    .Select(r => new ReviewSummary(r.Id, "Review of " + r.ReviewedState, r.ReviewedState, r.ReviewingStates, r.CreatedAt)).ToList());
            }
        }));

        app.MapGet(HttpRoutes.Review, (HttpContext http, Guid reviewId) => WithReview(http, reviewId, null, (account, review) =>
            Results.Ok(Detail(review))));

        app.MapGet(HttpRoutes.ReviewDevices, (HttpContext http, Guid reviewId) => WithReview(http, reviewId, null, (account, review) =>
        {
            lock (_lock)
            {
                var members = review.Members.Select(m => m.AccountId).ToHashSet();
                return Results.Ok(_devices.Where(d => members.Contains(d.AccountId)).Select(d => Entry(d)).ToList());
            }
        }));

        app.MapGet(HttpRoutes.Epochs, (HttpContext http, Guid reviewId, string channel, uint? after) => WithReview(http, reviewId, channel, (account, review) =>
            Results.Ok(Epochs(account, reviewId, channel, after))));

        app.MapPost(HttpRoutes.Epochs, async (HttpContext http, Guid reviewId, string channel, AddEpochRecord body) =>
        {
            var account = Authenticate(http.Request.Headers.Authorization);
            if (account is null)
            {
                return Results.Unauthorized();
            }

            var problem = AddEpoch(account, reviewId, channel, body.Record ?? [], validate: true);
            if (problem is not null)
            {
                lock (_lock)
                {
                    Script.Refusals.Add(problem);
                }

                return Problem(problem, problem == ProblemTypes.EpochConflict ? 409 : problem == ProblemTypes.NotFound ? 404 : problem == ProblemTypes.Forbidden ? 403 : 400);
            }

            await NotifyEpochAsync(reviewId, channel, (uint)(Records(reviewId, channel).Count - 1));
            return Results.Ok();
        });

        app.MapGet(HttpRoutes.Envelopes, (HttpContext http, Guid reviewId, string channel, long? after, int? limit) => WithReview(http, reviewId, channel, (account, review) =>
            Results.Ok(Page(reviewId, channel, after ?? 0, Math.Clamp(limit ?? 500, 1, 500)))));

        app.MapPost(HttpRoutes.Envelopes, async (HttpContext http, Guid reviewId, string channel, SendEnvelope body) =>
        {
            var account = Authenticate(http.Request.Headers.Authorization);
            if (account is null)
            {
                return Results.Unauthorized();
            }

            if (Script.Unavailable)
            {
                return Results.StatusCode(503);
            }

            if (body.ReviewId != reviewId || body.Channel != channel)
            {
                return Problem(ProblemTypes.WrongContext, 400);
            }

            var (ack, problem) = await AcceptAsync(account, body);
            if (ack is null)
            {
                return Problem(problem!, StatusOf(problem!));
            }

            if (ShouldDropConnection())
            {
                http.Abort();
                return Results.Empty;
            }

            return Results.Ok(ack);
        });
    }

    // Stores (with the design's checks), records the ack or refusal, and rings the channel's doorbell.
    private async Task<(SendAck? Ack, string? Problem)> AcceptAsync(Account account, SendEnvelope body)
    {
        var (ack, problem) = Store(account, body.ReviewId, body.Channel, body.Envelope ?? []);
        lock (_lock)
        {
            if (ack is not null)
            {
                Script.Acks.Add(ack);
            }
            else
            {
                Script.Refusals.Add(problem!);
            }
        }

        if (ack is { Duplicate: false })
        {
            await NotifyStoredAsync(body.ReviewId, body.Channel, ack.Sequence);
        }

        return (ack, problem);
    }

    private bool ShouldDropConnection()
    {
        lock (_lock)
        {
            if (!Script.DropConnectionAfterStore)
            {
                return false;
            }

            Script.DropConnectionAfterStore = false;
            return true;
        }
    }

    private static int StatusOf(string problem) =>
        problem == ProblemTypes.Forbidden ? 403 :
        problem == ProblemTypes.NotFound ? 404 :
        problem is ProblemTypes.StaleEpoch or ProblemTypes.ReplayedCounter or ProblemTypes.EpochConflict ? 409 : 400;

    private IResult WithAccount(HttpContext http, Func<Account, IResult> handler)
    {
        var account = Authenticate(http.Request.Headers.Authorization);
        return account is null ? Results.Unauthorized() : handler(account);
    }

    private IResult WithReview(HttpContext http, Guid reviewId, string? channel, Func<Account, ReviewRecord, IResult> handler) => WithAccount(http, account =>
    {
        ReviewRecord? review;
        lock (_lock)
        {
            review = _reviews.GetValueOrDefault(reviewId);
        }

        if (review is null || (!Script.ServeNonMembers && !review.Members.Any(m => m.AccountId == account.Id)))
        {
            return Problem(ProblemTypes.NotFound, 404);
        }

        if (channel is not null && !MayRead(account, review, channel))
        {
            return Problem(ProblemTypes.Forbidden, 403);
        }

        return handler(account, review);
    });

    private static IResult Problem(string type, int status) =>
        Results.Problem(type: type, statusCode: status, title: type[ProblemTypes.Prefix.Length..]);

    private DeviceEntry Entry(DeviceRecord device)
    {
        var account = _accountsByToken.Values.First(a => a.Id == device.AccountId);
        return new DeviceEntry(device.DeviceId, device.AccountId, account.DisplayName, account.StateCode ?? "", device.Card, device.RegisteredAt);
    }

    private ReviewDetail Detail(ReviewRecord review)
    {
        lock (_lock)
        {
            var channels = new[] { "dialogue", "reviewers" }.Select(name =>
            {
                var store = Channel(review.Id, name);
                return new ChannelInfo(name, [.. review.Members.Where(m => IsReader(review, m, name)).Select(m => m.AccountId)],
                    store.Epochs.Count == 0 ? null : (uint)store.Epochs.Count - 1, store.Items.Count == 0 ? 0 : store.Items[^1].Sequence);
            }).ToList();
            return new ReviewDetail(review.Id, "Review of " + review.ReviewedState, review.ReviewedState, review.ReviewingStates, ["en"],
                [.. review.Members], channels, review.CreatedAt);
        }
    }
}

internal sealed partial class ScriptableServer
{
    internal Account? AuthenticateHub(string? authorization) => Authenticate(authorization);

    internal Task<(SendAck? Ack, string? Problem)> AcceptFromHubAsync(Account account, SendEnvelope request) => AcceptAsync(account, request);

    internal bool ShouldDropConnectionFromHub() => ShouldDropConnection();

    internal List<string> ReadableChannels(Account account, Guid reviewId)
    {
        lock (_lock)
        {
            return _reviews.TryGetValue(reviewId, out var review)
                ? [.. new[] { "dialogue", "reviewers" }.Where(c => MayRead(account, review, c))]
                : [];
        }
    }
}
