using System.Net;
using System.Text.RegularExpressions;

namespace SecureDialogue.Messaging.Tests.Identity.Support;

/// <summary>
/// The person at the browser for the device grant, played over HTTP with a cookie jar and no automatic redirects (the
/// steps of docs/identity.md, "Signing in over HTTP"): opens the complete verification URI, confirms the user code,
/// signs in and consents at the provider's own interaction pages. A device-grant-only copy of tests/Client.Sdk.Tests'
/// ProviderUser.
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

    /// <summary>Confirms the user code, signs in as <paramref name="login"/> and consents; returns the provider's last page.</summary>
    public async Task<HttpResponseMessage> SignInWithUserCodeAsync(Uri verificationUriComplete, string login, string password)
    {
        // GET ?user_code=... answers with a self-submitting form (xsrf, user_code); submitting it shows the confirmation.
        var entry = await ReadFormAsync(await _http.GetAsync(verificationUriComplete));
        var confirmation = await ReadFormAsync(await _http.PostAsync(entry.Action, new FormUrlEncodedContent(entry.Fields)));
        var confirmed = await _http.PostAsync(confirmation.Action, new FormUrlEncodedContent(confirmation.Fields));
        Assert.Equal(HttpStatusCode.SeeOther, confirmed.StatusCode);

        var current = Resolve(verificationUriComplete, confirmed.Headers.Location!);
        for (var step = 0; step < MaxSteps; step++)
        {
            Assert.Equal(_issuer.Authority, current.Authority);
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
            var fields = prompt.Groups["prompt"].Value == "login"
                ? new Dictionary<string, string> { ["login"] = login, ["password"] = password }
                : [];
            var answer = await _http.PostAsync(action, new FormUrlEncodedContent(fields));
            Assert.True(answer.StatusCode == HttpStatusCode.SeeOther, $"the {prompt.Groups["prompt"].Value} step answered {(int)answer.StatusCode}");
            current = Resolve(current, answer.Headers.Location!);
        }

        throw new InvalidOperationException("too many steps");
    }

    public void Dispose() => _http.Dispose();

    private static async Task<(Uri Action, Dictionary<string, string> Fields)> ReadFormAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await response.Content.ReadAsStringAsync();
        var form = FormPattern().Match(page);
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
