using System.Text.Json;
using SecureDialogue.Cli.Tests.Infrastructure;

namespace SecureDialogue.Cli.Tests.Commands.Archive;

/// <summary>
/// Sealing end to end against the real server child process (embedded profile, local sealed store): a dialogue with a
/// document, sealed by the secretariat (<c>sdlg archive seal</c>), fetched by a member (<c>sdlg archive fetch</c>),
/// verified offline (<c>sdlg verify bundle</c>, the server's log key given), decrypted for that member (the transcript
/// holds the text and the document decrypts to its bytes); one byte changed fails verification (exit 1).
/// </summary>
[Collection(MessagingServerCollection.Name)]
public sealed class SealedBundleEndToEndTests(MessagingServer server) : IDisposable
{
    private readonly SdlgHarness _sdlg = new();

    public void Dispose() => _sdlg.Dispose();

    [Fact]
    public async Task SealFetchVerifyDecrypt_MemberReadsTheDialogueAndDocument_AChangedByteFails()
    {
        // Arrange: an answer, a question, a document.
        var scenario = await DialogueScenario.CreateAsync(_sdlg, server);
        (await scenario.RunAsync("ana", "send", "dialogue", "Réponse: the central authority is the Ministry of Justice.", "--language", "fr")).AssertOk();
        (await scenario.RunAsync("ben", "send", "dialogue", "Could you describe the central authority?")).AssertOk();
        var document = Path.Combine(_sdlg.Root, "annex.pdf");
        var content = new byte[50_000];
        new Random(5).NextBytes(content);
        await File.WriteAllBytesAsync(document, content);
        (await scenario.RunAsync("ana", "attach", "dialogue", document)).AssertOk();
        var checkpoint = await scenario.RunAsync("ben", "archive", "checkpoint", "--json");
        using var view = JsonDocument.Parse(checkpoint.AssertOk().Out);
        var logKey = view.RootElement.GetProperty("logKeys")[0].GetString()!;

        // Act
        var refused = await scenario.RunAsync("ben", "archive", "seal");
        var sealedResult = await scenario.RunAsync("sam", "archive", "seal", "--json");
        using var receipt = JsonDocument.Parse(sealedResult.AssertOk().Out);
        var name = receipt.RootElement.GetProperty("name").GetString()!;
        var listed = await scenario.RunAsync("chen", "archive", "bundles", "--json");
        var bundle = Path.Combine(_sdlg.Root, "review.sdlb");
        var fetched = await scenario.RunAsync("ben", "archive", "fetch", name, "--out", bundle, "--json");
        var verified = await _sdlg.RunAsync("verify", "bundle", bundle, "--log-key", logKey);
        var output = Path.Combine(_sdlg.Root, "decrypted");
        var decrypted = await _sdlg.RunAsAsync("ben", "verify", "bundle", bundle, "--decrypt", "--out", output, "--log-key", logKey);
        var bytes = await File.ReadAllBytesAsync(bundle);
        bytes[bytes.Length / 2] ^= 0x01;
        var changed = Path.Combine(_sdlg.Root, "changed.sdlb");
        await File.WriteAllBytesAsync(changed, bytes);
        var tampered = await _sdlg.RunAsync("verify", "bundle", changed, "--log-key", logKey);

        // Assert
        Assert.Equal(7, refused.ExitCode);
        Assert.Equal("ciphertexts", receipt.RootElement.GetProperty("attachments").GetString());
        Assert.Equal("Local", receipt.RootElement.GetProperty("backend").GetString());
        using var list = JsonDocument.Parse(listed.AssertOk().Out);
        Assert.Contains(list.RootElement.GetProperty("bundles").EnumerateArray(), b => b.GetProperty("name").GetString() == name);
        fetched.AssertOk();
        Assert.Equal(receipt.RootElement.GetProperty("sha256").GetString(),
            Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(await File.ReadAllBytesAsync(bundle))));
        Assert.True(verified.ExitCode == 0, verified.Error + verified.Out);
        Assert.StartsWith("valid:", verified.Out, StringComparison.Ordinal);
        Assert.True(decrypted.ExitCode == 0, decrypted.Error + decrypted.Out);
        var html = await File.ReadAllTextAsync(Path.Combine(output, "transcript.html"));
        Assert.Contains("Could you describe the central authority?", html, StringComparison.Ordinal);
        Assert.Contains("Réponse: the central authority is the Ministry of Justice.", html, StringComparison.Ordinal);
        var attachment = Assert.Single(Directory.GetFiles(Path.Combine(output, "attachments")));
        Assert.EndsWith("annex.pdf", attachment, StringComparison.Ordinal);
        Assert.Equal(content, await File.ReadAllBytesAsync(attachment));
        Assert.Equal(1, tampered.ExitCode);
    }
}
