using System.Text.RegularExpressions;
using SecureDialogue.Contracts;
using SecureDialogue.Vault.Envelopes;

namespace SecureDialogue.Messaging.Reviews;

/// <summary>Checks a <see cref="CreateReview"/> and collects every problem, keyed by field.</summary>
internal static partial class CreateReviewValidator
{
    public const int MaxTitleLength = 200;
    public const int MaxReviewingStates = 8;
    public const int MaxLanguages = 3;
    public const int MaxMembers = 1000;
    public const int MaxSubjectLength = 255;
    public const int MaxDisplayNameLength = 200;

    /// <summary>Null when valid, otherwise the problems by field (camelCase JSON paths).</summary>
    public static Dictionary<string, string[]>? Validate(CreateReview? request)
    {
        var errors = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        void Add(string field, string message)
        {
            if (!errors.TryGetValue(field, out var list))
            {
                errors[field] = list = [];
            }

            list.Add(message);
        }

        if (request is null)
        {
            return new Dictionary<string, string[]>(StringComparer.Ordinal) { ["$"] = ["A body is required."] };
        }

        if (string.IsNullOrWhiteSpace(request.Title) || request.Title.Length > MaxTitleLength || request.Title.Any(char.IsControl))
        {
            Add("title", $"1 to {MaxTitleLength} characters, no control characters.");
        }

        if (!IsStateCode(request.ReviewedState))
        {
            Add("reviewedState", "An ISO 3166-1 alpha-3 code in upper case, e.g. AUT.");
        }

        var reviewing = request.ReviewingStates ?? [];
        if (reviewing.Count is 0 or > MaxReviewingStates)
        {
            Add("reviewingStates", $"1 to {MaxReviewingStates} reviewing States.");
        }

        for (var i = 0; i < reviewing.Count; i++)
        {
            if (!IsStateCode(reviewing[i]))
            {
                Add($"reviewingStates[{i}]", "An ISO 3166-1 alpha-3 code in upper case.");
            }
            else if (reviewing[i] == request.ReviewedState)
            {
                Add($"reviewingStates[{i}]", "A State does not review itself.");
            }
            else if (reviewing.Take(i).Contains(reviewing[i], StringComparer.Ordinal))
            {
                Add($"reviewingStates[{i}]", "Listed twice.");
            }
        }

        var languages = request.Languages ?? [];
        if (languages.Count is 0 or > MaxLanguages)
        {
            Add("languages", $"1 to {MaxLanguages} working languages (P&R 49-50).");
        }

        for (var i = 0; i < languages.Count; i++)
        {
            if (!LanguageTag.TryParse(languages[i], out var tag) || !tag.IsWorkingLanguage || tag.Value != languages[i])
            {
                Add($"languages[{i}]", "One of ar, en, es, fr, ru, zh.");
            }
            else if (languages.Take(i).Contains(languages[i], StringComparer.Ordinal))
            {
                Add($"languages[{i}]", "Listed twice.");
            }
        }

        ValidateMembers(request, Add);
        return errors.Count == 0 ? null : errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal);
    }

    private static void ValidateMembers(CreateReview request, Action<string, string> add)
    {
        var members = request.Members ?? [];
        if (members.Count > MaxMembers)
        {
            add("members", $"At most {MaxMembers} members.");
            return;
        }

        var states = new HashSet<string>(StringComparer.Ordinal) { request.ReviewedState ?? string.Empty };
        states.UnionWith((request.ReviewingStates ?? []).Where(s => s is not null));
        var subjects = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < members.Count; i++)
        {
            var member = members[i];
            var field = $"members[{i}]";
            if (member is null)
            {
                add(field, "A member is required.");
                continue;
            }

            if (string.IsNullOrWhiteSpace(member.Subject) || member.Subject.Length > MaxSubjectLength || member.Subject.Any(char.IsControl))
            {
                add($"{field}.subject", $"1 to {MaxSubjectLength} characters.");
            }
            else if (!subjects.Add(member.Subject))
            {
                add($"{field}.subject", "Listed twice.");
            }

            if (string.IsNullOrWhiteSpace(member.DisplayName) || member.DisplayName.Length > MaxDisplayNameLength || member.DisplayName.Any(char.IsControl))
            {
                add($"{field}.displayName", $"1 to {MaxDisplayNameLength} characters, no control characters.");
            }

            if (!Enum.IsDefined(member.Role))
            {
                add($"{field}.role", "Expert, FocalPoint, Observer or Secretariat.");
            }
            else if (member.Role == MemberRole.Secretariat && member.StateCode is not null)
            {
                add($"{field}.stateCode", "Secretariat staff belong to no State: leave it null.");
            }
            else if (member.Role != MemberRole.Secretariat && (member.StateCode is null || !states.Contains(member.StateCode)))
            {
                add($"{field}.stateCode", "One of the review's States (the State under review or a reviewing State).");
            }
        }
    }

    private static bool IsStateCode(string? code) => code is not null && StateCode().IsMatch(code);

    [GeneratedRegex("^[A-Z]{3}$", RegexOptions.CultureInvariant)]
    private static partial Regex StateCode();
}
