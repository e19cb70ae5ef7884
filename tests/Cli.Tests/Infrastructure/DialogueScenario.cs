using System.Text.Json;

namespace SecureDialogue.Cli.Tests.Infrastructure;

/// <summary>
/// A review as the demo has it, made with sdlg itself: the secretariat (sam), an expert of the State under review
/// (ana, NAM), one expert per reviewing State (ben, GHA; chen, FRA) and optionally an observer of a reviewing State
/// (oscar, GHA). Every person has a profile with device keys and a development sign-in; user names get a unique
/// suffix, since the server's accounts outlive a test.
/// </summary>
internal sealed class DialogueScenario
{
    private DialogueScenario(SdlgHarness sdlg, string suffix)
    {
        Sdlg = sdlg;
        Suffix = suffix;
    }

    public SdlgHarness Sdlg { get; }

    public string Suffix { get; }

    public Guid ReviewId { get; private set; }

    /// <summary>The server-side user name of a person (<c>ana</c> → <c>ana-1a2b3c</c>).</summary>
    public string User(string person) => $"{person}-{Suffix}";

    /// <summary>Creates the profiles, signs everyone in, and has sam create the review.</summary>
    public static async Task<DialogueScenario> CreateAsync(SdlgHarness sdlg, MessagingServer server, bool withObserver = false)
    {
        var scenario = new DialogueScenario(sdlg, Guid.NewGuid().ToString("N")[..8]);
        List<string> people = ["sam", "ana", "ben", "chen"];
        if (withObserver)
        {
            people.Add("oscar");
        }

        foreach (var person in people)
        {
            await scenario.SignInAsync(server, person, secretariat: person == "sam");
        }

        List<string> members = [$"{scenario.User("ana")}:NAM:expert", $"{scenario.User("ben")}:GHA:expert", $"{scenario.User("chen")}:FRA:expert"];
        if (withObserver)
        {
            members.Add($"{scenario.User("oscar")}:GHA:observer");
        }

        var created = await sdlg.RunAsAsync("sam", ["reviews", "create", "--title", $"Review {scenario.Suffix}", "--reviewed", "NAM",
            "--reviewing", "GHA", "--reviewing", "FRA", "--language", "en", .. members.SelectMany(m => new[] { "--member", m }), "--json"]);
        created.AssertOk();
        using var json = JsonDocument.Parse(created.Out);
        scenario.ReviewId = json.RootElement.GetProperty("reviewId").GetGuid();
        return scenario;
    }

    /// <summary><c>keys init</c> and <c>login --dev-user</c> for a person (profile named after the person).</summary>
    public async Task SignInAsync(MessagingServer server, string person, bool secretariat = false, string? profile = null)
    {
        profile ??= person;
        await Sdlg.InitAsync(profile);
        List<string> login = ["login", "--server", server.BaseAddress.ToString(), "--dev-user", User(person)];
        if (secretariat)
        {
            login.Add("--secretariat");
        }

        (await Sdlg.RunAsAsync(profile, [.. login])).AssertOk();
    }

    /// <summary><c>sdlg ARGS --review ID</c> as a person.</summary>
    public Task<CliResult> RunAsync(string profile, params string[] args) => Sdlg.RunAsAsync(profile, [.. args, "--review", ReviewId.ToString()]);
}
