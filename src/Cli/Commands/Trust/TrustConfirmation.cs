namespace SecureDialogue.Cli.Commands.Trust;

/// <summary>
/// The fingerprint check before signing or trusting a key: <c>--fingerprint</c> must match when given; otherwise a terminal
/// user types <c>yes</c> after comparing it, and without a terminal <c>--yes</c> is required.
/// </summary>
internal static class TrustConfirmation
{
    public static CommandFailure? Check(CliContext context, string what, string fingerprint, string? compared, bool yes)
    {
        if (compared is not null)
        {
            return Digits(compared) == Digits(fingerprint)
                ? null
                : new CommandFailure(ExitCodes.Failed, $"the fingerprint you gave does not match {what}'s ({fingerprint}): nothing was signed; check with its owner over a channel you trust");
        }

        if (yes)
        {
            return null;
        }

        if (!context.InputIsTerminal)
        {
            return new CommandFailure(ExitCodes.Usage, $"compare the fingerprint of {what} ({fingerprint}) with its owner, then pass --fingerprint DIGITS or --yes");
        }

        context.Error.WriteLine($"{what}: fingerprint {fingerprint}");
        context.Error.Write("Compare it with its owner (or the note verbale). Type 'yes' if it matches: ");
        var answer = context.In.ReadLine();
        return string.Equals(answer?.Trim(), "yes", StringComparison.OrdinalIgnoreCase)
            ? null
            : new CommandFailure(ExitCodes.Failed, "not confirmed: nothing was signed");
    }

    private static string Digits(string value) => string.Concat(value.Where(char.IsAsciiDigit));
}
