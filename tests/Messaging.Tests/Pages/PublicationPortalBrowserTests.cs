using System.Net;
using System.Net.Http.Json;
using Microsoft.Playwright;
using SecureDialogue.Contracts;
using SecureDialogue.Messaging.Tests.Infrastructure;
using SecureDialogue.Messaging.Tests.Publication;
using SecureDialogue.Vault.Publication;

namespace SecureDialogue.Messaging.Tests.Pages;

/// <summary>
/// The publication portal in a real browser (Debian Chromium through Playwright) against the real server, without
/// signing in: the index, an item page with a withheld segment, the Arabic page (right to left), and a States-parties
/// publication that sends an anonymous visitor to sign in.
/// </summary>
public sealed class PublicationPortalBrowserTests : IAsyncLifetime
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
    public async Task Portal_WithoutSignIn_IndexItemWithWithheldPartAndArabicRightToLeft()
    {
        // Arrange: AUT's focal point publishes the answer's first segment to the public, and the same answer to the States parties.
        using var review = await PublicationReview.CreateAsync(_host);
        var entry = await PublishAsync(review, PublicationAudience.Public);
        var forStates = await PublishAsync(review, PublicationAudience.StatesParties);
        var page = await _browser.NewPageAsync();

        // Act: the index, as anyone.
        await page.GotoAsync(new Uri(_host.BaseAddress, "/publications?lang=en").ToString());

        // Assert: grouped by the State under review, the review listed with its instruments, a link to the item; the
        // States-parties publication is not listed for an anonymous visitor.
        Assert.Contains("State under review: AUT", await page.InnerTextAsync("main"), StringComparison.Ordinal);
        Assert.Equal(1, await page.Locator($"a[href='{entry.PageUrl}']").CountAsync());
        Assert.Equal(0, await page.Locator($"a[href='{forStates.PageUrl}']").CountAsync());

        // Act: the item page.
        await page.ClickAsync($"a[href='{entry.PageUrl}']");
        await page.WaitForLoadStateAsync(LoadState.Load);

        // Assert: the disclosed text, a marker where the segment was withheld, the verification details, no secret.
        Assert.Equal(PublicationReview.PublicPart, (await page.InnerTextAsync("#text .segment[data-segment='0']")).Trim());
        Assert.Equal("Withheld by the reviewed State", (await page.InnerTextAsync("#text .withheld[data-segment='1']")).Trim());
        Assert.Equal("en", await page.GetAttributeAsync("#text", "lang"));
        Assert.Equal(entry.ItemEntryIndex.ToString(System.Globalization.CultureInfo.InvariantCulture), (await page.InnerTextAsync("#entry-index")).Trim());
        Assert.StartsWith("securedialogue-archive+", (await page.InnerTextAsync("#log-key")).Trim(), StringComparison.Ordinal);
        Assert.Contains(review.FocalPoint.Device.Id.ToString(), await page.InnerTextAsync("#cosigners"), StringComparison.Ordinal);
        Assert.DoesNotContain(review.Secret, await page.ContentAsync(), StringComparison.Ordinal);
        var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("#record"));
        Assert.EndsWith(".sdpub", download.SuggestedFilename, StringComparison.Ordinal);

        // Act: the same page in Arabic.
        await page.GotoAsync(new Uri(_host.BaseAddress, entry.PageUrl + "?lang=ar").ToString());

        // Assert: right to left, the marker in Arabic, the published text in its own language.
        Assert.Equal("rtl", await page.GetAttributeAsync("html", "dir"));
        Assert.Equal("ar", await page.GetAttributeAsync("html", "lang"));
        Assert.Equal("حجبته الدولة المستعرَضة", (await page.InnerTextAsync("#text .withheld")).Trim());
        Assert.Equal(PublicationReview.PublicPart, (await page.InnerTextAsync("#text .segment")).Trim());

        // Act: the States-parties publication, as an anonymous visitor.
        var response = await page.GotoAsync(new Uri(_host.BaseAddress, forStates.PageUrl).ToString());

        // Assert: sent to sign in, the text not shown.
        Assert.EndsWith("/secretariat/sign-in", new Uri(page.Url).AbsolutePath, StringComparison.Ordinal);
        Assert.DoesNotContain(PublicationReview.PublicPart, await page.ContentAsync(), StringComparison.Ordinal);
        Assert.NotNull(response);
    }

    private static async Task<PublicationEntry> PublishAsync(PublicationReview review, PublicationAudience audience)
    {
        var record = await review.BuildAsync(review.FocalPoint, audience);
        using var posted = await review.PostAsync(review.FocalPoint, record.Encoded);
        Assert.Equal(HttpStatusCode.Created, posted.StatusCode);
        return (await posted.Content.ReadFromJsonAsync<PublicationEntry>())!;
    }
}
