using System.Diagnostics;
using Amazon.S3;
using SecureDialogue.Messaging.Blobs;

namespace SecureDialogue.Messaging.Tests.Blobs;

[CollectionDefinition(nameof(CephRgwFixture))]
public sealed class CephRgwCollection : ICollectionFixture<CephRgwFixture>;

/// <summary>
/// The real S3 server of the tests: Ceph RGW on 127.0.0.1 from scripts/s3.sh. Uses S3_ENDPOINT,
/// S3_ACCESS_KEY, S3_SECRET_KEY (and S3_REGION) when set (test.sh starts the gateway and sets them);
/// otherwise asks scripts/s3.sh for a running instance, and starts one (stopping it again at the end) if
/// there is none. One bucket per test run; each test store gets its own key prefix.
/// </summary>
public sealed class CephRgwFixture : IAsyncLifetime
{
    private bool _startedHere;

    internal S3BlobStoreOptions Options { get; private set; } = new();

    internal AmazonS3Client Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var settings = FromEnvironment() ?? Parse(await RunScriptAsync("env", allowFailure: true));
        if (settings is null)
        {
            _startedHere = true;
            settings = Parse(await RunScriptAsync("start", allowFailure: false))
                ?? throw new InvalidOperationException("scripts/s3.sh start printed no S3 settings.");
        }

        Options = new S3BlobStoreOptions
        {
            ServiceUrl = settings["S3_ENDPOINT"],
            AccessKey = settings["S3_ACCESS_KEY"],
            SecretKey = settings["S3_SECRET_KEY"],
            Region = settings.GetValueOrDefault("S3_REGION", "us-east-1"),
            Bucket = "sdlg-test-" + Guid.NewGuid().ToString("N")[..12],
            CreateBucket = true,
        };
        Client = S3BlobStore.CreateClient(Options);
    }

    public async Task DisposeAsync()
    {
        Client?.Dispose();
        if (_startedHere)
        {
            await RunScriptAsync("stop", allowFailure: true);
        }
    }

    private static Dictionary<string, string>? FromEnvironment()
    {
        var endpoint = Environment.GetEnvironmentVariable("S3_ENDPOINT");
        if (string.IsNullOrEmpty(endpoint))
        {
            return null;
        }

        return new Dictionary<string, string>
        {
            ["S3_ENDPOINT"] = endpoint,
            ["S3_ACCESS_KEY"] = Environment.GetEnvironmentVariable("S3_ACCESS_KEY") ?? string.Empty,
            ["S3_SECRET_KEY"] = Environment.GetEnvironmentVariable("S3_SECRET_KEY") ?? string.Empty,
            ["S3_REGION"] = Environment.GetEnvironmentVariable("S3_REGION") ?? "us-east-1",
        };
    }

    private static Dictionary<string, string>? Parse(string output)
    {
        var settings = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split('=', 2))
            .Where(pair => pair.Length == 2 && pair[0].StartsWith("S3_", StringComparison.Ordinal))
            .ToDictionary(pair => pair[0], pair => pair[1]);
        return settings.ContainsKey("S3_ENDPOINT") ? settings : null;
    }

    private static async Task<string> RunScriptAsync(string command, bool allowFailure)
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "SecureDialogue.sln")))
        {
            root = Path.GetDirectoryName(root) ?? throw new InvalidOperationException("Repository root not found.");
        }

        using var process = Process.Start(new ProcessStartInfo("bash", [Path.Combine(root, "scripts", "s3.sh"), command])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0 && !allowFailure)
        {
            throw new InvalidOperationException($"scripts/s3.sh {command} failed ({process.ExitCode}): {await error}");
        }

        return process.ExitCode == 0 ? await output : string.Empty;
    }
}
