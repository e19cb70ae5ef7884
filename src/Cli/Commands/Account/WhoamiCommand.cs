using System.CommandLine;
using SecureDialogue.Cli.Output;
using SecureDialogue.Cli.Session;
using SecureDialogue.Client.Api;
using SecureDialogue.Client.Profile;
using SecureDialogue.Client.Trust;
using SecureDialogue.Vault.Keys;

namespace SecureDialogue.Cli.Commands.Account;

/// <summary>
/// <c>sdlg whoami</c>: the profile's sign-in (account, issuer, subject, secretariat flag, token expiry) and, when the
/// server answers, its account record and registered devices. Exit 5 when not signed in or the server refuses the token.
/// </summary>
internal static class WhoamiCommand
{
    public static Command Create(CliContext context, GlobalOptions global)
    {
        var command = new Command("whoami", "Show who this profile is signed in as, and the server's record of the account");
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var profileResult = Profile.Resolve(parseResult.GetValue(global.Profile), context);
            if (!profileResult.TryGetValue(out var profile, out var failure))
            {
                return context.Fail(failure);
            }

            var opened = await ServerConnection.OpenAsync(profile, context, cancellationToken).ConfigureAwait(false);
            if (!opened.TryGetValue(out var connection, out failure))
            {
                return context.Fail(failure);
            }

            using (connection)
            {
                var me = await connection.Api.GetMeAsync(cancellationToken).ConfigureAwait(false);
                var status = me.IsSuccess ? "ok" : me.Error.Is(ApiError.Unreachable) || me.Error.IsTransient ? "unreachable" : "refused";
                var account = me.IsSuccess ? me.Value : null;
                var view = AccountView.Of(connection.Settings, connection.Current, status, account, id => id == connection.Settings.DeviceId || (account is not null && IsOwnDevice(connection, account.AccountId, id)));
                CommandOutput.Write(context.Out, parseResult.GetValue(global.Json), view, CliJsonContext.Output.AccountView,
                    (v, w) => v.WriteText(w, context.Time.GetUtcNow()));
                if (status == "refused")
                {
                    return context.Fail(connection.Failure(me.Error, "look up the account"));
                }

                if (status == "unreachable")
                {
                    context.Warn(connection.Failure(me.Error, "look up the account").Message);
                }

                return ExitCodes.Ok;
            }
        });
        return command;
    }

    // This profile's own device, as its pins record it (no passphrase needed).
    private static bool IsOwnDevice(ServerConnection connection, Guid account, string deviceId)
    {
        try
        {
            var trust = TrustStore.Load(new ProfileLayout(connection.Profile.Directory, connection.Server));
            return DeviceId.TryParse(deviceId, out var id) && trust.Classify(account, id) == DeviceTrust.Own;
        }
        catch (IOException)
        {
            return false;
        }
    }
}
