using SecureDialogue.Contracts;
using SecureDialogue.Messaging.Reviews;

namespace SecureDialogue.Messaging.Trust;

/// <summary>Checks a <see cref="SetFocalPoint"/> and collects every problem, keyed by field.</summary>
internal static class TrustValidator
{
    public const int MaxNominationLength = 128;

    public static Dictionary<string, string[]>? ValidateFocalPoint(SetFocalPoint? request, IReadOnlyCollection<string> reviewStates)
    {
        if (request is null)
        {
            return new Dictionary<string, string[]>(StringComparer.Ordinal) { ["$"] = ["A body is required."] };
        }

        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (request.StateCode is null || !reviewStates.Contains(request.StateCode, StringComparer.Ordinal))
        {
            errors["stateCode"] = ["One of the review's States (ISO 3166-1 alpha-3, upper case)."];
        }

        if (string.IsNullOrWhiteSpace(request.Subject) || request.Subject.Length > CreateReviewValidator.MaxSubjectLength || request.Subject.Any(char.IsControl))
        {
            errors["subject"] = [$"1 to {CreateReviewValidator.MaxSubjectLength} characters."];
        }

        if (string.IsNullOrWhiteSpace(request.DisplayName) || request.DisplayName.Length > CreateReviewValidator.MaxDisplayNameLength || request.DisplayName.Any(char.IsControl))
        {
            errors["displayName"] = [$"1 to {CreateReviewValidator.MaxDisplayNameLength} characters, no control characters."];
        }

        if (string.IsNullOrWhiteSpace(request.Nomination) || request.Nomination.Length > MaxNominationLength || request.Nomination.Any(c => c is < ' ' or > '~'))
        {
            errors["nomination"] = [$"The nomination reference (note verbale number): 1 to {MaxNominationLength} printable ASCII characters."];
        }

        return errors.Count == 0 ? null : errors;
    }
}
