using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using SecureDialogue.Cli.Tests.Infrastructure;

namespace SecureDialogue.Cli.Tests.Verify;

/// <summary>
/// <c>sdlg verify publication</c> on the records of docs/test-vectors/publications.json: the genuine one (from a file
/// and from a URL served by an in-test HTTP listener on 127.0.0.1) and every tampered one.
/// </summary>
public sealed class VerifyPublicationCommandTests : IDisposable
{
    private static readonly JsonElement s_vectors = LoadVectors();

    private readonly SdlgHarness _sdlg = new();

    public void Dispose() => _sdlg.Dispose();

    public static TheoryData<string> VariantNames => [.. s_vectors.GetProperty("variants").EnumerateArray().Select(v => v.GetProperty("name").GetString()!)];

    private static string LogKey => s_vectors.GetProperty("inputs").GetProperty("log_verifier_key").GetString()!;

    private static string CosignerKey => s_vectors.GetProperty("inputs").GetProperty("cosigner_verifier_key").GetString()!;

    [Fact]
    public async Task Publication_GenuineRecord_Exit0ShowsDisclosedTextWithheldMarkerAndArchive()
    {
        // Arrange
        var file = Write("genuine.sdpub", Record(s_vectors));

        // Act
        var result = await _sdlg.RunAsync("verify", "publication", file, "--archive-key", LogKey, "--cosigner", CosignerKey, "--require-cosignatures", "1");

        // Assert
        Assert.True(result.ExitCode == 0, result.Out + result.Error);
        Assert.StartsWith("valid: questionnaire-response in fr, 3 of 4 segments disclosed", result.Out, StringComparison.Ordinal);
        Assert.Contains("Le point focal transmet les réponses de la Partie examinée.", result.Out, StringComparison.Ordinal);
        Assert.Contains("[1] [withheld by the publishing State]", result.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("Oui", result.Out, StringComparison.Ordinal);
        Assert.Contains("questionnaire-answer UNTOC-5.1", result.Out, StringComparison.Ordinal);
        Assert.Contains("document \"loi-2019-222.txt\", text/plain", result.Out, StringComparison.Ordinal);
        Assert.Contains("author:     AUT", result.Out, StringComparison.Ordinal);
        Assert.Contains("archived:   entry 1 (summary), received 2026-11-23 10:30:01Z", result.Out, StringComparison.Ordinal);
        Assert.Contains("checkpoint: 3 entries", result.Out, StringComparison.Ordinal);
        Assert.Contains("(trusted)", result.Out, StringComparison.Ordinal);
        Assert.Contains("audience public", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Publication_GenuineRecordJson_SegmentsStatusesAndCheckpoint()
    {
        var file = Write("genuine.sdpub", Record(s_vectors));

        var result = await _sdlg.RunAsync("--json", "verify", "publication", file, "--archive-key", LogKey);

        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(result.Out);
        var root = json.RootElement;
        Assert.True(root.GetProperty("valid").GetBoolean());
        Assert.Equal(["disclosed", "withheld", "disclosed", "disclosed"], root.GetProperty("segments").EnumerateArray().Select(s => s.GetProperty("status").GetString()));
        Assert.Equal(JsonValueKind.Null, root.GetProperty("segments")[1].GetProperty("text").ValueKind);
        Assert.Equal("fr", root.GetProperty("language").GetString());
        Assert.Equal(3, root.GetProperty("archive").GetProperty("treeSize").GetInt64());
        var cosignature = Assert.Single(root.GetProperty("archive").GetProperty("cosignatures").EnumerateArray());
        Assert.False(cosignature.GetProperty("trusted").GetBoolean());
        Assert.Equal("summary", root.GetProperty("archive").GetProperty("entryForm").GetString());
    }

    [Fact]
    public async Task Publication_WholeEnvelopeRecord_Exit0()
    {
        var file = Write("whole.sdpub", Record(s_vectors.GetProperty("whole_envelope")));

        var result = await _sdlg.RunAsync("verify", "publication", file, "--archive-key", LogKey);

        Assert.True(result.ExitCode == 0, result.Out + result.Error);
        Assert.Contains("archived:   entry 1 (whole-envelope)", result.Out, StringComparison.Ordinal);
        Assert.Contains("[1] [withheld by the publishing State]", result.Out, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(VariantNames))]
    public async Task Publication_TamperedRecord_Exit1NamingEachFailure(string name)
    {
        // Arrange
        var variant = s_vectors.GetProperty("variants").EnumerateArray().Single(v => v.GetProperty("name").GetString() == name);
        var file = Write(name + ".sdpub", Record(variant));
        var expected = variant.GetProperty("problems").EnumerateArray().Select(p => Kebab(p.GetProperty("failure").GetString()!)).ToList();

        // Act
        var text = await _sdlg.RunAsync("verify", "publication", file, "--archive-key", LogKey);
        var json = await _sdlg.RunAsync("--json", "verify", "publication", file, "--archive-key", LogKey);

        // Assert
        Assert.Equal(1, text.ExitCode);
        Assert.StartsWith("invalid:", text.Out, StringComparison.Ordinal);
        Assert.All(expected, failure => Assert.Contains($"({failure})", text.Out, StringComparison.Ordinal));
        Assert.DoesNotContain("Le point focal", text.Out, StringComparison.Ordinal);
        Assert.Equal(1, json.ExitCode);
        using var document = JsonDocument.Parse(json.Out);
        Assert.False(document.RootElement.GetProperty("valid").GetBoolean());
        Assert.Equal(expected, document.RootElement.GetProperty("problems").EnumerateArray().Select(p => p.GetProperty("failure").GetString()));
    }

    [Fact]
    public async Task Publication_SaveDocuments_WritesTheVerifiedFileOnceAndNeverForAnInvalidRecord()
    {
        // Arrange
        var file = Write("genuine.sdpub", Record(s_vectors));
        var tampered = Write("tampered.sdpub", Record(s_vectors.GetProperty("variants").EnumerateArray().Single(v => v.GetProperty("name").GetString() == "altered-document")));
        var directory = Path.Combine(_sdlg.Root, "documents");
        var other = Path.Combine(_sdlg.Root, "other");

        // Act
        var saved = await _sdlg.RunAsync("verify", "publication", file, "--archive-key", LogKey, "--save-documents", directory);
        var again = await _sdlg.RunAsync("verify", "publication", file, "--archive-key", LogKey, "--save-documents", directory);
        var refused = await _sdlg.RunAsync("verify", "publication", tampered, "--archive-key", LogKey, "--save-documents", other);

        // Assert
        Assert.True(saved.ExitCode == 0, saved.Error);
        var document = Path.Combine(directory, "3-loi-2019-222.txt");
        Assert.Equal(Convert.FromHexString(s_vectors.GetProperty("inputs").GetProperty("document").GetString()!), File.ReadAllBytes(document));
        Assert.Equal(1, again.ExitCode);
        Assert.Contains("cannot save", again.Error, StringComparison.Ordinal);
        Assert.Equal(1, refused.ExitCode);
        Assert.False(Directory.Exists(other));
    }

    [Fact]
    public async Task Publication_GenuineRecordForeignArchiveKey_Exit1NotSigned()
    {
        // Arrange: a well-formed verifier key, same key name, for another Ed25519 key (alice's device key).
        var file = Write("genuine.sdpub", Record(s_vectors));
        var foreign = VerifierKey("securedialogue-archive", Convert.FromHexString(Device("alice").GetProperty("signing_public_key").GetString()!));

        // Act
        var result = await _sdlg.RunAsync("verify", "publication", file, "--archive-key", foreign);

        // Assert
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("(checkpoint-not-signed)", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Publication_RequiredCosignerNotTrusted_Exit1NotCosigned()
    {
        var file = Write("genuine.sdpub", Record(s_vectors));

        var result = await _sdlg.RunAsync("verify", "publication", file, "--archive-key", LogKey, "--require-cosignatures", "1");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("(not-cosigned)", result.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--archive-key", "not-a-key")]
    [InlineData("--cosigner", "not-a-key")]
    [InlineData("--require-cosignatures", "-1")]
    public async Task Publication_BadOption_Exit2(string option, string value)
    {
        var file = Write("genuine.sdpub", Record(s_vectors));
        string[] args = option == "--archive-key"
            ? ["verify", "publication", file, option, value]
            : ["verify", "publication", file, "--archive-key", LogKey, option, value];

        var result = await _sdlg.RunAsync(args);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal(string.Empty, result.Out);
    }

    [Fact]
    public async Task Publication_NoArchiveKey_Exit2()
    {
        var file = Write("genuine.sdpub", Record(s_vectors));

        var result = await _sdlg.RunAsync("verify", "publication", file);

        Assert.Equal(2, result.ExitCode);
    }

    [Fact]
    public async Task Publication_MissingFile_Exit2()
    {
        var result = await _sdlg.RunAsync("verify", "publication", Path.Combine(_sdlg.Root, "nothing.sdpub"), "--archive-key", LogKey);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("no such file", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Publication_NotARecord_Exit1Malformed()
    {
        var truncated = Write("truncated.sdpub", Record(s_vectors)[..500]);
        var text = Write("text.sdpub", "this is not a publication record"u8.ToArray());

        var first = await _sdlg.RunAsync("verify", "publication", truncated, "--archive-key", LogKey);
        var second = await _sdlg.RunAsync("verify", "publication", text, "--archive-key", LogKey);

        Assert.Equal(1, first.ExitCode);
        Assert.Contains("(malformed)", first.Out, StringComparison.Ordinal);
        Assert.Equal(1, second.ExitCode);
        Assert.Contains("(unsupported-version)", second.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Publication_Url_DownloadsThenVerifiesOffline()
    {
        // Arrange: a one-route HTTP server on 127.0.0.1 serving the genuine record and a tampered one.
        var genuine = Record(s_vectors);
        var tampered = Record(s_vectors.GetProperty("variants")[0]);
        using var server = new RecordServer(new Dictionary<string, byte[]> { ["/p/genuine.sdpub"] = genuine, ["/p/tampered.sdpub"] = tampered });

        // Act
        var ok = await _sdlg.RunAsync("verify", "publication", server.Url("/p/genuine.sdpub"), "--archive-key", LogKey);
        var bad = await _sdlg.RunAsync("verify", "publication", server.Url("/p/tampered.sdpub"), "--archive-key", LogKey);
        var missing = await _sdlg.RunAsync("verify", "publication", server.Url("/p/none.sdpub"), "--archive-key", LogKey);

        // Assert
        Assert.True(ok.ExitCode == 0, ok.Out + ok.Error);
        Assert.StartsWith("valid:", ok.Out, StringComparison.Ordinal);
        Assert.Equal(1, bad.ExitCode);
        Assert.Equal(7, missing.ExitCode);
        Assert.Contains("HTTP 404", missing.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Publication_UrlNobodyListensOn_Exit6()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        var result = await _sdlg.RunAsync("verify", "publication", $"http://127.0.0.1:{port}/p.sdpub", "--archive-key", LogKey);

        Assert.Equal(6, result.ExitCode);
    }

    private string Write(string name, byte[] bytes)
    {
        var path = Path.Combine(_sdlg.Root, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static byte[] Record(JsonElement element) => Convert.FromHexString(element.GetProperty("record").GetString()!);

    private static string Kebab(string name) =>
        string.Concat(name.Select((c, i) => char.IsUpper(c) && i > 0 ? "-" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));

    /// <summary>A signed-note Ed25519 verifier key: <c>name+hex(SHA-256(name || 0x0A || 0x01 || key)[0..4])+base64(0x01 || key)</c>.</summary>
    private static string VerifierKey(string name, byte[] publicKey)
    {
        var id = System.Security.Cryptography.SHA256.HashData([.. System.Text.Encoding.UTF8.GetBytes(name), 0x0a, 0x01, .. publicKey]);
        return $"{name}+{Convert.ToHexStringLower(id.AsSpan(0, 4))}+{Convert.ToBase64String([0x01, .. publicKey])}";
    }

    private static JsonElement Device(string name)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryRoot.Path, "docs", "test-vectors", "devices.json")));
        return document.RootElement.GetProperty("devices").EnumerateArray().Single(d => d.GetProperty("name").GetString() == name).Clone();
    }

    private static JsonElement LoadVectors()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryRoot.Path, "docs", "test-vectors", "publications.json")));
        return document.RootElement.Clone();
    }

    /// <summary>Serves fixed bytes at fixed paths over HTTP on 127.0.0.1 (404 elsewhere) until disposed.</summary>
    private sealed class RecordServer : IDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly Task _loop;
        private readonly int _port;

        public RecordServer(Dictionary<string, byte[]> routes)
        {
            // HttpListener needs a fixed port: take a free one from the OS, retrying if another process grabs it first.
            for (var attempt = 0; ; attempt++)
            {
                using (var probe = new TcpListener(IPAddress.Loopback, 0))
                {
                    probe.Start();
                    _port = ((IPEndPoint)probe.LocalEndpoint).Port;
                    probe.Stop();
                }

                _listener.Prefixes.Clear();
                _listener.Prefixes.Add($"http://127.0.0.1:{_port}/");
                try
                {
                    _listener.Start();
                    break;
                }
                catch (HttpListenerException) when (attempt < 5)
                {
                }
            }

            _loop = Task.Run(async () =>
            {
                while (_listener.IsListening)
                {
                    HttpListenerContext context;
                    try
                    {
                        context = await _listener.GetContextAsync();
                    }
                    catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
                    {
                        return;
                    }

                    if (routes.TryGetValue(context.Request.Url!.AbsolutePath, out var body))
                    {
                        context.Response.ContentType = "application/vnd.securedialogue.publication";
                        context.Response.ContentLength64 = body.Length;
                        await context.Response.OutputStream.WriteAsync(body);
                    }
                    else
                    {
                        context.Response.StatusCode = 404;
                    }

                    context.Response.Close();
                }
            });
        }

        public string Url(string path) => $"http://127.0.0.1:{_port}{path}";

        public void Dispose()
        {
            _listener.Stop();
            _listener.Close();
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
    }
}
