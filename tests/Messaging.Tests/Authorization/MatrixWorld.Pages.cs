using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.RegularExpressions;
using SecureDialogue.Contracts;

namespace SecureDialogue.Messaging.Tests.Authorization;

/// <summary>
/// The matrix world's secretariat pages and mechanism API: a page session per role (the embedded development sign-in
/// as the role's user, with the secretariat flag only for the secretariat), and a small registry of user-assigned
/// codes (XM.) for the import cells.
/// </summary>
public sealed partial class MatrixWorld
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<MatrixRole, Task<HttpClient>> _pages = new();

    /// <summary>A registry of user-assigned codes the lots cells draw from (test data, not real States).</summary>
    public const string MatrixRegistry = "iso3,name,regional_group,instruments\nXMA,Matrix A,AFRICAN,UNTOC\nXMB,Matrix B,AFRICAN,UNTOC\nXMC,Matrix C,AFRICAN,UNTOC\nXMW,Matrix W,WEOG,UNTOC\n";

    /// <summary>The role's page session (cookies, no automatic redirects); the anonymous role has none.</summary>
    public Task<HttpClient> PagesAsync(MatrixRole role) =>
        _pages.GetOrAdd(role, r => r == MatrixRole.Anonymous ? Task.FromResult(NewPageClient()) : SignedInPageClientAsync(r));

    /// <summary>A fresh client signed in to the pages as the role (anonymous: not signed in).</summary>
    public async Task<HttpClient> FreshPagesAsync(MatrixRole role) =>
        role == MatrixRole.Anonymous ? NewPageClient() : await SignedInPageClientAsync(role);

    /// <summary>The antiforgery field of a client's session, from the sign-in page every visitor may open (or the page it redirects to).</summary>
    public static async Task<KeyValuePair<string, string>> AntiforgeryAsync(HttpClient client)
    {
        // Secretariat staff with a session are sent on to the dashboard, which has the sign-out form's field.
        using var signIn = await client.GetAsync("/secretariat/sign-in");
        var html = signIn.StatusCode == HttpStatusCode.Redirect
            ? await client.GetStringAsync(signIn.Headers.Location)
            : await signIn.Content.ReadAsStringAsync();
        var match = AntiforgeryField().Match(html);
        Assert.True(match.Success, "The sign-in page has no antiforgery field.");
        return new(match.Groups["name"].Value, WebUtility.HtmlDecode(match.Groups["value"].Value));
    }

    /// <summary>Posts a form with the session's antiforgery token.</summary>
    public static async Task<HttpResponseMessage> PostFormAsync(HttpClient client, string path, params (string Name, string Value)[] fields)
    {
        var token = await AntiforgeryAsync(client);
        return await client.PostAsync(path, new FormUrlEncodedContent([token, .. fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value))]));
    }

    /// <summary>Posts a CSV file as the upload form does, with the session's antiforgery token.</summary>
    public static async Task<HttpResponseMessage> PostFileAsync(HttpClient client, string path, string csv)
    {
        var token = await AntiforgeryAsync(client);
        using var form = new MultipartFormDataContent
        {
            { new StringContent(token.Value), token.Key },
            { new ByteArrayContent(Encoding.UTF8.GetBytes(csv)) { Headers = { ContentType = new("text/csv") } }, "file", "lots.csv" },
        };
        return await client.PostAsync(path, form);
    }

    /// <summary>The next stage of review A as its members see it.</summary>
    public async Task<string> NextStageAsync()
    {
        var stage = await Review.Alice.Http.GetFromJsonAsync<StageInfo>(MechanismRoutes.StageOf(ReviewId));
        string[] order = ["not-started", "preliminary-consultation", "self-assessment", "written-feedback", "constructive-dialogue", "list-of-observations", "summary", "finalised"];
        return order[Array.IndexOf(order, stage!.Stage) + 1];
    }

    private async Task ImportMatrixRegistryAsync()
    {
        using var content = new StringContent(MatrixRegistry, Encoding.UTF8, "text/csv");
        using var response = await Review.Secretariat.Http.PostAsync(MechanismRoutes.States, content);
        response.EnsureSuccessStatusCode();
    }

    private HttpClient NewPageClient()
    {
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer(), UseCookies = true })
        {
            BaseAddress = Host.BaseAddress,
        };
        _owned.Add(client);
        return client;
    }

    private async Task<HttpClient> SignedInPageClientAsync(MatrixRole role)
    {
        var client = NewPageClient();
        using var response = await PostFormAsync(client, "/secretariat/sign-in/dev",
            ("user", Signed(role).User), ("secretariat", role == MatrixRole.Secretariat ? "true" : "false"));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return client;
    }

    [GeneratedRegex("<input type=\"hidden\" name=\"(?<name>[^\"]+)\" value=\"(?<value>[^\"]+)\">")]
    private static partial Regex AntiforgeryField();
}
