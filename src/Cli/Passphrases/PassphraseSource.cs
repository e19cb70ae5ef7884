using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using SecureDialogue.Vault;

namespace SecureDialogue.Cli.Passphrases;

/// <summary>
/// Where a command gets the key store passphrase, in order: <c>--passphrase-file FILE</c>, the
/// <c>SDLG_PASSPHRASE</c> environment variable, or a no-echo prompt when standard input is a terminal.
/// </summary>
internal sealed class PassphraseSource(CliContext context, string? passphraseFile)
{
    /// <summary>The environment variable that may hold the passphrase.</summary>
    public const string EnvironmentVariable = "SDLG_PASSPHRASE";

    private const int MaximumFileSize = 4096;

    /// <summary>
    /// Gets the passphrase. With <paramref name="confirm"/>, a prompted passphrase is asked twice and must match;
    /// a file or the environment is taken as given.
    /// </summary>
    public Result<Passphrase, CommandFailure> Get(string prompt, bool confirm)
    {
        if (passphraseFile is not null)
        {
            return ReadFile(passphraseFile);
        }

        var fromEnvironment = context.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrEmpty(fromEnvironment))
        {
            return Passphrase.CopyOf(fromEnvironment);
        }

        if (context.Prompt is null)
        {
            return new CommandFailure(ExitCodes.Usage,
                $"no passphrase available: use --passphrase-file FILE or set {EnvironmentVariable} (standard input is not a terminal, so sdlg cannot prompt)");
        }

        var first = context.Prompt.Read(prompt);
        if (first is null)
        {
            return new CommandFailure(ExitCodes.Failed, "no passphrase entered");
        }

        if (!confirm)
        {
            return first;
        }

        using var second = context.Prompt.Read("Repeat the passphrase: ");
        if (second is null || !first.FixedTimeEquals(second))
        {
            first.Dispose();
            return new CommandFailure(ExitCodes.Failed, "the two passphrases do not match; nothing was created");
        }

        return first;
    }

    private Result<Passphrase, CommandFailure> ReadFile(string path)
    {
        byte[] bytes;
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists)
            {
                return new CommandFailure(ExitCodes.Usage, $"passphrase file not found: {path}");
            }

            if (info.Length > MaximumFileSize)
            {
                return new CommandFailure(ExitCodes.Usage, $"passphrase file is larger than {MaximumFileSize} bytes: {path}");
            }

            WarnIfReadableByOthers(info);
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new CommandFailure(ExitCodes.Usage, $"cannot read passphrase file {path}: {e.Message}");
        }

        var chars = GC.AllocateArray<char>(Math.Max(1, Encoding.UTF8.GetMaxCharCount(bytes.Length)), pinned: true);
        try
        {
            var text = bytes.AsSpan();
            if (text.StartsWith("\uFEFF"u8))
            {
                text = text[3..];
            }

            var length = Encoding.UTF8.GetChars(text, chars);
            // The passphrase is the first line: editors and `echo` add a final newline.
            var line = chars.AsSpan(0, length);
            var end = line.IndexOfAny('\r', '\n');
            return Passphrase.CopyOf(end < 0 ? line : line[..end]);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
            CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(chars.AsSpan()));
        }
    }

    private void WarnIfReadableByOthers(FileInfo info)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        const UnixFileMode others = UnixFileMode.GroupRead | UnixFileMode.OtherRead;
        if ((info.UnixFileMode & others) != 0)
        {
            context.Error.WriteLine($"sdlg: warning: passphrase file {info.FullName} is readable by other users (chmod 600 it)");
        }
    }
}
