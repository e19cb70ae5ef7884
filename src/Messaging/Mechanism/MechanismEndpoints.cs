using Microsoft.AspNetCore.Http.HttpResults;
using SecureDialogue.Contracts;
using SecureDialogue.Messaging.Hosting;
using SecureDialogue.Messaging.Identity;
using SecureDialogue.Messaging.Mechanism.Activity;
using SecureDialogue.Messaging.Mechanism.Demo;
using SecureDialogue.Messaging.Mechanism.Lots;
using SecureDialogue.Messaging.Mechanism.Overview;
using SecureDialogue.Messaging.Mechanism.Policies;
using SecureDialogue.Messaging.Mechanism.Registry;
using SecureDialogue.Messaging.Mechanism.Stages;
using SecureDialogue.Messaging.Pages.Text;
using SecureDialogue.Messaging.Reviews;

namespace SecureDialogue.Messaging.Mechanism;

internal static class MechanismEndpoints
{
    /// <summary>The mechanism's services; stage changes and policy statements go to the review's event log (<see cref="Reviews.Events.IReviewEventLog"/>).</summary>
    public static IServiceCollection AddMechanism(this IServiceCollection services)
    {
        services.AddScoped<StatesRegistry>();
        services.AddScoped<SecretariatAccess>();
        services.AddScoped<ReviewOverviewQuery>();
        services.AddScoped<DisclosurePolicies>();
        services.AddScoped<SetPolicyCommand>();
        services.AddScoped<AdvanceStageCommand>();
        services.AddScoped<StageQuery>();
        services.AddScoped<ActivityQuery>();
        services.AddScoped<ImportLotsCommand>();
        services.AddScoped<DemoSeed>();
        services.AddHostedService<DemoSeedService>();
        services.AddSingleton<UiTexts>();
        return services;
    }

