using System.Security.Cryptography;
using System.Text.Json;
using SecureDialogue.Cli.Tests.Infrastructure;

namespace SecureDialogue.Cli.Tests.Commands.Attachments;

/// <summary>
/// <c>sdlg attach</c> and <c>sdlg download</c> against the real server (embedded profile, local blob folder), including a
/// server whose stored blob was altered, cut or swapped with another document's: the download fails verification (exit 8)
/// and nothing appears at the destination.
/// </summary>
[Collection(MessagingServerCollection.Name)]
public sealed class AttachCommandTests(MessagingServer server) : IDisposable
{
    private readonly SdlgHarness _sdlg = new();

    public void Dispose() => _sdlg.Dispose();

    [Fact]
    public async Task AttachThenDownload_ReaderGetsTheSameBytesNameAndType()
    {
        // Arrange
        var scenario = await DialogueScenario.CreateAsync(_sdlg, server);
        var source = WriteFile("Réponse au questionnaire.pdf", 300_000);
        var target = Path.Combine(_sdlg.Root, "downloads");
        Directory.CreateDirectory(target);

        // Act
        var attached = await scenario.RunAsync("ana", "attach", "dialogue", source, "--json");
        var read = await scenario.RunAsync("ben", "read", "dialogue", "--json");
        var downloaded = await scenario.RunAsync("ben", "download", "dialogue:1", "--out", target, "--json");

        // Assert
        attached.AssertOk();
        using var sent = JsonDocument.Parse(attached.Out);
        Assert.Equal("dialogue:1", sent.RootElement.GetProperty("item").GetString());
        Assert.Equal("application/pdf", sent.RootElement.GetProperty("mediaType").GetString());
        Assert.Equal(300_000, sent.RootElement.GetProperty("size").GetInt64());
        Assert.True(sent.RootElement.GetProperty("storedSize").GetInt64() > 300_000);
        Assert.Contains("sdlg: uploading 100%", attached.Error, StringComparison.Ordinal);
        using var items = JsonDocument.Parse(read.AssertOk().Out);
        var attachment = items.RootElement.GetProperty("items")[0].GetProperty("attachment");
        Assert.Equal("Réponse au questionnaire.pdf", attachment.GetProperty("fileName").GetString());
        Assert.Equal("document", items.RootElement.GetProperty("items")[0].GetProperty("kind").GetString());
        downloaded.AssertOk();
        var path = Path.Combine(target, "Réponse au questionnaire.pdf");
        Assert.Equal(await File.ReadAllBytesAsync(source), await File.ReadAllBytesAsync(path));
        Assert.Equal([path], Directory.GetFiles(target));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }
    }

    [Theory]
    [InlineData("flip")]
    [InlineData("truncate")]
    [InlineData("extend")]
    [InlineData("swap")]
    public async Task Download_ServerAlteredTheStoredBlob_Exit8AndNothingAtTheDestination(string tampering)
    {
        // Arrange: two documents; then the server's copy of the first is altered (or replaced by the second).
        var scenario = await DialogueScenario.CreateAsync(_sdlg, server);
        (await scenario.RunAsync("ana", "attach", "dialogue", WriteFile("first.pdf", 200_000), "--json")).AssertOk();
        var second = await scenario.RunAsync("ana", "attach", "dialogue", WriteFile("second.pdf", 200_000), "--json");
        using var secondJson = JsonDocument.Parse(second.AssertOk().Out);
        var firstBlob = BlobPath(JsonDocument.Parse((await scenario.RunAsync("ana", "read", "dialogue", "--json")).Out)
            .RootElement.GetProperty("items")[0].GetProperty("attachment").GetProperty("blobId").GetString()!);
        var secondBlob = BlobPath(secondJson.RootElement.GetProperty("blobId").GetString()!);
        var bytes = await File.ReadAllBytesAsync(firstBlob);
        switch (tampering)
        {
            case "flip":
                bytes[bytes.Length / 2] ^= 0x01;
                break;
            case "truncate":
                bytes = bytes[..^17];
                break;
            case "extend":
                bytes = [.. bytes, 0];
                break;
            case "swap":
                bytes = await File.ReadAllBytesAsync(secondBlob);
                break;
        }

        await File.WriteAllBytesAsync(firstBlob, bytes);
        var target = Path.Combine(_sdlg.Root, "out.pdf");

        // Act
        var downloaded = await scenario.RunAsync("ben", "download", "dialogue:1", "--out", target);

        // Assert
        Assert.Equal(8, downloaded.ExitCode);
        Assert.Equal(8, downloaded.ExitCode);
        var last = downloaded.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1];
        Assert.Matches("^sdlg: .*(does not verify|not the sender's file)", last);
        Assert.False(File.Exists(target));
        Assert.Empty(Directory.GetFiles(_sdlg.Root, ".out.pdf*"));
    }

    [Fact]
    public async Task Download_InterruptedEarlier_ResumesFromTheSavedBytes_AndACorruptSavePartIsDiscarded()
    {
        // Arrange: what an interrupted download leaves: the first 300 000 ciphertext bytes beside the destination.
        var scenario = await DialogueScenario.CreateAsync(_sdlg, server);
        var source = WriteFile("report.pdf", 700_000);
        var attached = await scenario.RunAsync("ana", "attach", "dialogue", source, "--json");
        using var json = JsonDocument.Parse(attached.AssertOk().Out);
        var blobId = json.RootElement.GetProperty("blobId").GetString()!;
        var blob = await File.ReadAllBytesAsync(BlobPath(blobId));
        var target = Path.Combine(_sdlg.Root, "got.pdf");
        var saved = Path.Combine(_sdlg.Root, $".got.pdf.{blobId[..16]}.sdlg-download");
        var corrupt = (byte[])blob[..300_000].Clone();
        corrupt[1000] ^= 0x80;
        await File.WriteAllBytesAsync(saved, corrupt);

        // Act
        var refused = await scenario.RunAsync("ben", "download", "dialogue:1", "--out", target);
        var savedAfterRefusal = File.Exists(saved);
        var targetAfterRefusal = File.Exists(target);
        await File.WriteAllBytesAsync(saved, blob[..300_000]);
        var resumed = await scenario.RunAsync("ben", "download", "dialogue:1", "--out", target, "--json");

        // Assert
        Assert.Equal(8, refused.ExitCode);
        Assert.False(savedAfterRefusal);
        Assert.False(targetAfterRefusal);
        using var result = JsonDocument.Parse(resumed.AssertOk().Out);
        Assert.Equal(300_000, result.RootElement.GetProperty("resumedBytes").GetInt64());
        Assert.Contains("resumed at", resumed.Error, StringComparison.Ordinal);
        Assert.Equal(await File.ReadAllBytesAsync(source), await File.ReadAllBytesAsync(target));
        Assert.False(File.Exists(saved));
    }

    [Fact]
    public async Task Download_Refusals_ClearMessagesAndExitCodes()
    {
        // Arrange
        var scenario = await DialogueScenario.CreateAsync(_sdlg, server);
        (await scenario.RunAsync("ana", "send", "dialogue", "just text")).AssertOk();
        (await scenario.RunAsync("ana", "attach", "dialogue", WriteFile("a.txt", 1000))).AssertOk();
        var existing = WriteFile("exists.txt", 10);

        // Act
        var badItem = await scenario.RunAsync("ben", "download", "dialogue", "--out", _sdlg.Root);
        var textItem = await scenario.RunAsync("ben", "download", "dialogue:1", "--out", _sdlg.Root);
        var noItem = await scenario.RunAsync("ben", "download", "dialogue:99", "--out", _sdlg.Root);
        var exists = await scenario.RunAsync("ben", "download", "dialogue:2", "--out", existing);
        var forced = await scenario.RunAsync("ben", "download", "dialogue:2", "--out", existing, "--force");

        // Assert
        badItem.AssertOneLineError(2);
        textItem.AssertOneLineError(1);
        Assert.Contains("carries no attachment", textItem.Error, StringComparison.Ordinal);
        Assert.Equal(1, noItem.ExitCode);
        Assert.Equal(1, exists.ExitCode);
        Assert.Contains("--force", exists.Error, StringComparison.Ordinal);
        forced.AssertOk();
        Assert.Equal(1000, new FileInfo(existing).Length);
    }

    [Fact]
    public async Task Attach_Refusals_ObserverAndMissingFile()
    {
        // Arrange
        var scenario = await DialogueScenario.CreateAsync(_sdlg, server, withObserver: true);
        (await scenario.RunAsync("ana", "read", "dialogue")).AssertOk();
        var file = WriteFile("note.txt", 100);

        // Act
        var observer = await scenario.RunAsync("oscar", "attach", "dialogue", file);
        var missing = await scenario.RunAsync("ana", "attach", "dialogue", Path.Combine(_sdlg.Root, "nope.pdf"));

        // Assert
        Assert.Equal(7, observer.ExitCode);
        Assert.Contains("observers", observer.Error, StringComparison.Ordinal);
        Assert.Equal(1, missing.ExitCode);
    }

    private string BlobPath(string blobId) => Path.Combine(server.DataDirectory, "blobs", "blobs", blobId[..2], blobId);

    private string WriteFile(string name, int length)
    {
        var path = Path.Combine(_sdlg.Root, name);
        File.WriteAllBytes(path, RandomNumberGenerator.GetBytes(length));
        return path;
    }
}
