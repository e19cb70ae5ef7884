using System.Text;
using SecureDialogue.Vault;

namespace SecureDialogue.Cli.Commands.Dialogue;

/// <summary>
/// Where <c>send</c> gets its text: the TEXT argument, standard input (<c>-</c>, or no TEXT), or <c>--file PATH</c>
/// (UTF-8). Trailing line ends of stdin and files are dropped (editors and <c>echo</c> add one).
/// </summary>
internal static class MessageText
{
    private const long MaxFileBytes = 4 * 1024 * 1024;

    public static async Task<Result<string, CommandFailure>> ReadAsync(CliContext context, string? text, string? file, CancellationToken cancellationToken)
    {
        if (file is not null && text is not null && text != "-")
        {
            return new CommandFailure(ExitCodes.Usage, "give the text either as TEXT or with --file, not both");
        }

        string value;
        if (file is not null)
        {
            try
            {
                var info = new FileInfo(file);
                if (!info.Exists)
                {
                    return new CommandFailure(ExitCodes.Usage, $"--file: no such file {file}");
                }

                if (info.Length > MaxFileBytes)
                {
                    return new CommandFailure(ExitCodes.Usage, $"--file: {file} is larger than {MaxFileBytes / (1024 * 1024)} MiB");
                }

                value = await File.ReadAllTextAsync(file, Encoding.UTF8, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return new CommandFailure(ExitCodes.Usage, $"--file: cannot read {file}: {e.Message}");
            }

            value = value.TrimEnd('\r', '\n');
        }
        else if (text is null or "-")
        {
            if (context.InputIsTerminal)
            {
                context.Error.WriteLine("Type the text; end it with Ctrl-D on an empty line.");
            }

            value = (await context.In.ReadToEndAsync(cancellationToken).ConfigureAwait(false)).TrimEnd('\r', '\n');
        }
        else
        {
            value = text;
        }

        return string.IsNullOrWhiteSpace(value)
            ? new CommandFailure(ExitCodes.Usage, "nothing to send: the text is empty")
            : value;
    }
}
