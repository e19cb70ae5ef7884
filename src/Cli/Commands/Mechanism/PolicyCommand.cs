using System.CommandLine;
using SecureDialogue.Cli.Commands.Dialogue;
using SecureDialogue.Cli.Commands.Keys;
using SecureDialogue.Cli.Output;
using SecureDialogue.Cli.Passphrases;
using SecureDialogue.Cli.Session;
using SecureDialogue.Contracts;
using SecureDialogue.Vault.Keys;
using SecureDialogue.Vault.Reviews;

namespace SecureDialogue.Cli.Commands.Mechanism;

/// <summary>
/// <c>sdlg policy show</c>: the review's disclosure policy, each statement verified against its signer's device card
/// when this account may list the review's devices; <c>sdlg policy set --metadata LEVEL [--content CHANNEL]...</c>: the
/// focal point of the State under review signs a new statement with this device (docs/protocol.md 19.1).
/// </summary>
internal static class PolicyCommand
{
    private static readonly Dictionary<string, MetadataLevel> s_levels = new(StringComparer.Ordinal)
    {
        ["per-person"] = MetadataLevel.PerPerson,
        ["per-state"] = MetadataLevel.PerState,
        ["counts-only"] = MetadataLevel.CountsOnly,
    };

    public static Command Create(CliContext context, GlobalOptions global)
    {
        var showReview = DialogueOptions.Review();
        var show = new Command("show", "Show the review's disclosure policy and its signed statements") { showReview };
        show.SetAction((parseResult, cancellationToken) => ShowAsync(context, global, parseResult, showReview, cancellationToken));

        var setReview = DialogueOptions.Review();
        var metadata = new Option<string>("--metadata") { Description = "What metadata the secretariat sees: per-person, per-state or counts-only", HelpName = "LEVEL", Required = true };
        var content = new Option<string[]>("--content") { Description = "A channel whose content keys the secretariat receives (repeatable)", HelpName = "CHANNEL", AllowMultipleArgumentsPerToken = false };
        var passphraseFile = PassphraseFileOption.Create();
        var set = new Command("set", "Sign and set the review's disclosure policy (focal point of the State under review)") { setReview, metadata, content, passphraseFile };
        set.SetAction(async (parseResult, cancellationToken) =>
        {
            var levelText = parseResult.GetValue(metadata)!;
            if (!s_levels.TryGetValue(levelText, out var level))
            {
                return context.Fail(ExitCodes.Usage, $"--metadata '{levelText}' is not one of per-person, per-state, counts-only");
            }

            var channels = (parseResult.GetValue(content) ?? []).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            if (channels.FirstOrDefault(c => DialogueAccess.CheckChannel(c) is not null) is { } badChannel)
            {
                return context.Fail(DialogueAccess.CheckChannel(badChannel)!.Value);
            }

            return await SetAsync(context, global, parseResult, setReview, new PassphraseSource(context, parseResult.GetValue(passphraseFile)), level, channels, cancellationToken).ConfigureAwait(false);
        });

        return new Command("policy", "A review's disclosure policy (show, set)") { show, set };
    }

