using System.Net;
using System.Text.RegularExpressions;

namespace SecureDialogue.Cli.Tests.Infrastructure;

/// <summary>
/// The person at the browser, played over HTTP against the development provider (the same steps as
/// tests/Client.Sdk.Tests/Identity/Support/ProviderUser.cs): follows redirects with a cookie jar, fills in the device
/// code forms, then the login and consent interactions, and for the browser flow loads the final loopback redirect.
/// </summary>
internal sealed partial class ProviderUser : IDisposable
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

    /// <summary>Opens the authorization URI, signs in, consents, and lets the browser reach the redirect URI.</summary>
    public Task<HttpResponseMessage> SignInThroughBrowserAsync(Uri authorizationUri, string login) => FollowAsync(authorizationUri, login);

    /// <summary>Opens the complete verification URI, confirms the user code, signs in and consents.</summary>
    public async Task<HttpResponseMessage> SignInWithUserCodeAsync(Uri verificationUriComplete, string login)
    {
        var entry = await ReadFormAsync(await _http.GetAsync(verificationUriComplete));
        var confirmation = await ReadFormAsync(await _http.PostAsync(entry.Action, new FormUrlEncodedContent(entry.Fields)));
        var confirmed = await _http.PostAsync(confirmation.Action, new FormUrlEncodedContent(confirmation.Fields));
        Assert.Equal(HttpStatusCode.SeeOther, confirmed.StatusCode);
        return await FollowAsync(Resolve(verificationUriComplete, confirmed.Headers.Location!), login);
    }

    public void Dispose() => _http.Dispose();

    private async Task<HttpResponseMessage> FollowAsync(Uri start, string login)
    {
        var current = start;
        for (var step = 0; step < MaxSteps; step++)
        {
            if (current.Authority != _issuer.Authority)
            {
                using var browser = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
                return await browser.GetAsync(current);
            }

            var response = await _http.GetAsync(current);
            if ((int)response.StatusCode is >= 300 and < 400)
            {
                current = Resolve(current, response.Headers.Location!);
                continue;
            }

            var prompt = PromptPattern().Match(await response.Content.ReadAsStringAsync());
            if (!prompt.Success)
            {
                return response;
            }

            var action = new Uri(current, prompt.Groups["action"].Value);
            var answer = prompt.Groups["prompt"].Value == "login"
                ? await _http.PostAsync(action, new FormUrlEncodedContent(new Dictionary<string, string> { ["login"] = login, ["password"] = OidcProvider.Password }))
                : await _http.PostAsync(action, new FormUrlEncodedContent([]));
            Assert.Equal(HttpStatusCode.SeeOther, answer.StatusCode);
            current = Resolve(current, answer.Headers.Location!);
        }

        throw new InvalidOperationException("too many steps");
    }

    private static async Task<(Uri Action, Dictionary<string, string> Fields)> ReadFormAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var form = FormPattern().Match(await response.Content.ReadAsStringAsync());
        Assert.True(form.Success, "no form on the page");
        var fields = HiddenInputPattern().Matches(form.Value).ToDictionary(m => m.Groups["name"].Value, m => WebUtility.HtmlDecode(m.Groups["value"].Value));
        return (new Uri(response.RequestMessage!.RequestUri!, WebUtility.HtmlDecode(form.Groups["action"].Value)), fields);
    }

    private static Uri Resolve(Uri current, Uri location) => location.IsAbsoluteUri ? location : new Uri(current, location);

    [GeneratedRegex("<form[^>]*method=\"post\"[^>]*action=\"(?<action>[^\"]+)\"[^>]*>.*?</form>", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    private static partial Regex FormPattern();

    [GeneratedRegex("<input type=\"hidden\" name=\"(?<name>[^\"]+)\" value=\"(?<value>[^\"]*)\"", RegexOptions.IgnoreCase)]
    private static partial Regex HiddenInputPattern();

    [GeneratedRegex("<form method=\"post\" action=\"(?<action>[^\"]+)\" data-prompt=\"(?<prompt>login|consent)\">")]
    private static partial Regex PromptPattern();
}
