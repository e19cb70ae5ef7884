using SecureDialogue.Cli.Output;
using SecureDialogue.Cli.Session;
using SecureDialogue.Client.Identity;
using SecureDialogue.Contracts;
using SecureDialogue.Vault.Keys;

namespace SecureDialogue.Cli.Commands.Account;

/// <summary>What <c>login</c> and <c>whoami</c> print: the sign-in as this profile holds it, and the server's view when it answered.</summary>
/// <param name="Server">The server URL.</param>
/// <param name="SignIn"><c>development</c> (the embedded server's sign-in) or <c>openid-connect</c>.</param>
/// <param name="Account">The display name in the tokens.</param>
/// <param name="Issuer">The token issuer (with the subject, the account's identity).</param>
/// <param name="Subject">The subject at the issuer.</param>
/// <param name="Secretariat">True when the tokens carry the secretariat role (the server decides what it allows).</param>
/// <param name="Roles">Staff roles in the tokens.</param>
/// <param name="TokenExpiresAt">When the access token expires.</param>
/// <param name="CanRefresh">True when a refresh token lets sdlg renew the access token without a new sign-in.</param>
/// <param name="ServerStatus"><c>ok</c>, <c>unreachable</c> or <c>refused</c>: how the server answered <c>GET /api/me</c>.</param>
/// <param name="ServerAccount">The server's account record, when it answered.</param>
/// <param name="RegisteredDevice">The device id <c>login</c> registered (null when none was).</param>
internal sealed record AccountView(
    string Server,
    string SignIn,
    string Account,
    string Issuer,
    string Subject,
    bool Secretariat,
    IReadOnlyList<string> Roles,
    DateTimeOffset TokenExpiresAt,
    bool CanRefresh,
    string ServerStatus,
    ServerAccountView? ServerAccount,
    string? RegisteredDevice)
{
    public static AccountView Of(LoginSettings settings, TokenSet tokens, string serverStatus, MeResponse? me, Func<string, bool>? isThisDevice = null, string? registeredDevice = null) => new(
        settings.Server.ToString(),
        tokens.IsDevelopmentSignIn ? "development" : "openid-connect",
        tokens.Identity.DisplayName,
        tokens.Issuer,
        tokens.Identity.Subject,
        tokens.Identity.IsSecretariat,
        tokens.Identity.Roles,
        tokens.AccessTokenExpiresAt,
        tokens.RefreshToken is not null,
        serverStatus,
        me is null ? null : ServerAccountView.Of(me, isThisDevice ?? (_ => false)),
        registeredDevice);

    public void WriteText(TextWriter writer, DateTimeOffset now)
    {
        var remaining = TokenExpiresAt - now;
        writer.WriteLine($"Account:   {Account}{(Secretariat ? " (secretariat)" : "")}");
        writer.WriteLine($"Subject:   {Subject}");
        writer.WriteLine($"Issuer:    {Issuer}{(SignIn == "development" ? " (development sign-in, embedded server)" : "")}");
        if (Roles.Count > 0)
        {
            writer.WriteLine($"Roles:     {string.Join(", ", Roles)}");
        }

        writer.WriteLine($"Token:     valid until {Times.Format(TokenExpiresAt)} ({Times.Describe(remaining)}){(CanRefresh ? ", refreshed automatically" : ", then sign in again")}");
        writer.WriteLine($"Server:    {Server} ({ServerStatus})");
        if (ServerAccount is { } account)
        {
            writer.WriteLine($"Account id: {account.AccountId}");
            foreach (var device in account.Devices)
            {
                writer.WriteLine($"Device:    {device.DeviceId}  {device.Fingerprint}  registered {Times.Format(device.RegisteredAt)}{(device.ThisDevice ? "  (this device)" : "")}");
            }

            if (account.Devices.Count == 0)
            {
                writer.WriteLine("Device:    none registered yet (sdlg registers this device at login or on first read/send)");
            }
        }

        if (RegisteredDevice is not null)
        {
            writer.WriteLine($"Registered this device {RegisteredDevice} with the account.");
        }
    }
}

/// <summary>The server's record of the account (<c>GET /api/me</c>).</summary>
internal sealed record ServerAccountView(Guid AccountId, string DisplayName, bool Secretariat, IReadOnlyList<AccountDeviceView> Devices)
{
    public static ServerAccountView Of(MeResponse me, Func<string, bool> isThisDevice) => new(
        me.AccountId,
        me.DisplayName,
        me.IsSecretariat,
        [.. me.Devices.Select(d => AccountDeviceView.Of(d, isThisDevice(d.DeviceId)))]);
}

/// <summary>One registered device of the account.</summary>
internal sealed record AccountDeviceView(string DeviceId, string Fingerprint, DateTimeOffset RegisteredAt, bool ThisDevice)
{
    public static AccountDeviceView Of(DeviceEntry entry, bool thisDevice) => new(
        entry.DeviceId,
        DevicePublicKeys.Decode(entry.Card ?? []) is { IsSuccess: true } card && card.Value.Id.ToString() == entry.DeviceId
            ? Vault.Keys.Fingerprint.Of(card.Value)
            : "(invalid card)",
        entry.RegisteredAt,
        thisDevice);
}