    private static async Task<int> ShowAsync(CliContext context, GlobalOptions global, ParseResult parseResult, Option<string> reviewOption, CancellationToken cancellationToken)
    {
        return await ServerConnection.RunInReviewAsync(context, global, parseResult, reviewOption, async (connection, reviewId) =>
        {
            var policy = await connection.Api.GetPolicyAsync(reviewId, cancellationToken).ConfigureAwait(false);
            if (!policy.TryGetValue(out var info, out var error))
            {
                return context.Fail(connection.Failure(error, "read the review's disclosure policy"));
            }

            // Members may list the review's device cards; the secretariat may not (its view then says "not checked").
            var devices = await connection.Api.GetReviewDevicesAsync(reviewId, cancellationToken).ConfigureAwait(false);
            var cards = devices.TryGetValue(out var list, out _) ? list.ToDictionary(d => d.DeviceId, d => d.Card, StringComparer.Ordinal) : null;
            var view = PolicyView.Of(reviewId, info, cards);
            CommandOutput.Write(context.Out, parseResult.GetValue(global.Json), view, CliJsonContext.Output.PolicyView, static (v, w) => v.WriteText(w));
            return view.Statements.Any(s => s.Verified == "invalid") ? ExitCodes.Refused : ExitCodes.Ok;
        }, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<int> SetAsync(
        CliContext context, GlobalOptions global, ParseResult parseResult, Option<string> reviewOption, PassphraseSource passphrases,
        MetadataLevel level, List<string> channels, CancellationToken cancellationToken)
    {
        return await ServerConnection.RunInReviewAsync(context, global, parseResult, reviewOption, async (connection, reviewId) =>
        {
            var current = await connection.Api.GetPolicyAsync(reviewId, cancellationToken).ConfigureAwait(false);
            if (!current.TryGetValue(out var info, out var error))
            {
                return context.Fail(connection.Failure(error, "read the review's disclosure policy"));
            }

            var unlocked = DeviceKeyStore.Open(connection.Profile, passphrases);
            if (!unlocked.TryGetValue(out var device, out var failure))
            {
                return context.Fail(failure);
            }

            byte[] statement;
            using (device)
            {
                statement = DisclosurePolicyCodec.Sign(new DisclosurePolicy(reviewId, info.Version + 1, level, channels, context.Time.GetUtcNow()), device).Encoded;
            }

            var set = await connection.Api.SetPolicyAsync(reviewId, statement, cancellationToken).ConfigureAwait(false);
            if (!set.TryGetValue(out info, out error))
            {
                return context.Fail(connection.Failure(error, "set the review's disclosure policy"));
            }

            CommandOutput.Write(context.Out, parseResult.GetValue(global.Json), PolicyView.Of(reviewId, info, null), CliJsonContext.Output.PolicyView, static (v, w) => v.WriteText(w));
            return ExitCodes.Ok;
        }, cancellationToken).ConfigureAwait(false);
    }
}

/// <summary>What <c>sdlg policy</c> prints.</summary>
/// <param name="Statements">Each statement with <c>verified</c>, <c>invalid</c> or <c>not-checked</c>.</param>
internal sealed record PolicyView(Guid ReviewId, uint Version, string Metadata, IReadOnlyList<string> ContentChannels, IReadOnlyList<PolicyStatementView> Statements)
{
    public static PolicyView Of(Guid reviewId, PolicyInfo info, IReadOnlyDictionary<string, byte[]>? cards) => new(
        reviewId, info.Version, info.Metadata, info.ContentChannels,
        [.. info.Statements.Select(s => new PolicyStatementView(s.Version, s.SignerDevice, s.StoredAt, Verify(reviewId, s, cards)))]);

    public void WriteText(TextWriter writer)
    {
        writer.WriteLine($"review    {ReviewId}");
        writer.WriteLine($"policy    version {Version}{(Version == 0 ? " (default: no statement signed yet)" : string.Empty)}");
        writer.WriteLine($"metadata  {Metadata}");
        writer.WriteLine($"content   {(ContentChannels.Count == 0 ? "none" : string.Join(", ", ContentChannels))}");
        foreach (var statement in Statements)
        {
            writer.WriteLine($"  v{statement.Version} {Times.Format(statement.StoredAt)}  signed by device {statement.SignerDevice}: {statement.Verified}");
        }
    }

    private static string Verify(Guid reviewId, PolicyStatementEntry entry, IReadOnlyDictionary<string, byte[]>? cards)
    {
        if (cards is null || !cards.TryGetValue(entry.SignerDevice, out var card) || !DevicePublicKeys.Decode(card).TryGetValue(out var keys, out _))
        {
            return "not-checked";
        }

        return DisclosurePolicyCodec.Verify(entry.Statement, keys).TryGetValue(out var statement, out _) && statement.Policy.ReviewId == reviewId && statement.Policy.Version == entry.Version
            ? "verified"
            : "invalid";
    }
}

/// <summary>One signed statement and whether this device could verify it.</summary>
internal sealed record PolicyStatementView(uint Version, string SignerDevice, DateTimeOffset StoredAt, string Verified);
