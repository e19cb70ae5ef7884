using SecureDialogue.Cli.Tests.Infrastructure;

namespace SecureDialogue.Cli.Tests;

public sealed class SdlgAppTests : IDisposable
{
    private readonly SdlgHarness _sdlg = new();

    public void Dispose() => _sdlg.Dispose();

    [Theory]
    [InlineData("frobnicate")]
    [InlineData("keys", "rotate")]
    [InlineData("keys", "show", "--bogus")]
    [InlineData]
    [InlineData("keys")]
    [InlineData("keys", "safety-number")]
    [InlineData("keys", "init", "--kdf-profile", "sensitive")]
    [InlineData("read")]
    [InlineData("send")]
    [InlineData("retract")]
    [InlineData("watch", "dialogue", "--since", "soon")]
    [InlineData("reviews", "create", "--title", "T")]
    [InlineData("devices", "trust")]
    public async Task RunAsync_BadCommandLine_ExitsWithUsageErrorOnOneLine(params string[] args)
    {
        // Act
        var result = await _sdlg.RunAsync(args);

        // Assert
        result.AssertOneLineError(ExitCodes.Usage);
        Assert.Contains("--help", result.Error, StringComparison.Ordinal);
        Assert.Empty(result.Out);
    }

    [Fact]
    public async Task RunAsync_UnknownCommand_NamesIt()
    {
        // Act
        var result = await _sdlg.RunAsync("frobnicate");

        // Assert
        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("'frobnicate'", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "--help" }, "keys")]
    [InlineData(new[] { "keys", "--help" }, "safety-number")]
    [InlineData(new[] { "keys", "init", "--help" }, "--kdf-profile")]
    [InlineData(new[] { "keys", "show", "--help" }, "fingerprint")]
    [InlineData(new[] { "keys", "safety-number", "--help" }, "PEER_KEY")]
    [InlineData(new[] { "login", "--help" }, "--dev-user")]
    [InlineData(new[] { "whoami", "--help" }, "signed in")]
    [InlineData(new[] { "reviews", "create", "--help" }, "SUBJECT:STATE:ROLE")]
    [InlineData(new[] { "reviews", "show", "--help" }, "REVIEW")]
    [InlineData(new[] { "read", "--help" }, "--since")]
    [InlineData(new[] { "send", "--help" }, "request-for-clarification")]
    [InlineData(new[] { "send", "--help" }, "--corrects")]
    [InlineData(new[] { "retract", "--help" }, "CHANNEL:SEQUENCE")]
    [InlineData(new[] { "watch", "--help" }, "Ctrl-C")]
    [InlineData(new[] { "devices", "trust", "--help" }, "--safety-number")]
    public async Task RunAsync_Help_DescribesTheCommandAndItsOptions(string[] args, string expected)
    {
        // Act
        var result = await _sdlg.RunAsync(args);

        // Assert
        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        Assert.Contains(expected, result.Out, StringComparison.Ordinal);
        Assert.Contains("--profile", result.Out, StringComparison.Ordinal);
        Assert.Contains("--json", result.Out, StringComparison.Ordinal);
        Assert.Empty(result.Error);
    }

    [Fact]
    public void CreateRootCommand_EveryCommandAndOption_HasADescription()
    {
        // Arrange
        var root = SdlgApp.CreateRootCommand(new CliContext { Out = TextWriter.Null, Error = TextWriter.Null, GetEnvironmentVariable = _ => null });

        // Act
        var missing = new List<string>();
        void Visit(System.CommandLine.Command command)
        {
            if (string.IsNullOrWhiteSpace(command.Description))
            {
                missing.Add(command.Name);
            }

            missing.AddRange(command.Options.Where(o => string.IsNullOrWhiteSpace(o.Description)).Select(o => $"{command.Name} {o.Name}"));
            missing.AddRange(command.Arguments.Where(a => string.IsNullOrWhiteSpace(a.Description)).Select(a => $"{command.Name} {a.Name}"));
            foreach (var sub in command.Subcommands)
            {
                Visit(sub);
            }
        }

        Visit(root);

        // Assert
        Assert.Empty(missing);
    }
}
