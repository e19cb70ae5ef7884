using System.CommandLine;

namespace SecureDialogue.Cli.Commands.Dialogue;

/// <summary>The arguments and options the channel commands share.</summary>
internal static class DialogueOptions
{
    public static Argument<string> Channel() => new("CHANNEL")
    {
        Description = "The channel: 'dialogue' (all members but the secretariat) or 'reviewers' (the reviewing States' members)",
    };

    public static Option<string> Review() => new("--review")
    {
        Description = "The review id (or a unique prefix); may be omitted when you take part in exactly one review",
        HelpName = "REVIEW",
    };

    public static Option<long?> Since(string description) => new("--since")
    {
        Description = description,
        HelpName = "SEQ",
    };
}