    /// <summary>The mechanism's API (docs/server.md, "Review mechanism").</summary>
    public static IEndpointRouteBuilder MapMechanismEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup(string.Empty).RequireAuthorization();
        group.MapGet(MechanismRoutes.States, ListStatesAsync);
        group.MapPost(MechanismRoutes.States, ImportStatesAsync).WithMetadata(UploadBody.Limit);
        group.MapPost(MechanismRoutes.Lots, ImportLotsAsync).WithMetadata(UploadBody.Limit);
        group.MapGet(MechanismRoutes.Stage, StageAsync);
        group.MapPost(MechanismRoutes.Stage, AdvanceAsync);
        group.MapGet(MechanismRoutes.Policy, PolicyAsync);
        group.MapPost(MechanismRoutes.Policy, SetPolicyAsync);
        group.MapGet(MechanismRoutes.Activity, ActivityAsync);
        group.MapGet(MechanismRoutes.StatusReport, StatusReportAsync);
        return endpoints;
    }

    private static async Task<Ok<IReadOnlyList<StatePartyEntry>>> ListStatesAsync(StatesRegistry registry, CancellationToken cancellationToken) =>
        TypedResults.Ok(await registry.ListAsync(cancellationToken).ConfigureAwait(false));

    private static async Task<Results<Ok<StatesImportResult>, BadRequest<StatesImportResult>, ProblemHttpResult>> ImportStatesAsync(
        HttpContext context, Caller caller, StatesRegistry registry, UiTexts texts, CancellationToken cancellationToken)
    {
        if (SecretariatAccess.Staff(caller) is { } denied)
        {
            return denied.ToResult();
        }

        if (await UploadBody.ReadCsvAsync(context, cancellationToken).ConfigureAwait(false) is not { } file)
        {
            return ApiErrors.BadRequest($"Send the file as text/csv, at most {CsvTable.MaxBytes / 1024} KiB.").ToResult();
        }

        var language = UiLanguage.Resolve(context);
        var (imported, problems) = await registry.ImportAsync(file, cancellationToken).ConfigureAwait(false);
        var result = new StatesImportResult(imported, [.. problems.Select(p => new ImportProblem(p.Line, p.Column, p.Code, texts.RegistryProblem(language, p)))]);
        return problems.Count == 0 ? TypedResults.Ok(result) : TypedResults.BadRequest(result);
    }

    private static async Task<Results<Created<LotsImportResult>, BadRequest<LotsImportResult>, ProblemHttpResult>> ImportLotsAsync(
        HttpContext context, Caller caller, ImportLotsCommand command, UiTexts texts, CancellationToken cancellationToken)
    {
        if (SecretariatAccess.Staff(caller) is { } denied)
        {
            return denied.ToResult();
        }

        if (await UploadBody.ReadCsvAsync(context, cancellationToken).ConfigureAwait(false) is not { } file)
        {
            return ApiErrors.BadRequest($"Send the file as text/csv, at most {CsvTable.MaxBytes / 1024} KiB.").ToResult();
        }

        var language = UiLanguage.Resolve(context);
        var (created, problems) = await command.ExecuteAsync(caller, file, cancellationToken).ConfigureAwait(false);
        var result = new LotsImportResult(created, [.. problems.Select(p => new ImportProblem(p.Line, p.Column, LotsProblemCodes.Code(p.Kind), texts.LotsProblem(language, p)))]);
        return problems.Count == 0 ? TypedResults.Created(HttpRoutes.Reviews, result) : TypedResults.BadRequest(result);
    }

    private static async Task<Results<Ok<StageInfo>, ProblemHttpResult>> StageAsync(
        Guid reviewId, Caller caller, ReviewAccess access, StageQuery stages, CancellationToken cancellationToken)
    {
        var membership = await access.ForReviewAsync(caller, reviewId, cancellationToken).ConfigureAwait(false);
        return membership.TryGet(out _, out var error)
            ? TypedResults.Ok(await stages.InfoAsync(reviewId, cancellationToken).ConfigureAwait(false))
            : error.ToResult();
    }

    private static async Task<Results<Ok<StageInfo>, ProblemHttpResult>> AdvanceAsync(
        Guid reviewId, AdvanceStage? request, Caller caller, AdvanceStageCommand command, StageQuery stages, CancellationToken cancellationToken)
    {
        var outcome = await command.ExecuteAsync(caller, reviewId, request?.To, cancellationToken).ConfigureAwait(false);
        return outcome.Error is { } error
            ? error.ToResult()
            : TypedResults.Ok(await stages.InfoAsync(reviewId, cancellationToken).ConfigureAwait(false));
    }

    private static async Task<Results<Ok<PolicyInfo>, ProblemHttpResult>> PolicyAsync(
        Guid reviewId, Caller caller, ReviewAccess access, DisclosurePolicies policies, CancellationToken cancellationToken)
    {
        var membership = await access.ForReviewAsync(caller, reviewId, cancellationToken).ConfigureAwait(false);
        return membership.TryGet(out _, out var error)
            ? TypedResults.Ok(await policies.InfoAsync(reviewId, cancellationToken).ConfigureAwait(false))
            : error.ToResult();
    }

    private static async Task<Results<Ok<PolicyInfo>, ProblemHttpResult>> SetPolicyAsync(
        Guid reviewId, SetPolicy? request, Caller caller, SetPolicyCommand command, DisclosurePolicies policies, CancellationToken cancellationToken)
    {
        var outcome = await command.ExecuteAsync(caller, reviewId, request, cancellationToken).ConfigureAwait(false);
        return outcome.Error is { } error
            ? error.ToResult()
            : TypedResults.Ok(await policies.InfoAsync(reviewId, cancellationToken).ConfigureAwait(false));
    }

    private static async Task<Results<Ok<ActivityView>, ProblemHttpResult>> ActivityAsync(
        Guid reviewId, Caller caller, SecretariatAccess access, ActivityQuery activity, CancellationToken cancellationToken)
    {
        if (await access.AssignedAsync(caller, reviewId, cancellationToken).ConfigureAwait(false) is { } denied)
        {
            return denied.ToResult();
        }

        return TypedResults.Ok(await activity.ViewAsync(reviewId, cancellationToken).ConfigureAwait(false));
    }

    private static async Task<IResult> StatusReportAsync(string? format, Caller caller, ReviewOverviewQuery overview, CancellationToken cancellationToken)
    {
        if (SecretariatAccess.Staff(caller) is { } denied)
        {
            return denied.ToResult();
        }

        var report = StatusReport.Count(overview.Today, (await overview.ListAsync(null, cancellationToken).ConfigureAwait(false)).Select(o => o.ToStatusInput()));
        return format switch
        {
            null or "json" => TypedResults.Ok(StatusReportViews.From(report)),
            "csv" => TypedResults.Text(report.ToCsv(), "text/csv; charset=utf-8"),
            _ => ApiErrors.BadRequest("format is json (default) or csv.").ToResult(),
        };
    }
}
