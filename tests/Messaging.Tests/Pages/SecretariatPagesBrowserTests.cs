using System.Net;
using System.Net.Http.Json;
using Microsoft.Playwright;
using SecureDialogue.Contracts;
using SecureDialogue.Messaging.Tests.Infrastructure;
using SecureDialogue.Messaging.Tests.Mechanism;
using SecureDialogue.Vault.Reviews;

namespace SecureDialogue.Messaging.Tests.Pages;

/// <summary>
/// The secretariat's pages in a real browser (Debian Chromium through Playwright) against the real server: sign-in,
/// dashboard, a review's timeline under each disclosure policy (no content ever, people only under per-person),
/// stage changes, the Arabic page's direction, and the drawing-of-lots upload.
/// </summary>
public sealed class SecretariatPagesBrowserTests : IAsyncLifetime
{
    private MessagingHost _host = null!;
    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;

    public async Task InitializeAsync()
    {
        _host = await MessagingHost.StartAsync(Engine.Sqlite);
        (_playwright, _browser) = await Chromium.LaunchAsync();
    }

    public async Task DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
        await _host.DisposeAsync();
    }

    [Fact]
    public async Task Timeline_UnderEachPolicy_ShowsOnlyWhatThePolicyPermitsAndNeverContent()
    {
        // Arrange: a review with two envelopes (one from AUT, one from FRA) whose plaintext holds a marker.
        using var review = await PolicyReview.CreateAsync(_host);
        var page = await _browser.NewPageAsync();
        await Chromium.DevSignInAsync(page, _host.BaseAddress, review.Secretariat.User);

        // Act: the dashboard, then the review's timeline under the default policy (per State, no content).
        Assert.EndsWith("/secretariat", page.Url, StringComparison.Ordinal);
        await page.ClickAsync($"tr[data-review='{review.ReviewId}'] a");
        var perState = await page.ContentAsync();

        // Assert: States and channels, never people or content.
        Assert.Equal("per-state", await page.GetAttributeAsync("#policy", "data-metadata"));
        var rows = await page.Locator("#timeline tbody tr").AllInnerTextsAsync();
        Assert.Equal(2, rows.Count);
        Assert.Contains(rows, r => r.Contains("AUT", StringComparison.Ordinal) && r.Contains("dialogue", StringComparison.Ordinal));
        Assert.Contains(rows, r => r.Contains("FRA", StringComparison.Ordinal));
        AssertHolds(perState, review, people: false);

        // Act: the focal point of AUT permits per-person metadata.
        using (var set = await review.SetPolicyAsync(1, MetadataLevel.PerPerson))
        {
            Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        }

        await page.ReloadAsync();
        var perPerson = await page.ContentAsync();

        // Assert: now the people, still no content; the statement is a review event of AUT's.
        Assert.Equal("per-person", await page.GetAttributeAsync("#policy", "data-metadata"));
        AssertHolds(perPerson, review, people: true);
        var statementRow = await page.Locator("#events tbody tr[data-kind='policy-set']").InnerTextAsync();
        Assert.Contains("Disclosure policy statement", statementRow, StringComparison.Ordinal);
        Assert.Contains("AUT", statementRow, StringComparison.Ordinal);
        Assert.Contains("version 1: per-person", statementRow, StringComparison.Ordinal);

        // Act: counts only.
        using (var set = await review.SetPolicyAsync(2, MetadataLevel.CountsOnly))
        {
            Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        }

        await page.ReloadAsync();
        var counts = await page.ContentAsync();

        // Assert: no item rows at all, the day's count of two.
        Assert.Equal("counts-only", await page.GetAttributeAsync("#policy", "data-metadata"));
        Assert.Equal(0, await page.Locator("#timeline").CountAsync());
        Assert.Equal(["policy-set", "policy-set"], await page.Locator("#events tbody tr").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.kind)"));
        Assert.DoesNotContain("AUT", await page.Locator("#events").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("2", await page.Locator("#counts tbody tr").First.InnerTextAsync(), StringComparison.Ordinal);
        AssertHolds(counts, review, people: false);
        Assert.DoesNotContain(">FRA<", counts, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReviewPage_AdvanceStage_MovesOneStageAndRecordsWhoAndWhen()
    {
        // Arrange
        using var review = await PolicyReview.CreateAsync(_host);
        var page = await _browser.NewPageAsync();
        await Chromium.DevSignInAsync(page, _host.BaseAddress, review.Secretariat.User);
        await page.GotoAsync(new Uri(_host.BaseAddress, $"/secretariat/reviews/{review.ReviewId}").ToString());
        Assert.Equal("not-started", await page.GetAttributeAsync("#stage", "data-stage"));

        // Act
        await page.ClickAsync("#advance");
        await page.WaitForLoadStateAsync(LoadState.Load);

        // Assert: the page and the API agree; the change names the secretariat member.
        Assert.Equal("preliminary-consultation", await page.GetAttributeAsync("#stage", "data-stage"));
        var stage = await review.ExpertAut.Http.GetFromJsonAsync<StageInfo>(MechanismRoutes.StageOf(review.ReviewId));
        Assert.Equal("preliminary-consultation", stage!.Stage);
        var change = Assert.Single(stage.History);
        Assert.Equal(("not-started", "preliminary-consultation", review.Secretariat.AccountId), (change.From, change.To, change.AccountId));

        // ... and a review event on the page, oldest first, in the page's language.
        await page.ClickAsync("#advance");
        await page.WaitForLoadStateAsync(LoadState.Load);
        var english = await page.Locator("#events tbody tr").AllInnerTextsAsync();
        await page.GotoAsync(new Uri(_host.BaseAddress, $"/secretariat/reviews/{review.ReviewId}?lang=ar").ToString());
        var arabic = await page.Locator("#events tbody tr").AllInnerTextsAsync();
        Assert.Equal(2, english.Count);
        Assert.Contains("Stage changed", english[0], StringComparison.Ordinal);
        Assert.Contains("Not started → Preliminary consultation", english[0], StringComparison.Ordinal);
        Assert.Contains("Preliminary consultation → Self-assessment questionnaire", english[1], StringComparison.Ordinal);
        Assert.Contains("تغيير المرحلة", arabic[0], StringComparison.Ordinal);
        Assert.Contains("المشاورة الأولية", arabic[0], StringComparison.Ordinal);
        Assert.Contains("أحداث الاستعراض", await page.ContentAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ArabicPage_IsRightToLeft_AndTheChoiceIsRemembered()
    {
        // Arrange
        using var review = await PolicyReview.CreateAsync(_host);
        var page = await _browser.NewPageAsync();
        await Chromium.DevSignInAsync(page, _host.BaseAddress, review.Secretariat.User);

        // Act
        await page.GotoAsync(new Uri(_host.BaseAddress, "/secretariat?lang=ar").ToString());
        var arabic = (await page.GetAttributeAsync("html", "lang"), await page.GetAttributeAsync("html", "dir"), await page.TitleAsync());
        await page.GotoAsync(new Uri(_host.BaseAddress, "/secretariat/status").ToString());
        var remembered = (await page.GetAttributeAsync("html", "lang"), await page.GetAttributeAsync("html", "dir"));
        await page.GotoAsync(new Uri(_host.BaseAddress, "/secretariat?lang=zh").ToString());
        var chinese = await page.GetAttributeAsync("html", "dir");

        // Assert
        Assert.Equal("ar", arabic.Item1);
        Assert.Equal("rtl", arabic.Item2);
        Assert.Contains("الاستعراضات", arabic.Item3, StringComparison.Ordinal);
        Assert.Equal(("ar", "rtl"), remembered);
        Assert.Equal("ltr", chinese);
    }

    [Fact]
    public async Task DashboardWithoutSession_RedirectsToSignIn_AndNonSecretariatIsRefused()
    {
        // Arrange
        var page = await _browser.NewPageAsync();

        // Act
        await page.GotoAsync(new Uri(_host.BaseAddress, "/secretariat").ToString());
        var redirected = page.Url;
        await Chromium.DevSignInAsync(page, _host.BaseAddress, "someone-" + Guid.NewGuid().ToString("N")[..6], secretariat: false);
        var response = await page.GotoAsync(new Uri(_host.BaseAddress, "/secretariat/status").ToString());

        // Assert
        Assert.EndsWith("/secretariat/sign-in", redirected, StringComparison.Ordinal);
        Assert.Equal(403, response!.Status);
        Assert.Equal(0, await page.Locator("#status").CountAsync());
    }

    [Fact]
    public async Task Page_SecurityHeaders_StrictCspNoScript()
    {
        // Act
        using var response = await _host.Anonymous.GetAsync("/secretariat/sign-in");
        var html = await response.Content.ReadAsStringAsync();

        // Assert
        var csp = string.Join(';', response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("default-src 'none'", csp, StringComparison.Ordinal);
        Assert.Contains("form-action 'self'", csp, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("__sdlg_af", html, StringComparison.Ordinal);
    }

    /// <summary>Never the marker or envelope bytes; the people's user names only when <paramref name="people"/>.</summary>
    private static void AssertHolds(string html, PolicyReview review, bool people)
    {
        Assert.DoesNotContain(review.Marker, html, StringComparison.Ordinal);
        Assert.DoesNotContain("Question on article", html, StringComparison.Ordinal);
        foreach (var person in new[] { review.ExpertAut.User, review.ExpertFra.User })
        {
            Assert.Equal(people, html.Contains(person, StringComparison.Ordinal));
        }

        Assert.DoesNotContain(review.FocalPoint.User, html, StringComparison.Ordinal);
    }
}
