using System.Net;
using System.Net.Http.Json;
using System.Reflection;
using System.Security.Cryptography;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.Logging;
using SecureDialogue.Client.Transport;
using SecureDialogue.Contracts;
using SecureDialogue.Messaging.Tests.Infrastructure;
using SecureDialogue.Vault.Channels;
using SecureDialogue.Vault.Envelopes;
using SecureDialogue.Vault.Keys;

namespace SecureDialogue.Messaging.Tests.Dialogue;

/// <summary>
/// Security bar 19, on each engine: after a scripted dialogue whose every item seals a unique plaintext marker (and a few
/// refused attempts that send it in the clear), everything the server stored and logged (<see cref="MetadataAudit"/>)
/// holds the marker in no encoding, and only the tables, columns, files and log events docs/threat-model.md section 8
/// allows. Each test runs its own server, so the snapshot holds this dialogue only.
/// </summary>
public abstract class MetadataAuditTests : IAsyncLifetime
{
    private readonly string _marker = "sdlg-audit-marker-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
    private MessagingHost _host = null!;

    protected abstract Task<MessagingHost> StartHostAsync();

    public async Task InitializeAsync() => _host = await StartHostAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Snapshot_AfterScriptedDialogue_HoldsTheMarkerInNoEncodingAnywhere()
    {
        // Arrange
        using var review = await ReviewScenario.CreateAsync(_host);
        var opened = await PlayDialogueAsync(review);

        // Act
        var audit = await MetadataAudit.TakeAsync(_host);

        // Assert: the members read the marker, so it did pass through the server, sealed; the same search finds what
        // the server does store (the review's title, a device card): it is not blind; it finds no marker.
        Assert.Equal(4, opened.Count);
        Assert.All(opened, text => Assert.Contains(_marker, text, StringComparison.Ordinal));
        Assert.Contains("reviews.title (utf-8)", audit.Find($"Review of AUT"));
        Assert.Contains("devices.card (raw)", audit.FindBytes(review.Alice.Device.PublicKeys.Encode()));
        Assert.True(audit.Counts.Rows > 20 && audit.Counts.LogEntries > 10, audit.Counts.ToString());
        Assert.Empty(audit.Find(_marker));
    }

    [Fact]
    public async Task Snapshot_AfterScriptedDialogue_OnlyAllowListedTablesColumnsAndFiles()
    {
        // Arrange
        using var review = await ReviewScenario.CreateAsync(_host);
        await PlayDialogueAsync(review);

        // Act
        var audit = await MetadataAudit.TakeAsync(_host);

        // Assert
        Assert.Equal(StorageAllowList.Columns.Keys.Order(StringComparer.Ordinal), audit.Columns.Keys.Order(StringComparer.Ordinal));
        Assert.All(StorageAllowList.Columns, table => Assert.Equal(table.Value.Order(StringComparer.Ordinal), audit.Columns[table.Key].Order(StringComparer.Ordinal)));
        Assert.All(audit.Files, file => Assert.Contains(file, StorageAllowList.DataFiles));
    }

