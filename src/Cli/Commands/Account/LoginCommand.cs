using System.CommandLine;
using SecureDialogue.Cli.Commands.Keys;
using SecureDialogue.Cli.Output;
using SecureDialogue.Cli.Passphrases;
using SecureDialogue.Cli.Session;
using SecureDialogue.Client.Api;
using SecureDialogue.Client.Identity;
using SecureDialogue.Contracts;
using SecureDialogue.Vault;

namespace SecureDialogue.Cli.Commands.Account;

/// <summary>
/// <c>sdlg login</c>: signs in to a server and saves the sign-in in the profile (<c>login.json</c>, <c>tokens.json</c>),
/// then registers this device's public card with the account when the profile has a key store, so that members
/// who open a channel next include it.
/// </summary>
internal static class LoginCommand
{
    public static Command Create(CliContext context, GlobalOptions global)
    {
        var server = new Option<string>("--server")
        {
            Description = $"The SecureDialogue server, e.g. http://127.0.0.1:5080. Default: the profile's last server, else ${ServerUrl.EnvironmentVariable}",
            HelpName = "URL",
        };
        var devUser = new Option<string>("--dev-user")
        {
            Description = "Use the embedded server's development sign-in as NAME (no password; embedded profile only)",
            HelpName = "NAME",
        };
        var secretariat = new Option<bool>("--secretariat") { Description = "With --dev-user: sign in with the secretariat role" };
        var issuer = new Option<string>("--issuer")
        {
            Description = "Sign in at this OpenID Connect provider (the issuer URL the server trusts)",
            HelpName = "URL",
        };
        var clientId = new Option<string>("--client-id")
        {
            Description = $"With --issuer: the public client id registered for sdlg (default {OidcClientOptions.DefaultClientId})",
            HelpName = "ID",
        };
        var resource = new Option<string>("--resource")
        {
            Description = "With --issuer: the RFC 8707 resource indicator of the SecureDialogue API, if the provider needs one",
            HelpName = "URI",
        };
        var deviceCode = new Option<bool>("--device-code") { Description = "With --issuer: sign in on any device with a URL and a code (the default)" };
        var browser = new Option<bool>("--browser") { Description = "With --issuer: sign in with a browser on this machine (PKCE, loopback redirect); sdlg prints the URL to open" };
        var passphraseFile = PassphraseFileOption.Create();

        var command = new Command("login", "Sign in to a server (development sign-in or OpenID Connect) and register this device")
        {
            server, devUser, secretariat, issuer, clientId, resource, deviceCode, browser, passphraseFile,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var profileResult = Profile.Resolve(parseResult.GetValue(global.Profile), context);
            if (!profileResult.TryGetValue(out var profile, out var failure))
            {
                return context.Fail(failure);
            }

            var request = new LoginRequest(
                parseResult.GetValue(server), parseResult.GetValue(devUser), parseResult.GetValue(secretariat),
                parseResult.GetValue(issuer), parseResult.GetValue(clientId), parseResult.GetValue(resource),
                parseResult.GetValue(deviceCode), parseResult.GetValue(browser));
            var passphrases = new PassphraseSource(context, parseResult.GetValue(passphraseFile));
            return await RunAsync(context, profile, request, passphrases, parseResult.GetValue(global.Json), cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    private static async Task<int> RunAsync(CliContext context, Profile profile, LoginRequest request, PassphraseSource passphrases, bool json, CancellationToken cancellationToken)
    {
        var checkedRequest = request.Check(profile, context);
        if (!checkedRequest.TryGetValue(out var settings, out var failure))
        {
            return context.Fail(failure);
        }

        if (profile.EnsureDirectory() is { } directoryFailure)
        {
            return context.Fail(directoryFailure);
        }

        var signedIn = settings.Issuer is { } issuerUri
            ? await OpenIdSignIn.SignInAsync(context, new OidcClientOptions { Issuer = issuerUri, ClientId = settings.ClientId!, Resource = settings.Resource },
                request.Browser, profile, cancellationToken).ConfigureAwait(false)
            : await DevelopmentSignIn.SignInAsync(settings.Server, request.DevUser!, request.Secretariat, cancellationToken).ConfigureAwait(false);
        if (!signedIn.TryGetValue(out var tokens, out failure))
        {
            return context.Fail(failure);
        }

        if (settings.Save(profile) is { } saveFailure)
        {
            return context.Fail(saveFailure);
        }

        if (await new TokenCache(profile.Directory).SaveAsync(tokens, cancellationToken).ConfigureAwait(false) is { } cacheError)
        {
            return context.Fail(ExitCodes.Failed, cacheError.Detail);
        }

        using var http = ServerHttp.Create(settings.Server, TimeSpan.FromSeconds(30));
        var api = new DialogueApiClient(http, _ => ValueTask.FromResult<string?>(tokens.AccessToken));
        var me = await api.GetMeAsync(cancellationToken).ConfigureAwait(false);
        if (!me.TryGetValue(out var account, out var meError))
        {
            var meFailure = ApiFailures.Of(meError, settings.Server, "look up the account");
            if (meFailure.ExitCode != ExitCodes.ServerUnreachable)
            {
                return context.Fail(meFailure.ExitCode, $"signed in at {tokens.Issuer}, but {meFailure.Message}");
            }

            context.Warn($"signed in, but {meFailure.Message}; the sign-in is saved");
            WriteView(context, json, AccountView.Of(settings, tokens, "unreachable", null));
            return ExitCodes.Ok;
        }

        var registered = await RegisterDeviceAsync(context, profile, settings.Server, api, account, passphrases, cancellationToken).ConfigureAwait(false);
        if (registered.Failure is { } registerFailure)
        {
            return context.Fail(registerFailure);
        }

        if (registered.Account is { } updated)
        {
            account = updated;
        }

        if (registered.DeviceId is not null && (settings with { DeviceId = registered.DeviceId }).Save(profile) is { } deviceSaveFailure)
        {
            return context.Fail(deviceSaveFailure);
        }

        var view = AccountView.Of(settings, tokens, "ok", account, id => id == registered.DeviceId, registered.Added ? registered.DeviceId : null);
        WriteView(context, json, view);
        return ExitCodes.Ok;
    }

    // Registers this profile's device when it has a key store. No passphrase source (a script without one): a warning,
    // the device is then registered when a channel is first opened.
    private static async Task<Registration> RegisterDeviceAsync(
        CliContext context, Profile profile, Uri server, DialogueApiClient api, MeResponse account, PassphraseSource passphrases, CancellationToken cancellationToken)
    {
        if (!File.Exists(profile.KeyStorePath))
        {
            context.Error.WriteLine("sdlg: this profile has no device keys yet: run 'sdlg keys init' (the device is registered when it first opens a channel)");
            return default;
        }

        var unlocked = DeviceKeyStore.Open(profile, passphrases);
        if (!unlocked.TryGetValue(out var identity, out var failure))
        {
            if (failure.ExitCode == ExitCodes.Usage)
            {
                context.Warn($"device not registered yet ({failure.Message}); it is registered when it first opens a channel");
                return default;
            }

            return new Registration(null, false, null, failure);
        }

        using (identity)
        {
            var deviceId = identity.Id.ToString();
            if (account.Devices.Any(d => d.DeviceId == deviceId))
            {
                return new Registration(deviceId, false, null, null);
            }

            var registered = await api.RegisterDeviceAsync(identity.PublicKeys, cancellationToken).ConfigureAwait(false);
            if (!registered.TryGetValue(out _, out var error))
            {
                return new Registration(null, false, null, ApiFailures.Of(error, server, "register this device"));
            }

            var refreshed = await api.GetMeAsync(cancellationToken).ConfigureAwait(false);
            return new Registration(deviceId, true, refreshed.IsSuccess ? refreshed.Value : null, null);
        }
    }

    private static void WriteView(CliContext context, bool json, AccountView view) =>
        CommandOutput.Write(context.Out, json, view, CliJsonContext.Output.AccountView, (v, w) =>
        {
            w.WriteLine($"Signed in to {v.Server}.");
            v.WriteText(w, context.Time.GetUtcNow());
        });

    private readonly record struct Registration(string? DeviceId, bool Added, MeResponse? Account, CommandFailure? Failure);

    private sealed record LoginRequest(
        string? Server, string? DevUser, bool Secretariat, string? Issuer, string? ClientId, string? Resource, bool DeviceCode, bool Browser)
    {
        public Result<LoginSettings, CommandFailure> Check(Profile profile, CliContext context)
        {
            if ((DevUser is null) == (Issuer is null))
            {
                return new CommandFailure(ExitCodes.Usage, "choose how to sign in: --dev-user NAME (embedded server) or --issuer URL (OpenID Connect)");
            }

            if (DevUser is not null && (ClientId is not null || Resource is not null || DeviceCode || Browser))
            {
                return new CommandFailure(ExitCodes.Usage, "--client-id, --resource, --device-code and --browser go with --issuer, not --dev-user");
            }

            if (Issuer is not null && Secretariat)
            {
                return new CommandFailure(ExitCodes.Usage, "--secretariat goes with --dev-user: with --issuer, the provider's roles decide");
            }

            if (DeviceCode && Browser)
            {
                return new CommandFailure(ExitCodes.Usage, "choose one of --device-code and --browser");
            }

            if (DevUser is { Length: 0 })
            {
                return new CommandFailure(ExitCodes.Usage, "--dev-user needs a user name");
            }

            var serverText = Server ?? (LoginSettings.Load(profile).TryGetValue(out var saved, out _) ? saved.Server.ToString() : null)
                             ?? context.GetEnvironmentVariable(ServerUrl.EnvironmentVariable);
            if (string.IsNullOrEmpty(serverText))
            {
                return new CommandFailure(ExitCodes.Usage, $"which server? pass --server URL (or set {ServerUrl.EnvironmentVariable})");
            }

            var serverResult = ServerUrl.ParseServer(serverText, "--server");
            if (!serverResult.TryGetValue(out var serverUri, out var failure))
            {
                return failure;
            }

            if (Issuer is null)
            {
                return new LoginSettings(serverUri, null, null, null);
            }

            var issuerResult = ServerUrl.Parse(Issuer, "--issuer");
            if (!issuerResult.TryGetValue(out var issuerUri, out failure))
            {
                return failure;
            }

            return new LoginSettings(serverUri, issuerUri, string.IsNullOrEmpty(ClientId) ? OidcClientOptions.DefaultClientId : ClientId, Resource);
        }
    }
}
