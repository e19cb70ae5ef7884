using System.Net;
using System.Net.Http.Json;
using SecureDialogue.Contracts;
using SecureDialogue.Messaging.Mechanism;
using SecureDialogue.Messaging.Mechanism.Lots;
using SecureDialogue.Messaging.Pages.Text;
using SecureDialogue.Messaging.Tests.Infrastructure;

namespace SecureDialogue.Messaging.Tests.Mechanism;

/// <summary>
/// The status report's counts on the seeded demo set (Server:DemoData, the set ./run.sh shows), through the API, the
/// CSV export and the page; and the pages' texts in all six languages.
/// </summary>
public sealed class DemoStatusReportTests : IAsyncLifetime
{
    private MessagingHost _host = null!;

    public async Task InitializeAsync() =>
        _host = await MessagingHost.StartAsync(Engine.Sqlite, settings: new Dictionary<string, string?> { ["Server:DemoData"] = "true" });

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task StatusReport_SeededReviews_CountsPerGroupStageAndMissingFocalPoints()
    {
        // Arrange: the demo's secretariat member (the seed assigns it to every demo review).
        using var secretariat = await Participant.SignInAsync(_host, "secretariat", secretariat: true, registerDevice: false);

        // Act
        var report = await secretariat.Http.GetFromJsonAsync<StatusReportView>(MechanismRoutes.StatusReport);
        var csv = await secretariat.Http.GetStringAsync(MechanismRoutes.StatusReport + "?format=csv");
        var reviews = await secretariat.Http.GetFromJsonAsync<List<ReviewSummary>>(HttpRoutes.Reviews);

        // Assert: group 1 = NAM (constructive dialogue) and KEN (not started, its own focal point missing);
        // group 2 = BRA (questionnaire) and POL (not started, a reviewing State's focal point missing);
        // group 3 = JPN (preliminary consultation) and FRA (finalised).
        Assert.Equal([1, 2, 3], report!.Groups.Select(g => g.Group));
        Assert.All(report.Groups, g => Assert.Equal(2, g.Reviews));
        Assert.Equal((1, 1, 1, 0), Counts(report.Groups[0], "not-started", "constructive-dialogue"));
        Assert.Equal((1, 1, 0, 1), Counts(report.Groups[1], "not-started", "self-assessment"));
        Assert.Equal((1, 1, 0, 0), Counts(report.Groups[2], "preliminary-consultation", "finalised"));
        Assert.All(report.Groups, g => Assert.Equal(2, g.ByStage.Values.Sum()));
        var lines = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(4, lines.Length);
        Assert.EndsWith(",2,1,0,0,0,1,0,0,0,1,0", lines[1], StringComparison.Ordinal);
        Assert.EndsWith(",2,1,0,1,0,0,0,0,0,0,1", lines[2], StringComparison.Ordinal);

        // The overdue flags: KEN (focal point deadline), BRA (six months), JPN (six weeks); POL is within two weeks.
        Assert.Equal(["BRA", "JPN", "KEN"], reviews!.Where(r => r.Overdue).Select(r => r.ReviewedState).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task StatusPage_SeededReviews_ShowsTheSameCountsAndTheDemoBanner()
    {
        // Arrange
        using var client = new HttpClient(new HttpClientHandler { CookieContainer = new System.Net.CookieContainer(), AllowAutoRedirect = true }) { BaseAddress = _host.BaseAddress };
        var signIn = await client.GetStringAsync("/secretariat/sign-in");
        var field = System.Text.RegularExpressions.Regex.Match(signIn, "name=\"(__sdlg_af)\" value=\"([^\"]+)\"");
        using var signedIn = await client.PostAsync("/secretariat/sign-in/dev", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            [field.Groups[1].Value] = WebUtility.HtmlDecode(field.Groups[2].Value), ["user"] = "secretariat", ["secretariat"] = "true",
        }));

        // Act
        var html = await client.GetStringAsync("/secretariat/status?lang=ru");

        // Assert
        Assert.Contains("<tr data-group=\"2\">", html, StringComparison.Ordinal);
        Assert.Contains("data-count=\"missing-reviewing\">1<", html, StringComparison.Ordinal);
        Assert.Contains("data-count=\"missing-under-review\">1<", html, StringComparison.Ordinal);
        Assert.Contains("Демонстрационные данные", html, StringComparison.Ordinal);
        Assert.Contains("lang=\"ru\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Texts_EveryKeyInSixLanguages_AndEveryStageAndProblemHasOne()
    {
        // Arrange
        var texts = new UiTexts();

        // Act / Assert: each language differs from English somewhere, and every code a page names has a text.
        foreach (var language in UiLanguage.All.Skip(1))
        {
            Assert.Contains(texts.Keys, k => texts.Get(language, k) != texts.Get(UiLanguage.English, k));
        }

        Assert.All(ReviewStages.All, s => Assert.True(texts.Has("stage." + ReviewStages.Code(s)), ReviewStages.Code(s)));
        Assert.All(Enum.GetValues<LotsProblemKind>(), k => Assert.True(texts.Has("lots." + LotsProblemCodes.Code(k)), LotsProblemCodes.Code(k)));
        foreach (var code in new[] { "not-csv", "missing-column", "invalid-code", "duplicate-state", "invalid-name", "invalid-regional-group", "invalid-instruments" })
        {
            Assert.True(texts.Has("states." + code), code);
        }

        Assert.Throws<InvalidOperationException>(() => UiTexts.Parse("key\ten\tfr\tes\tru\tzh\n"));
        Assert.Equal("rtl", UiLanguage.Find("ar-EG")!.Direction);
    }

    private static (int, int, int, int) Counts(StatusReportGroup group, string first, string second) =>
        (group.ByStage[first], group.ByStage[second], group.NotStartedMissingFocalPointUnderReview, group.NotStartedMissingFocalPointReviewing);
}