    [Fact]
    public async Task Logs_AfterScriptedDialogue_OnlyDefinedEventsWithoutSubjectsTokensOrTitles()
    {
        // Arrange: section 8 row S7: event ids, types, lengths, ids, numbers and codes; never bodies, keys, tokens or
        // subjects. Everything the server logs itself is a [LoggerMessage] definition; framework logs only warnings up.
        using var review = await ReviewScenario.CreateAsync(_host);
        await PlayDialogueAsync(review);
        var defined = typeof(Program).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.DeclaredOnly))
            .Select(m => m.GetCustomAttribute<LoggerMessageAttribute>())
            .OfType<LoggerMessageAttribute>()
            .Select(a => a.EventId)
            .ToHashSet();
        var participants = new[] { review.Secretariat, review.Alice, review.Olga, review.Bob, review.Carol, review.Mallory };
        var secrets = participants.SelectMany(p => new[] { p.User, p.Token, p.Token.Split('.')[2], Convert.ToBase64String(p.Device.PublicKeys.Encode()) })
            .Append("Review of AUT")
            .Append("eyJ")
            .ToList();

        // Act
        var entries = _host.Logs.Entries;

        // Assert
        Assert.True(defined.Count > 10, $"{defined.Count} [LoggerMessage] definitions found");
        Assert.Contains(entries, e => e.EventId.Id == 501);
        Assert.All(entries.Where(e => e.Category.StartsWith("SecureDialogue.", StringComparison.Ordinal)), e => Assert.Contains(e.EventId.Id, defined));
        Assert.All(entries.Where(e => !e.Category.StartsWith("SecureDialogue.", StringComparison.Ordinal) && e.Category != "Microsoft.Hosting.Lifetime"),
            e => Assert.True(e.Level >= LogLevel.Warning, e.ToString()));
        Assert.DoesNotContain(entries, e => e.Level >= LogLevel.Error);
        Assert.All(entries, e => Assert.DoesNotContain(secrets, s => e.ToString().Contains(s, StringComparison.Ordinal)));
    }

    /// <summary>
    /// The script: Alice (State under review) answers over HTTP, Bob asks over the hub, Carol writes to the reviewers,
    /// Bob rotates the reviewers' epoch and writes again; refused on the way: the observer's post, an outsider's, and two
    /// bodies that are the marker in the clear instead of an envelope (HTTP and hub). Olga and Carol then fetch and open
    /// what they read. Returns the texts they opened.
    /// </summary>
    private async Task<List<string>> PlayDialogueAsync(ReviewScenario review)
    {
        await PostAsync(review, review.Alice, ReviewScenario.Seal(review.Alice, review.DialogueKey!, 1, $"Answer. {_marker}"), HttpStatusCode.OK);
        await using (var bob = new HubConnectionBuilder().WithWebSocketUrl(_host.HubUrl, _ => ValueTask.FromResult<string?>(review.Bob.Token)).Build())
        {
            await bob.StartAsync();
            await bob.InvokeAsync<JoinedReview>(DialogueHubContract.JoinReview, review.ReviewId);
            var question = ReviewScenario.Seal(review.Bob, review.DialogueKey!, 1, $"Please clarify. {_marker}").Encoded.ToArray();
            await bob.InvokeAsync<SendAck>(DialogueHubContract.Send, new SendEnvelope(review.ReviewId, "dialogue", question));
            var clear = System.Text.Encoding.UTF8.GetBytes($"In the clear: {_marker}");
            await Assert.ThrowsAsync<HubException>(() => bob.InvokeAsync<SendAck>(DialogueHubContract.Send, new SendEnvelope(review.ReviewId, "dialogue", clear)));
        }

        await PostAsync(review, review.Carol, ReviewScenario.Seal(review.Carol, review.ReviewersKey!, 1, $"Between reviewers. {_marker}"), HttpStatusCode.OK);
        var (next, nextKey) = EpochRecordBuilder.Next(review.Bob.Device, review.ReviewersRecord!,
            [.. review.ReviewersRecord!.Members.Select(m => new MemberDevice(m.Device, m.MayManage))], DateTimeOffset.FromUnixTimeSeconds(1_800_000_100));
        using (nextKey)
        {
            using var added = await review.AddEpochAsync(review.Bob, "reviewers", next.Encoded.ToArray());
            Assert.Equal(HttpStatusCode.Created, added.StatusCode);
            await PostAsync(review, review.Bob, ReviewScenario.Seal(review.Bob, nextKey, 2, $"After rotation. {_marker}"), HttpStatusCode.OK);
        }

        await PostAsync(review, review.Olga, ReviewScenario.Seal(review.Olga, review.DialogueKey!, 1, $"Observer. {_marker}"), HttpStatusCode.Forbidden);
        await PostAsync(review, review.Mallory, ReviewScenario.Seal(review.Mallory, review.DialogueKey!, 1, $"Outsider. {_marker}"), HttpStatusCode.Forbidden);
        using (var clear = await review.PostEnvelopeAsync(review.Alice, "dialogue", System.Text.Encoding.UTF8.GetBytes($"In the clear: {_marker}")))
        {
            Assert.Equal(HttpStatusCode.BadRequest, clear.StatusCode);
        }

        return [.. await OpenAsync(review, review.Olga, ChannelId.Dialogue, review.Alice.Device.Id), .. await OpenAsync(review, review.Carol, ChannelId.Reviewers, review.Bob.Device.Id)];
    }

    private static async Task PostAsync(ReviewScenario review, Participant sender, Envelope envelope, HttpStatusCode expected)
    {
        using var response = await review.PostEnvelopeAsync(sender, envelope);
        Assert.Equal(expected, response.StatusCode);
    }

    /// <summary>What a member reads in a channel: the chain from the server, its keys, every item opened and verified.</summary>
    private static async Task<List<string>> OpenAsync(ReviewScenario review, Participant reader, ChannelId channel, DeviceId opener)
    {
        var chain = new EpochChain(review.ReviewId, channel, [opener]);
        using var keyring = new ChannelKeyring(reader.Device, chain);
        var records = await reader.Http.GetFromJsonAsync<List<EpochRecordEntry>>(HttpRoutes.EpochsOf(review.ReviewId, channel.Value));
        foreach (var entry in records!)
        {
            var record = chain.Accept(entry.Record);
            Assert.True(record.IsSuccess, record.ToString());
            Assert.True(keyring.Unlock(record.Value!).IsSuccess);
        }

        var page = await review.PageAsync(reader, channel.Value);
        return [.. page.Items.Select(item => EnvelopeOpener.Open(item.Envelope, keyring)).Select(opened => opened.Value!.Text)];
    }
}

