using System.Text.Json;
using SecureDialogue.Cli.Tests.Infrastructure;

namespace SecureDialogue.Cli.Tests.Commands.Archive;

/// <summary>
/// A correction and a retraction sealed by the real server and checked offline (docs/protocol.md 17.5, 21.3): the bundle
/// verifies with the amendment entries checked, and the member's transcript says what was corrected and retracted.
/// </summary>
[Collection(MessagingServerCollection.Name)]
public sealed class SealedBundleAmendmentTests(MessagingServer server) : IDisposable
{
    private readonly SdlgHarness _sdlg = new();

    public void Dispose() => _sdlg.Dispose();

    [Fact]
    public async Task SealVerifyDecrypt_CorrectionAndRetraction_VerifiedAndShownInTheTranscript()
    {
        // Arrange
        var scenario = await DialogueScenario.CreateAsync(_sdlg, server);
        (await scenario.RunAsync("ana", "send", "dialogue", "Teh central authority")).AssertOk();
        (await scenario.RunAsync("ana", "send", "dialogue", "The central authority", "--corrects", "dialogue:1")).AssertOk();
        (await scenario.RunAsync("ana", "retract", "dialogue:2")).AssertOk();
        var checkpoint = await scenario.RunAsync("ben", "archive", "checkpoint", "--json");
        using var view = JsonDocument.Parse(checkpoint.AssertOk().Out);
        var logKey = view.RootElement.GetProperty("logKeys")[0].GetString()!;

        // Act
        var sealedResult = await scenario.RunAsync("sam", "archive", "seal", "--json");
        using var receipt = JsonDocument.Parse(sealedResult.AssertOk().Out);
        var bundle = Path.Combine(_sdlg.Root, "review.sdlb");
        (await scenario.RunAsync("ben", "archive", "fetch", receipt.RootElement.GetProperty("name").GetString()!, "--out", bundle)).AssertOk();
        var verified = await _sdlg.RunAsync("verify", "bundle", bundle, "--log-key", logKey);
        var output = Path.Combine(_sdlg.Root, "decrypted");
        var decrypted = await _sdlg.RunAsAsync("ben", "verify", "bundle", bundle, "--decrypt", "--out", output, "--log-key", logKey);

        // Assert
        Assert.True(verified.ExitCode == 0, verified.Error + verified.Out);
        Assert.Contains("1 Correction", verified.Out, StringComparison.Ordinal);
        Assert.Contains("1 Retraction", verified.Out, StringComparison.Ordinal);
        Assert.True(decrypted.ExitCode == 0, decrypted.Error + decrypted.Out);
        var html = await File.ReadAllTextAsync(Path.Combine(output, "transcript.html"));
        Assert.Contains("corrected by its author", html, StringComparison.Ordinal);
        Assert.Contains("retracted by its author", html, StringComparison.Ordinal);
        Assert.Contains("The central authority", html, StringComparison.Ordinal);
    }
}
