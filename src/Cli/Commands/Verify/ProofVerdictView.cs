namespace SecureDialogue.Cli.Commands.Verify;

/// <summary>What the auditor commands print.</summary>
/// <param name="Valid">Whether the proof holds.</param>
/// <param name="Check">Which check ran: <c>inclusion</c> or <c>consistency</c>.</param>
/// <param name="Detail">One sentence on what was shown or why it failed.</param>
internal sealed record ProofVerdictView(bool Valid, string Check, string Detail)
{
    public void WriteText(TextWriter writer) => writer.WriteLine($"{(Valid ? "valid" : "invalid")}: {Detail}");
}
