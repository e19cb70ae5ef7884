using SecureDialogue.Cli.Passphrases;

namespace SecureDialogue.Cli;

/// <summary>
/// Everything a command reads from or writes to the outside world, so that tests run the CLI in-process:
/// the output and error writers, standard input, the environment variables, the terminal passphrase prompt
/// and the clock.
/// </summary>
internal sealed record CliContext
{
    /// <summary>Where results go (human text or JSON).</summary>
    public required TextWriter Out { get; init; }

    /// <summary>Where errors, warnings and prompts go.</summary>
    public required TextWriter Error { get; init; }

    /// <summary>Standard input (text read by <c>sdlg send -</c>). <value>Default: empty.</value></summary>
    public TextReader In { get; init; } = TextReader.Null;

    /// <summary>True when standard input is a terminal (so <c>send</c> without TEXT would wait for typing).</summary>
    public bool InputIsTerminal { get; init; }

    /// <summary>True when standard error is a terminal (transfers then draw one updating progress line instead of plain lines).</summary>
    public bool ErrorIsTerminal { get; init; }

    /// <summary>The clock. <value>Default: the system clock.</value></summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Reads an environment variable; <c>null</c> when it is not set.</summary>
    public required Func<string, string?> GetEnvironmentVariable { get; init; }

    /// <summary>The no-echo passphrase prompt, or <c>null</c> when standard input is not a terminal.</summary>
    public IPassphrasePrompt? Prompt { get; init; }

    /// <summary>The context of the running process: the console, the process environment, a prompt if interactive.</summary>
    public static CliContext FromProcess() => new()
    {
        Out = Console.Out,
        Error = Console.Error,
        In = Console.In,
        InputIsTerminal = !Console.IsInputRedirected,
        ErrorIsTerminal = !Console.IsErrorRedirected,
        GetEnvironmentVariable = Environment.GetEnvironmentVariable,
        Prompt = Console.IsInputRedirected ? null : new ConsolePassphrasePrompt(Console.Error),
    };

    /// <summary>Reports a failure as one line on the error writer and returns its exit code.</summary>
    public int Fail(CommandFailure failure)
    {
        Error.WriteLine($"sdlg: {OneLine(failure.Message)}");
        return failure.ExitCode;
    }

    /// <summary>Writes a warning line (<c>sdlg: warning: ...</c>) on the error writer.</summary>
    public void Warn(string message) => Error.WriteLine($"sdlg: warning: {OneLine(message)}");

    /// <summary>Reports a failure as one line on the error writer and returns its exit code.</summary>
    public int Fail(int exitCode, string message) => Fail(new CommandFailure(exitCode, message));

    private static string OneLine(string message) =>
        message.ReplaceLineEndings(" ").Trim();
}
