using System.CommandLine;
using SecureDialogue.Cli.Commands.Keys;
using SecureDialogue.Cli.Passphrases;
using SecureDialogue.Client;
using SecureDialogue.Client.Channels;
using SecureDialogue.Contracts;
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

    /// <summary>
    /// The frame of every command that works in a review: resolves the profile, opens the access (sign-in, review,
    /// keys), runs <paramref name="action"/> and closes everything; a failure on the way is the command's exit code.
    /// </summary>
    public static async Task<int> RunAsync(
        CliContext context, GlobalOptions global, ParseResult parseResult, Option<string> review, Option<string> passphraseFile,
        Func<DialogueAccess, Task<int>> action, CancellationToken cancellationToken)
    {
        var profileResult = Profile.Resolve(parseResult.GetValue(global.Profile), context);
        if (!profileResult.TryGetValue(out var profile, out var failure))
        {
            return context.Fail(failure);
        }

        var passphrases = new PassphraseSource(context, parseResult.GetValue(passphraseFile));
        var opened = await OpenAsync(context, profile, passphrases, parseResult.GetValue(review), cancellationToken).ConfigureAwait(false);
        if (!opened.TryGetValue(out var access, out failure))
        {
            return context.Fail(failure);
        }

        await using (access.ConfigureAwait(false))
        {
            return await action(access).ConfigureAwait(false);
        }
    }

    /// <summary><see cref="RunAsync"/> with one of the review's channels opened (<see cref="OpenChannelAsync"/>) for <paramref name="action"/>.</summary>
    public static Task<int> RunInChannelAsync(
        CliContext context, GlobalOptions global, ParseResult parseResult, Option<string> review, Option<string> passphraseFile, string channel,
        Func<DialogueAccess, ChannelSession, Task<int>> action, CancellationToken cancellationToken) =>
        RunAsync(context, global, parseResult, review, passphraseFile, async access =>
        {
            var opened = await access.OpenChannelAsync(channel, cancellationToken).ConfigureAwait(false);
            if (!opened.TryGetValue(out var session, out var failure))
            {
                return context.Fail(failure);
            }

            await using (session.ConfigureAwait(false))
            {
                return await action(access, session).ConfigureAwait(false);
            }
        }, cancellationToken);

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
            OpenErrorKind.NotAReader => await NotAReaderAsync(channel, cancellationToken).ConfigureAwait(false),
            OpenErrorKind.Api when error.Api is { } api => Connection.Failure(api, $"open the '{channel}' channel"),
            OpenErrorKind.Profile => new CommandFailure(ExitCodes.Failed, $"cannot write the channel state under {Connection.Profile.Directory}"),
            _ => new CommandFailure(ExitCodes.Failed, $"cannot open the '{channel}' channel ({error.Kind})"),
        };
    }

    // Says why, from the review's metadata: the secretariat reads no channel; 'reviewers' is for the reviewing States.
    private async Task<CommandFailure> NotAReaderAsync(string channel, CancellationToken cancellationToken)
    {
        var review = await Connection.Api.GetReviewAsync(ReviewId, cancellationToken).ConfigureAwait(false);
        var me = await Connection.Api.GetMeAsync(cancellationToken).ConfigureAwait(false);
        var member = review.IsSuccess && me.IsSuccess ? review.Value.Members.FirstOrDefault(m => m.AccountId == me.Value.AccountId) : null;
        var why = member switch
        {
            null => "you are not one of its members",
            { Role: MemberRole.Secretariat } => "the secretariat reads a channel only when the State under review's disclosure policy names it",
            _ when channel == ChannelId.Reviewers.Value => $"'reviewers' is read by the reviewing States' members only, and you take part for {member.StateCode}, the State under review",
            _ => "you are not one of its readers",
        };
        return new CommandFailure(ExitCodes.Refused, $"refused: you do not read the '{channel}' channel of review {ReviewId}: {why}");
    }

    public async ValueTask DisposeAsync()
    {
        await Client.DisposeAsync().ConfigureAwait(false);
        _device.Dispose();
        Connection.Dispose();
    }
}
