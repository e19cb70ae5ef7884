using System.Text.Json;
using SecureDialogue.Cli.Tests.Infrastructure;

namespace SecureDialogue.Cli.Tests.Commands.Publication;

/// <summary>
/// <c>sdlg publish</c>, <c>publications list</c> and <c>publish --withdraw</c> against the real server child process:
/// the focal point of the State under review publishes one segment of a two-segment answer; the record downloaded from
/// the portal verifies offline and holds nothing of the withheld segment; a reviewing State's focal point and the
/// secretariat are refused (exit 7); usage errors exit 2.
/// </summary>
[Collection(MessagingServerCollection.Name)]
public sealed class PublishCommandTests(MessagingServer server) : IDisposable
{
    private readonly SdlgHarness _sdlg = new();

    public void Dispose() => _sdlg.Dispose();

    [Fact]
    public async Task Publish_FocalPointOfStateUnderReview_OneSegment_RecordVerifiesFromThePortal_OthersRefused_Withdraw()
    {
        // Arrange: ana (NAM, under review) answers in two segments; the second must stay confidential.
        var scenario = await DialogueScenario.CreateAsync(_sdlg, server);
        var secret = "Annex, not for publication " + Guid.NewGuid().ToString("N")[..10];
        (await scenario.RunAsync("ana", "send", "dialogue", "Article 5 is implemented by section 12.", "--segment", secret, "--kind", "questionnaire-response")).AssertOk();
        var checkpoint = await scenario.RunAsync("ben", "archive", "checkpoint", "--json");
        using var view = JsonDocument.Parse(checkpoint.AssertOk().Out);
        var logKey = view.RootElement.GetProperty("logKeys")[0].GetString()!;

        // Act
        var noAudience = await scenario.RunAsync("ana", "publish", "dialogue:1");
        var beyond = await scenario.RunAsync("ana", "publish", "dialogue:1", "--segments", "0,5", "--audience", "public");
        var byReviewer = await scenario.RunAsync("ben", "publish", "dialogue:1", "--audience", "public");
        var published = await scenario.RunAsync("ana", "publish", "dialogue:1", "--segments", "0", "--audience", "public", "--json");
        using var entry = JsonDocument.Parse(published.AssertOk().Out);
        var id = entry.RootElement.GetProperty("publicationId").GetString()!;
        var recordUrl = entry.RootElement.GetProperty("recordUrl").GetString()!;
        var verified = await _sdlg.RunAsync("verify", "publication", recordUrl, "--archive-key", logKey, "--json");
        var listed = await scenario.RunAsync("chen", "publications", "list", "--json");
        var withdrawBySecretariat = await scenario.RunAsync("sam", "publish", "--withdraw", id);
        var withdrawn = await scenario.RunAsync("ana", "publish", "--withdraw", id, "--json");

        // Assert
        Assert.Equal(2, noAudience.ExitCode);
        Assert.Equal(2, beyond.ExitCode);
        Assert.True(byReviewer.ExitCode == 7, byReviewer.Error);
        Assert.Equal([0], entry.RootElement.GetProperty("disclosed").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal([1], entry.RootElement.GetProperty("withheld").EnumerateArray().Select(e => e.GetInt32()));
        Assert.EndsWith($"/publications/{id}/record.sdpub", recordUrl, StringComparison.Ordinal);
        Assert.True(verified.ExitCode == 0, verified.Error + verified.Out);
        Assert.Contains("Article 5 is implemented by section 12.", verified.Out, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, verified.Out, StringComparison.Ordinal);
        using (var http = new HttpClient())
        {
            var record = await http.GetByteArrayAsync(recordUrl);
            Assert.True(record.AsSpan().IndexOf(System.Text.Encoding.UTF8.GetBytes(secret)) < 0);

            // The review's log records summaries, so the record has entry form 1: no ciphertext (docs/protocol.md 18.6).
            var decoded = Vault.Publication.PublicationRecord.Decode(record).Value!;
            Assert.Equal(Vault.Publication.EnvelopeEntryForm.Summary, decoded.Archive.Form);
            Assert.True(decoded.Archive.Ciphertext.IsEmpty);
        }

        using var list = JsonDocument.Parse(listed.AssertOk().Out);
        Assert.Equal(id, Assert.Single(list.RootElement.GetProperty("publications").EnumerateArray()).GetProperty("publicationId").GetString());
        Assert.Equal(7, withdrawBySecretariat.ExitCode);
        using var after = JsonDocument.Parse(withdrawn.AssertOk().Out);
        Assert.Equal(JsonValueKind.String, after.RootElement.GetProperty("withdrawnAt").ValueKind);
    }
}
