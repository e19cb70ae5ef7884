using System.Net;
using System.Text.RegularExpressions;

namespace SecureDialogue.Client.Tests.Identity.Support;

/// <summary>
/// The person at the browser, played over HTTP: follows the provider's redirects with a cookie jar, fills in
/// its forms (device code entry and confirmation, then the login and consent interactions of
/// scripts/oidc/interactions.mjs) and, for the browser flow, follows the final redirect to the loopback
/// listener. Nothing is shortcut: the provider sees the same requests a browser would send.
/// </summary>
public sealed partial class ProviderUser : IDisposable
{
    private const int MaxSteps = 20;

    private readonly Uri _issuer;
    private readonly HttpClient _http;

    public ProviderUser(Uri issuer)
    {
        _issuer = issuer;
        _http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer(), UseCookies = true })
        {
            Timeout = TimeSpan.FromSeconds(30),
        };
    }

    /// <summary>What the person does at an interaction: sign in, then allow; or cancel at the first page.</summary>
    public enum Choice
    {
        Allow,
        Cancel,
    }

    /// <summary>Opens the authorization URI, signs in, consents, and lets the browser reach the redirect URI.</summary>
    /// <returns>The response of the loopback listener.</returns>
    public Task<HttpResponseMessage> SignInThroughBrowserAsync(Uri authorizationUri, string login, string password, Choice choice = Choice.Allow) =>
        FollowAsync(authorizationUri, login, password, choice);

    /// <summary>Opens the complete verification URI, confirms the user code, signs in and consents.</summary>
    /// <returns>The provider's final page ("Sign-in Success" when it worked).</returns>
    public async Task<HttpResponseMessage> SignInWithUserCodeAsync(Uri verificationUriComplete, string login, string password, Choice choice = Choice.Allow)
    {
        // GET ?user_code=... answers with a self-submitting form carrying the xsrf token and the code.
        var entry = await ReadFormAsync(await _http.GetAsync(verificationUriComplete));
        // Submitting it shows the confirmation form ("is this the code on your device?").
        var confirmation = await ReadFormAsync(await _http.PostAsync(entry.Action, new FormUrlEncodedContent(entry.Fields)));
        Assert.Equal("yes", confirmation.Fields["confirm"]);
        var confirmed = await _http.PostAsync(confirmation.Action, new FormUrlEncodedContent(confirmation.Fields));
        Assert.Equal(HttpStatusCode.SeeOther, confirmed.StatusCode);
        return await FollowAsync(Resolve(verificationUriComplete, confirmed.Headers.Location!), login, password, choice);
    }

    /// <summary>Posts a login to an interaction and returns the provider's answer (for wrong-password checks).</summary>
    public async Task<HttpResponseMessage> PostLoginAsync(Uri interaction, string login, string password) =>
        await _http.PostAsync(new Uri(interaction + "/login"), new FormUrlEncodedContent(new Dictionary<string, string> { ["login"] = login, ["password"] = password }));

    /// <summary>Follows redirects from <paramref name="start"/> until an interaction page, then stops and returns its URI.</summary>
    public async Task<Uri> OpenUntilInteractionAsync(Uri start)
    {
        var current = start;
        for (var step = 0; step < MaxSteps; step++)
        {
            if (current.AbsolutePath.StartsWith("/interaction/", StringComparison.Ordinal))
            {
                return current;
            }

            var response = await _http.GetAsync(current);
            Assert.True(IsRedirect(response.StatusCode), $"expected a redirect from {current.AbsolutePath}, got {(int)response.StatusCode}");
            current = Resolve(current, response.Headers.Location!);
        }

        throw new InvalidOperationException("too many redirects");
    }

    public void Dispose() => _http.Dispose();

    private async Task<HttpResponseMessage> FollowAsync(Uri start, string login, string password, Choice choice)
    {
        var current = start;
        for (var step = 0; step < MaxSteps; step++)
        {
            if (current.Authority != _issuer.Authority)
            {
                // The loopback redirect URI: the browser simply loads it.
                using var browser = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
                return await browser.GetAsync(current);
            }

            var response = await _http.GetAsync(current);
            if (IsRedirect(response.StatusCode))
            {
                current = Resolve(current, response.Headers.Location!);
                continue;
            }

            var page = await response.Content.ReadAsStringAsync();
            var prompt = PromptPattern().Match(page);
            if (!prompt.Success)
            {
                return response;
            }

            var action = new Uri(current, prompt.Groups["action"].Value);
            HttpResponseMessage answer;
            if (choice == Choice.Cancel)
            {
                answer = await _http.GetAsync(new Uri(current + "/abort"));
            }
            else if (prompt.Groups["prompt"].Value == "login")
            {
                answer = await _http.PostAsync(action, new FormUrlEncodedContent(new Dictionary<string, string> { ["login"] = login, ["password"] = password }));
            }
            else
            {
                answer = await _http.PostAsync(action, new FormUrlEncodedContent([]));
            }

            Assert.True(answer.StatusCode == HttpStatusCode.SeeOther, $"the {prompt.Groups["prompt"].Value} step answered {(int)answer.StatusCode}: {await answer.Content.ReadAsStringAsync()}");
            current = Resolve(current, answer.Headers.Location!);
        }

        throw new InvalidOperationException("too many steps");
    }

    private static async Task<(Uri Action, Dictionary<string, string> Fields)> ReadFormAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await response.Content.ReadAsStringAsync();
        var form = FormPattern().Match(page);
        Assert.True(form.Success, "no form on the page");
        var fields = HiddenInputPattern().Matches(form.Value).ToDictionary(m => m.Groups["name"].Value, m => WebUtility.HtmlDecode(m.Groups["value"].Value));
        return (new Uri(response.RequestMessage!.RequestUri!, WebUtility.HtmlDecode(form.Groups["action"].Value)), fields);
    }

    private static bool IsRedirect(HttpStatusCode status) => (int)status is >= 300 and < 400;

    private static Uri Resolve(Uri current, Uri location) => location.IsAbsoluteUri ? location : new Uri(current, location);

    [GeneratedRegex("<form[^>]*method=\"post\"[^>]*action=\"(?<action>[^\"]+)\"[^>]*>.*?</form>", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    private static partial Regex FormPattern();

    [GeneratedRegex("<input type=\"hidden\" name=\"(?<name>[^\"]+)\" value=\"(?<value>[^\"]*)\"", RegexOptions.IgnoreCase)]
    private static partial Regex HiddenInputPattern();

    [GeneratedRegex("<form method=\"post\" action=\"(?<action>[^\"]+)\" data-prompt=\"(?<prompt>login|consent)\">")]
    private static partial Regex PromptPattern();
}
