using System.Text.Json;
using SecureDialogue.Cli.Tests.Infrastructure;
using SecureDialogue.Testing.Bundles;
using SecureDialogue.Vault.Archive;
using SecureDialogue.Vault.Keys;
using SecureDialogue.Vault.Keys.Store;

namespace SecureDialogue.Cli.Tests.Verify;

public sealed class VerifyBundleCommandTests : IAsyncLifetime, IDisposable
{
    private readonly SdlgHarness _sdlg = new();
    private BundleScenario _scenario = null!;
    private string _bundle = null!;

    public async Task InitializeAsync()
    {
        _scenario = await BundleScenario.CreateAsync(envelopes: 4);
        _bundle = Path.Combine(_sdlg.Root, "review.sdlb");
        await File.WriteAllBytesAsync(_bundle, await _scenario.WriteAsync());
    }

    public Task DisposeAsync()
    {
        _scenario.Dispose();
        return Task.CompletedTask;
    }

    public void Dispose() => _sdlg.Dispose();

    [Fact]
    public async Task Bundle_Valid_Exit0WithSummary()
    {
        var result = await _sdlg.RunAsync("verify", "bundle", _bundle);

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.StartsWith("valid:", result.Out, StringComparison.Ordinal);
        Assert.Contains(_scenario.Signer.LogKey().VerifierKey, result.Out, StringComparison.Ordinal);
        Assert.Contains("5 envelopes", result.Out, StringComparison.Ordinal);
        Assert.Contains("trust        3 statements", result.Out, StringComparison.Ordinal);
        Assert.Contains($"AUT's root {_scenario.Manager.Id} certifies device {_scenario.Expert.Id} of account {_scenario.ExpertAccount} as Expert with history", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bundle_Json_ReportsRootAndCounts()
    {
        var result = await _sdlg.RunAsync("--json", "verify", "bundle", _bundle, "--log-key", _scenario.Signer.LogKey().VerifierKey);

        Assert.True(result.ExitCode == 0, result.Error);
        using var json = JsonDocument.Parse(result.Out);
        Assert.True(json.RootElement.GetProperty("valid").GetBoolean());
        var summary = json.RootElement.GetProperty("summary");
        Assert.Equal(Convert.ToHexStringLower(_scenario.Checkpoints[^1].RootHash), summary.GetProperty("root").GetString());
        Assert.Equal(_scenario.TreeSize, summary.GetProperty("treeSize").GetInt64());
        Assert.True(summary.GetProperty("logKeysTrusted").GetBoolean());
        var trust = summary.GetProperty("trustStatements").EnumerateArray().ToList();
        Assert.Equal(["root", "certificate", "revocation"], trust.Select(t => t.GetProperty("kind").GetString()));
        Assert.Equal(BundleScenario.Nomination, trust[0].GetProperty("reference").GetString());
        Assert.Equal("Lost", trust[2].GetProperty("reason").GetString());
    }

    [Fact]
    public async Task Bundle_EnvelopeByteChanged_Exit1NamingTheEntry()
    {
        var bytes = await File.ReadAllBytesAsync(_bundle);
        var owners = await BundleScenario.EntryOwnersAsync(bytes);
        var envelope = _scenario.Entries.First(e => e.Kind == ArchiveEntryKind.Envelope).Index;
        var offset = Array.FindLastIndex(owners, o => o == envelope) - 70; // inside the envelope's ciphertext
        bytes[offset] ^= 0x80;
        await File.WriteAllBytesAsync(_bundle, bytes);

        var result = await _sdlg.RunAsync("--json", "verify", "bundle", _bundle);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"invalid bundle: entry {envelope}:", result.Error, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(result.Out);
        Assert.Equal("EnvelopeSignature", json.RootElement.GetProperty("failure").GetProperty("reason").GetString());
        Assert.Equal(envelope, json.RootElement.GetProperty("failure").GetProperty("entryIndex").GetInt64());
    }

    [Fact]
    public async Task Bundle_Truncated_Exit1()
    {
        var bytes = await File.ReadAllBytesAsync(_bundle);
        await File.WriteAllBytesAsync(_bundle, bytes[..^1]);

        var result = await _sdlg.RunAsync("verify", "bundle", _bundle);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("ends inside its seal", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bundle_UntrustedLogKey_Exit1()
    {
        using var published = CheckpointSigner.Create();

        var result = await _sdlg.RunAsync("verify", "bundle", _bundle, "--log-key", published.LogKey().VerifierKey);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("not trusted", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--decrypt")]
    [InlineData("--out", "x")]
    [InlineData("--log-key", "not-a-key")]
    public async Task Bundle_BadOptions_Exit2(params string[] options)
    {
        var result = await _sdlg.RunAsync(["verify", "bundle", _bundle, .. options]);

        Assert.Equal(2, result.ExitCode);
    }

    [Fact]
    public async Task Bundle_MissingFile_Exit2()
    {
        var result = await _sdlg.RunAsync("verify", "bundle", Path.Combine(_sdlg.Root, "none.sdlb"));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("no bundle file", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Decrypt_Member_WritesEscapedTranscriptWithDirectionAndAttachment()
    {
        WriteKeyStore("expert", _scenario.Expert);
        var output = Path.Combine(_sdlg.Root, "out");

        var result = await _sdlg.RunAsAsync("expert", "verify", "bundle", _bundle, "--decrypt", "--out", output);

        Assert.True(result.ExitCode == 0, result.Error);
        var html = await File.ReadAllTextAsync(Path.Combine(output, "transcript.html"));
        Assert.Contains("The review team thanks the State under review for its replies.", html, StringComparison.Ordinal);
        Assert.Contains("lang=\"ar\" dir=\"rtl\"", html, StringComparison.Ordinal);
        Assert.Contains("lang=\"fr\" dir=\"ltr\"", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html, StringComparison.Ordinal);
        Assert.Contains("Réponse complémentaire n° 3 &lt;b&gt;&amp;amp;&lt;/b&gt;", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Internal note of the reviewing experts", html, StringComparison.Ordinal);
        Assert.Contains("channel reviewers · from device " + _scenario.Manager.Id, html, StringComparison.Ordinal);
        Assert.Contains("not readable by this device", html, StringComparison.Ordinal);
        var attachment = Assert.Single(Directory.GetFiles(Path.Combine(output, "attachments")));
        Assert.EndsWith(BundleScenario.AttachmentFileName, attachment, StringComparison.Ordinal);
        Assert.Equal(_scenario.AttachmentPlaintext, await File.ReadAllBytesAsync(attachment));
        Assert.Contains("transcript:", result.Out, StringComparison.Ordinal);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(output, "transcript.html")));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(attachment));
        }
    }

    [Fact]
    public async Task Decrypt_ManagerReadsBothChannels()
    {
        WriteKeyStore("manager", _scenario.Manager);
        var output = Path.Combine(_sdlg.Root, "out");

        var result = await _sdlg.RunAsAsync("manager", "--json", "verify", "bundle", _bundle, "--decrypt", "--out", output);

        Assert.True(result.ExitCode == 0, result.Error);
        var html = await File.ReadAllTextAsync(Path.Combine(output, "transcript.html"));
        Assert.Contains("Internal note of the reviewing experts", html, StringComparison.Ordinal);
        Assert.DoesNotContain("not readable by this device", html, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(result.Out);
        Assert.Equal(5, json.RootElement.GetProperty("transcript").GetProperty("readable").GetInt64());
        Assert.Equal(0, json.RootElement.GetProperty("transcript").GetProperty("notReadable").GetInt64());
    }

    [Fact]
    public async Task SummaryLog_VerifiesAndDecryptsFromTheEnvelopesBeside_AChangedEnvelopeByteNamesItsEntry()
    {
        // Arrange: the same kind of log, recorded by summaries (docs/protocol.md 16.2.1): the bundle carries each envelope
        // in an Envelope record after its entry (17.1).
        using var scenario = await BundleScenario.CreateAsync(envelopes: 4, summaries: true);
        var path = Path.Combine(_sdlg.Root, "summaries.sdlb");
        var bytes = await scenario.WriteAsync();
        await File.WriteAllBytesAsync(path, bytes);
        WriteKeyStore("manager", scenario.Manager);
        var output = Path.Combine(_sdlg.Root, "out-summaries");
        var envelope = scenario.Entries.Last(e => e.Kind == ArchiveEntryKind.Envelope).Index;
        var beside = scenario.EnvelopeBeside(envelope)!.Encoded.ToArray();
        var tampered = Path.Combine(_sdlg.Root, "tampered.sdlb");
        var changed = (byte[])bytes.Clone();
        changed[bytes.AsSpan().IndexOf(beside) + beside.Length - 70] ^= 0x80; // inside the envelope's ciphertext
        await File.WriteAllBytesAsync(tampered, changed);

        // Act
        var verified = await _sdlg.RunAsync("--json", "verify", "bundle", path);
        var decrypted = await _sdlg.RunAsAsync("manager", "--json", "verify", "bundle", path, "--decrypt", "--out", output);
        var failed = await _sdlg.RunAsync("--json", "verify", "bundle", tampered);

        // Assert: the summaries hold no ciphertext; the envelopes beside them are checked and decrypted.
        Assert.True(verified.ExitCode == 0, verified.Error);
        Assert.All(scenario.Entries.Where(e => e.Kind == ArchiveEntryKind.Envelope), e => Assert.True(e.Payload.Length <= Vault.Envelopes.EnvelopeSummary.MaxEncodedSize));
        Assert.True(decrypted.ExitCode == 0, decrypted.Error);
        var html = await File.ReadAllTextAsync(Path.Combine(output, "transcript.html"));
        Assert.Contains("The review team thanks the State under review for its replies.", html, StringComparison.Ordinal);
        Assert.Contains("Internal note of the reviewing experts", html, StringComparison.Ordinal);
        Assert.Equal(BundleScenario.AttachmentFileName, Path.GetFileName(Assert.Single(Directory.GetFiles(Path.Combine(output, "attachments")))).Split('-', 2)[1]);
        using (var json = JsonDocument.Parse(decrypted.Out))
        {
            Assert.Equal(5, json.RootElement.GetProperty("transcript").GetProperty("readable").GetInt64());
        }

        Assert.Equal(1, failed.ExitCode);
        Assert.Contains($"invalid bundle: entry {envelope}:", failed.Error, StringComparison.Ordinal);
        using var failure = JsonDocument.Parse(failed.Out);
        Assert.Equal("EnvelopeMismatch", failure.RootElement.GetProperty("failure").GetProperty("reason").GetString());
        Assert.Equal(envelope, failure.RootElement.GetProperty("failure").GetProperty("entryIndex").GetInt64());
    }

    [Fact]
    public async Task Decrypt_NonMember_Exit1WithClearMessageAndNoTranscript()
    {
        WriteKeyStore("outsider", _scenario.Outsider);
        var output = Path.Combine(_sdlg.Root, "out");

        var result = await _sdlg.RunAsAsync("outsider", "verify", "bundle", _bundle, "--decrypt", "--out", output);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("not a member of any channel", result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(output, "transcript.html")));
        Assert.False(Directory.Exists(Path.Combine(output, "attachments")));
    }

    [Fact]
    public async Task Decrypt_NoKeyStore_Exit3()
    {
        var result = await _sdlg.RunAsAsync("nobody", "verify", "bundle", _bundle, "--decrypt", "--out", Path.Combine(_sdlg.Root, "out"));

        Assert.Equal(3, result.ExitCode);
    }

    private void WriteKeyStore(string profile, DeviceIdentity identity)
    {
        Directory.CreateDirectory(_sdlg.ProfileDirectory(profile));
        Assert.Equal(KeyStoreError.None, KeyStoreFile.Create(_sdlg.KeyStorePath(profile), identity, SdlgHarness.DefaultPassphrase, KdfParameters.Floor));
    }
}
