using System.CommandLine;
using System.CommandLine.Invocation;
using SecureDialogue.Cli.Commands.Account;
using SecureDialogue.Cli.Commands.Attachments;
using SecureDialogue.Cli.Commands.Devices;
using SecureDialogue.Cli.Commands.Dialogue;
using SecureDialogue.Cli.Commands.Keys;
using SecureDialogue.Cli.Commands.Mechanism;
using SecureDialogue.Cli.Commands.Reviews;
using SecureDialogue.Cli.Commands.Trust;
using SecureDialogue.Cli.Commands.Verify;

namespace SecureDialogue.Cli;

/// <summary>
/// The <c>sdlg</c> entry point: builds the command tree, turns parse errors into exit code 2, runs the chosen
/// command against a <see cref="CliContext"/>, and maps a missing libsodium to exit code 4.
/// </summary>
internal static class SdlgApp
{
    /// <summary>Runs <c>sdlg</c> with <paramref name="args"/> and returns the process exit code.</summary>
    public static async Task<int> RunAsync(string[] args, CliContext context, CancellationToken cancellationToken = default)
    {
        var root = CreateRootCommand(context);
        var parseResult = root.Parse(args);
        if (parseResult.Action is ParseErrorAction)
        {
            return context.Fail(ExitCodes.Usage, UsageMessage(parseResult));
        }

        var configuration = new InvocationConfiguration
        {
            Output = context.Out,
            Error = context.Error,
            EnableDefaultExceptionHandler = false,
        };

        try
        {
            return await parseResult.InvokeAsync(configuration, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (FindPlatformProblem(e) is { } problem)
        {
            return context.Fail(ExitCodes.Environment, problem.Message);
        }
        catch (OperationCanceledException)
        {
            return context.Fail(ExitCodes.Failed, "cancelled");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            // Unexpected, but still one line: the message names a path or a state, never a secret.
            return context.Fail(ExitCodes.Failed, $"{e.GetType().Name}: {e.Message}");
        }
    }

    /// <summary>The command tree; exposed for the help tests.</summary>
    internal static RootCommand CreateRootCommand(CliContext context)
    {
        var global = new GlobalOptions();
        var root = new RootCommand(
            "sdlg: the SecureDialogue command line. Signs in, reads and writes end-to-end encrypted review dialogue (sealed and verified on this device), manages this device's keys, and checks proofs offline.")
        {
            global.Profile,
            global.Json,
            KeysCommand.Create(context, global),
            LoginCommand.Create(context, global),
            LogoutCommand.Create(context, global),
            WhoamiCommand.Create(context, global),
            ReviewsCommand.Create(context, global),
            StageCommand.Create(context, global),
            PolicyCommand.Create(context, global),
            ReadCommand.Create(context, global),
            SendCommand.Create(context, global),
            RetractCommand.Create(context, global),
            WatchCommand.Create(context, global),
            AttachCommand.Create(context, global),
            DownloadCommand.Create(context, global),
            DevicesCommand.Create(context, global),
            MembersCommand.Create(context, global),
            CertifyCommand.Create(context, global),
            CertifyCommand.CreateRevoke(context, global),
            VerifyCommand.Create(context, global),
            Commands.Publication.PublishCommand.Create(context, global),
            Commands.Publication.PublicationsCommand.Create(context, global),
            Commands.Archive.ArchiveCommand.Create(context, global),
        };
        return root;
    }

    private static string UsageMessage(ParseResult parseResult)
    {
        var help = $"run '{CommandPath(parseResult)} --help' for usage";
        if (parseResult.UnmatchedTokens.Count > 0)
        {
            return $"unknown command or option '{parseResult.UnmatchedTokens[0]}'; {help}";
        }

        var messages = parseResult.Errors.Select(e => LowerFirst(e.Message.TrimEnd('.')));
        return $"{string.Join("; ", messages)}; {help}";
    }

    private static string LowerFirst(string message) =>
        message.Length > 1 && char.IsUpper(message[0]) && !char.IsUpper(message[1])
            ? char.ToLowerInvariant(message[0]) + message[1..]
            : message;

    private static string CommandPath(ParseResult parseResult)
    {
        var names = new List<string>();
        for (var result = parseResult.CommandResult; result is not null; result = result.Parent as System.CommandLine.Parsing.CommandResult)
        {
            names.Insert(0, result.Parent is null ? "sdlg" : result.Command.Name);
        }

        return string.Join(' ', names);
    }

    private static PlatformNotSupportedException? FindPlatformProblem(Exception e)
    {
        for (Exception? current = e; current is not null; current = current.InnerException)
        {
            if (current is PlatformNotSupportedException platform)
            {
                return platform;
            }
        }

        return null;
    }
}
