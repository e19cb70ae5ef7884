using System.Diagnostics;
using System.Text;
using SecureDialogue.Cli.Tests.Infrastructure;

namespace SecureDialogue.Cli.Tests.Scripts;

/// <summary>
/// <c>scripts/demo.sh</c> end to end, as a person runs it: it starts its own server with the given data directory,
/// plays the dialogue with four sdlg profiles, checks what each party saw, and must exit 0. The test then looks for
/// the request's text itself (never published), independently of the script's own check.
/// </summary>
[Collection(MessagingServerCollection.Name)]
public sealed class DemoScriptTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(10);
    private readonly string _data = Directory.CreateTempSubdirectory("sdlg-demo-data-").FullName;

    public void Dispose()
    {
        try
        {
            Directory.Delete(_data, recursive: true);
        }
        catch (IOException)
        {
            // Best effort.
        }
    }

    [Fact]
    public async Task Demo_WithDataAndText_ExitsZeroAndLeavesNoPlaintextInTheDataDirectory()
    {
        // Arrange
        var marker = "clarify-marker-" + Guid.NewGuid().ToString("N");
        var text = $"Please clarify how the confiscation regime applies to legal persons ({marker}).";

        // Act
        var (exitCode, output) = await RunAsync("scripts/demo.sh", "--no-build", "--data", _data, "--text", text, "--url", ClosedPort.Url());

        // Assert
        Assert.True(exitCode == 0, $"demo.sh exited {exitCode}:\n{output}");
        Assert.Contains("all 42 checks passed", output, StringComparison.Ordinal);
        Assert.Contains("ok    the answer's portal page shows the answer, marks the withheld segment, and lacks the annex", output, StringComparison.Ordinal);
        Assert.Contains("ok    sdlg verify publication accepts the portal's record download (exit 0)", output, StringComparison.Ordinal);
        Assert.Contains("ok    the record with one byte changed fails verification (exit 1)", output, StringComparison.Ordinal);
        Assert.Contains("ok    the bundle verifies offline against the pinned log key", output, StringComparison.Ordinal);
        Assert.Contains("ok    ana's decrypted transcript holds the dialogue and nothing of 'reviewers'", output, StringComparison.Ordinal);
        Assert.Contains("ok    the bundle with one byte changed fails verification (exit 1)", output, StringComparison.Ordinal);
        Assert.Contains($"        {text}", output, StringComparison.Ordinal);
        var files = Directory.EnumerateFiles(_data, "*", SearchOption.AllDirectories).ToList();
        Assert.Contains(files, f => f.EndsWith(".db", StringComparison.Ordinal));
        var needle = Encoding.UTF8.GetBytes(marker);
        foreach (var file in files)
        {
            var bytes = await File.ReadAllBytesAsync(file);
            Assert.True(bytes.AsSpan().IndexOf(needle) < 0, $"the text is in {file}");
        }
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string script, params string[] arguments)
    {
        var start = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepositoryRoot.Path,
        };
        start.ArgumentList.Add(Path.Combine(RepositoryRoot.Path, script));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["SDLG_BUILD_CONFIGURATION"] = RepositoryRoot.Configuration;
        start.Environment.Remove("SDLG_PROFILE");
        start.Environment.Remove("SDLG_PASSPHRASE");
        var output = new StringBuilder();
        using var process = new Process { StartInfo = start };
        void Collect(object sender, DataReceivedEventArgs e)
        {
            if (e.Data is not null)
            {
                lock (output)
                {
                    output.AppendLine(e.Data);
                }
            }
        }

        process.OutputDataReceived += Collect;
        process.ErrorDataReceived += Collect;
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var timeout = new CancellationTokenSource(Timeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{script} did not finish within {Timeout}:\n{output}");
        }

        process.WaitForExit();
        lock (output)
        {
            return (process.ExitCode, output.ToString());
        }
    }
}
