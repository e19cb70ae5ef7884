using SecureDialogue.Cli.Commands.Keys;
using SecureDialogue.Cli.Passphrases;
using SecureDialogue.Client;
using SecureDialogue.Client.Channels;
using SecureDialogue.Vault;
using SecureDialogue.Vault.Channels;
using SecureDialogue.Vault.Keys;

namespace SecureDialogue.Cli.Session;

/// <summary>
/// What reading and writing a review's channels needs: the sign-in, the review, this device's unlocked keys and
/// a <see cref="DialogueClient"/> over the profile's state. Opened in the order that fails cheapest first: the
/// sign-in and the key store file (local), the review (one request), then the passphrase and Argon2id.
/// </summary>
internal sealed class DialogueAccess : IAsyncDisposable
{
    private readonly DeviceIdentity _device;

    private DialogueAccess(ServerConnection connection, DeviceIdentity device, DialogueClient client, Guid reviewId)
    {
        Connection = connection;
        _device = device;
        Client = client;
        ReviewId = reviewId;
    }

    public ServerConnection Connection { get; }

    public DialogueClient Client { get; }

    public Guid ReviewId { get; }

    public static async Task<Result<DialogueAccess, CommandFailure>> OpenAsync(
        CliContext context, Profile profile, PassphraseSource passphrases, string? review, CancellationToken cancellationToken)
    {
        var opened = await ServerConnection.OpenAsync(profile, context, cancellationToken).ConfigureAwait(false);
        if (!opened.TryGetValue(out var connection, out var failure))
        {
            return failure;
        }

        DeviceIdentity? device = null;
        try
        {
            if (!File.Exists(profile.KeyStorePath))
            {
                return KeyStoreFailures.Missing(profile.KeyStorePath);
            }

            var resolved = await ReviewSelector.ResolveAsync(connection, review, cancellationToken).ConfigureAwait(false);
            if (!resolved.TryGetValue(out var reviewId, out failure))
            {
                return failure;
            }

            var unlocked = DeviceKeyStore.Open(profile, passphrases);
            if (!unlocked.TryGetValue(out device, out failure))
            {
                return failure;
            }

            var client = new DialogueClient(new DialogueClientOptions
            {
                ServerUri = connection.Server,
                Device = device,
                ProfileDirectory = profile.Directory,
                AccessTokenProvider = connection.AccessTokenAsync,
                TimeProvider = context.Time,
            });
            var access = new DialogueAccess(connection, device, client, reviewId);
            connection = null;
            device = null;
            return access;
        }
        finally
        {
            device?.Dispose();
            connection?.Dispose();
        }
    }

    /// <summary>Checks a channel name before anything is opened.</summary>
    public static CommandFailure? CheckChannel(string channel) =>
        ChannelId.TryParse(channel, out _)
            ? null
            : new CommandFailure(ExitCodes.Usage, $"'{channel}' is not a channel name (1-{ChannelId.MaxLength} of a-z, 0-9 and '-'; e.g. dialogue, reviewers)");

    /// <summary>Opens a channel of the review: verifies its epochs, opens or rotates them when due, flushes the outbox.</summary>
    public async Task<Result<ChannelSession, CommandFailure>> OpenChannelAsync(string channel, CancellationToken cancellationToken)
    {
        var opened = await Client.OpenChannelAsync(ReviewId, channel, cancellationToken).ConfigureAwait(false);
        if (opened.TryGetValue(out var session, out var error))
        {
            return session;
        }

        return error.Kind switch
        {
            OpenErrorKind.InvalidChannel => CheckChannel(channel) ?? new CommandFailure(ExitCodes.Usage, $"'{channel}' is not a channel name"),
            OpenErrorKind.NotFound when error.Api is null => new CommandFailure(ExitCodes.Refused, $"review {ReviewId} has no channel '{channel}'"),
            OpenErrorKind.NotFound => new CommandFailure(ExitCodes.Refused, $"review {ReviewId} was not found, or you are not one of its members"),
            OpenErrorKind.NotAReader => new CommandFailure(ExitCodes.Refused,
                $"you do not read the '{channel}' channel of review {ReviewId}: the secretariat sees metadata only, and 'reviewers' is for the reviewing States' members"),
            OpenErrorKind.Api when error.Api is { } api => Connection.Failure(api, $"open the '{channel}' channel"),
            OpenErrorKind.Profile => new CommandFailure(ExitCodes.Failed, $"cannot write the channel state under {Connection.Profile.Directory}"),
            _ => new CommandFailure(ExitCodes.Failed, $"cannot open the '{channel}' channel ({error.Kind})"),
        };
    }

    public async ValueTask DisposeAsync()
    {
        await Client.DisposeAsync().ConfigureAwait(false);
        _device.Dispose();
        Connection.Dispose();
    }
}
