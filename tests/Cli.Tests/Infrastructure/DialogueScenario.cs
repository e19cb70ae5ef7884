using System.Text.Json;

namespace SecureDialogue.Cli.Tests.Infrastructure;

/// <summary>
/// A review made with sdlg itself: the secretariat (sam), the focal point of the State under review (ana, NAM), the
/// focal point of each reviewing State (ben, GHA; chen, FRA), each their State's only participant and trust root, and
/// optionally an observer of a reviewing State (oscar, GHA) whose device ben certifies. Every person has a profile with device keys and a development sign-in; user names get a unique
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

        List<string> members = [$"{scenario.User("ana")}:NAM:focal-point", $"{scenario.User("ben")}:GHA:focal-point", $"{scenario.User("chen")}:FRA:focal-point"];
        if (withObserver)
        {
            members.Add($"{scenario.User("oscar")}:GHA:observer");
        }

        var created = await sdlg.RunAsAsync("sam", ["reviews", "create", "--title", $"Review {scenario.Suffix}", "--reviewed", "NAM",
            "--reviewing", "GHA", "--reviewing", "FRA", "--language", "en", .. members.SelectMany(m => new[] { "--member", m }), "--json"]);
        created.AssertOk();
        using var json = JsonDocument.Parse(created.Out);
        scenario.ReviewId = json.RootElement.GetProperty("reviewId").GetGuid();

        // The focal points publish their devices' root statements before anyone opens a channel.
        foreach (var focalPoint in new[] { "ana", "ben", "chen" })
        {
            (await scenario.RunAsync(focalPoint, "members")).AssertOk();
        }

        if (withObserver)
        {
            (await scenario.RunAsync("ben", "certify", await scenario.DeviceIdAsync("oscar"), "--role", "observer", "--yes")).AssertOk();
        }

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

    /// <summary>This person's device id, from <c>sdlg whoami --json</c>.</summary>
    public async Task<string> DeviceIdAsync(string profile)
    {
        var whoami = await Sdlg.RunAsAsync(profile, ["whoami", "--json"]);
        whoami.AssertOk();
        using var json = JsonDocument.Parse(whoami.Out);
        return json.RootElement.GetProperty("serverAccount").GetProperty("devices").EnumerateArray().First(d => d.GetProperty("thisDevice").GetBoolean()).GetProperty("deviceId").GetString()!;
    }

    /// <summary><c>sdlg ARGS --review ID</c> as a person.</summary>
    public Task<CliResult> RunAsync(string profile, params string[] args) => Sdlg.RunAsAsync(profile, [.. args, "--review", ReviewId.ToString()]);
}
