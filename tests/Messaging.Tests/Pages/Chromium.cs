using Microsoft.Playwright;

namespace SecureDialogue.Messaging.Tests.Pages;

/// <summary>
/// Debian's Chromium (<c>/usr/bin/chromium</c>, installed by test.sh) driven by Playwright for .NET. No browser is ever
/// downloaded: the executable path is given, and the flags are those of the shared environment notes.
/// </summary>
public static class Chromium
{
    public const string ExecutablePath = "/usr/bin/chromium";

    public static async Task<(IPlaywright Playwright, IBrowser Browser)> LaunchAsync()
    {
        if (!File.Exists(ExecutablePath))
        {
            throw new InvalidOperationException($"{ExecutablePath} is missing: test.sh installs Debian's chromium package (apt-get install chromium).");
        }

        var playwright = await Playwright.CreateAsync();
        try
        {
            var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = ExecutablePath,
                Headless = true,
                Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
            });
            return (playwright, browser);
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }

    /// <summary>Signs in through the pages' development form (embedded profile) as <paramref name="user"/>.</summary>
    public static async Task DevSignInAsync(IPage page, Uri server, string user, bool secretariat = true)
    {
        await page.GotoAsync(new Uri(server, "/secretariat/sign-in").ToString());
        await page.FillAsync("input[name=user]", user);
        await page.SetCheckedAsync("input[name=secretariat]", secretariat);
        await page.ClickAsync("#dev-sign-in");
        await page.WaitForLoadStateAsync(LoadState.Load);
    }
}
