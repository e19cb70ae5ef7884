using SecureDialogue.Cli.Output;
using SecureDialogue.Contracts;
using SecureDialogue.Vault;

namespace SecureDialogue.Cli.Commands.Reviews;

/// <summary>
/// Parses <c>--member SUBJECT:STATE:ROLE[:NAME]</c>: the person's subject at the server's issuer (for the embedded
/// server, the development user name), their State (empty for the secretariat), their role (<c>expert</c>,
/// <c>focal-point</c>, <c>observer</c>, <c>secretariat</c>) and an optional display name (default: the subject).
/// </summary>
internal static class MemberArgument
{
    public const string Syntax = "SUBJECT:STATE:ROLE[:NAME]";

    public static Result<NewMember, CommandFailure> Parse(string value, string reviewedState, IReadOnlyList<string> reviewingStates)
    {
        var parts = value.Split(':', 4);
        if (parts.Length < 3 || parts[0].Trim().Length == 0)
        {
            return Bad(value, $"expected {Syntax}, e.g. ana:NAM:expert:Ana Alves or sam::secretariat");
        }

        var subject = parts[0].Trim();
        var state = parts[1].Trim().ToUpperInvariant();
        if (!Names.TryParse<MemberRole>(parts[2].Trim(), out var role))
        {
            return Bad(value, $"unknown role '{parts[2]}' (one of {Names.All<MemberRole>()})");
        }

        if (role == MemberRole.Secretariat)
        {
            if (state.Length != 0)
            {
                return Bad(value, "secretariat members belong to no State: leave STATE empty (sam::secretariat)");
            }
        }
        else if (state != reviewedState && !reviewingStates.Contains(state))
        {
            return Bad(value, $"State '{parts[1]}' is neither the State under review ({reviewedState}) nor a reviewing State ({string.Join(", ", reviewingStates)})");
        }

        var name = parts.Length == 4 && parts[3].Trim().Length > 0 ? parts[3].Trim() : subject;
        return new NewMember(subject, name, state.Length == 0 ? null : state, role);
    }

    private static CommandFailure Bad(string value, string why) => new(ExitCodes.Usage, $"--member '{value}': {why}");
}