/// <summary>The audit's search itself: a marker wrapped into longer values in each encoding is found.</summary>
public sealed class MetadataAuditSearchTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(7)]
    public void Find_MarkerInsideLongerEncodedValues_FoundInEveryEncodingAndAlignment(int prefixLength)
    {
        // Arrange
        const string marker = "sdlg-audit-marker-0123456789abcdef";
        var wrapped = System.Text.Encoding.UTF8.GetBytes(new string('p', prefixLength) + marker + "suffix");
        var audit = MetadataAudit.Of(
            ("utf-8", wrapped),
            ("utf-16", System.Text.Encoding.Unicode.GetBytes(System.Text.Encoding.UTF8.GetString(wrapped))),
            ("hex", System.Text.Encoding.ASCII.GetBytes(Convert.ToHexString(wrapped))),
            ("base64", System.Text.Encoding.ASCII.GetBytes(Convert.ToBase64String(wrapped))),
            ("base64url", System.Text.Encoding.ASCII.GetBytes(Convert.ToBase64String(wrapped).Replace('+', '-').Replace('/', '_'))),
            ("clean", System.Text.Encoding.UTF8.GetBytes("sdlg-audit-marker-0123456789abcdeX")));

        // Act
        var found = audit.Find(marker).Select(f => f[..f.IndexOf(' ', StringComparison.Ordinal)]).Distinct().Order(StringComparer.Ordinal);

        // Assert
        Assert.Equal(["base64", "base64url", "hex", "utf-16", "utf-8"], found);
    }
}

public sealed class MetadataAuditSqliteTests : MetadataAuditTests
{
    protected override Task<MessagingHost> StartHostAsync() => MessagingHost.StartAsync(Engine.Sqlite);
}

[Collection(PostgresCollection.Name)]
public sealed class MetadataAuditPostgresTests(PostgresFixture postgres) : MetadataAuditTests
{
    protected override Task<MessagingHost> StartHostAsync() => MessagingHost.StartAsync(Engine.Postgres, postgres);
}
