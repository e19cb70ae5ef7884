using System.Buffers;
using System.Diagnostics.CodeAnalysis;

namespace SecureDialogue.Vault.Envelopes;

/// <summary>
/// The language of an item as a BCP 47 tag (2 to 35 characters of <c>A-Z a-z 0-9 -</c>, starting with a
/// 2-3 letter primary subtag), stored lower-case. The six UN working languages are named here.
/// </summary>
public readonly record struct LanguageTag
{
    /// <summary>Longest tag accepted.</summary>
    public const int MaxLength = 35;

    private static readonly SearchValues<char> s_subtagCharacters =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789");

    private LanguageTag(string value) => Value = value;

    /// <summary>The tag, lower-case.</summary>
    public string Value { get; }

    /// <summary>Arabic.</summary>
    public static LanguageTag Arabic { get; } = new("ar");

    /// <summary>Chinese.</summary>
    public static LanguageTag Chinese { get; } = new("zh");

    /// <summary>English.</summary>
    public static LanguageTag English { get; } = new("en");

    /// <summary>French.</summary>
    public static LanguageTag French { get; } = new("fr");

    /// <summary>Russian.</summary>
    public static LanguageTag Russian { get; } = new("ru");

    /// <summary>Spanish.</summary>
    public static LanguageTag Spanish { get; } = new("es");

    /// <summary>The six working languages of the mechanism (P&amp;R 49).</summary>
    public static IReadOnlyList<LanguageTag> WorkingLanguages { get; } = [Arabic, Chinese, English, French, Russian, Spanish];

    /// <summary>True for one of the six working languages (any region or script subtag).</summary>
    public bool IsWorkingLanguage
    {
        get
        {
            var primary = PrimarySubtag;
            return WorkingLanguages.Any(w => w.Value == primary);
        }
    }

    /// <summary>The primary language subtag, e.g. <c>ar</c> for <c>ar-EG</c>.</summary>
    public string PrimarySubtag => Value is null ? string.Empty : Value.Split('-')[0];

    /// <summary>Whether text in this language is written right to left.</summary>
    public bool IsRightToLeft => PrimarySubtag is "ar" or "he" or "fa" or "ur";

    /// <summary>Parses a tag.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out LanguageTag tag)
    {
        tag = default;
        if (text is null || text.Length is < 2 or > MaxLength)
        {
            return false;
        }

        var primary = 0;
        while (primary < text.Length && char.IsAsciiLetter(text[primary]))
        {
            primary++;
        }

        if (primary is < 2 or > 3 || (primary < text.Length && text[primary] != '-'))
        {
            return false;
        }

        // Span splitting: every received envelope header is parsed through here, so no substrings.
        var span = text.AsSpan();
        foreach (var range in span.Split('-'))
        {
            var subtag = span[range];
            if (subtag.Length is 0 or > 8 || subtag.ContainsAnyExcept(s_subtagCharacters))
            {
                return false;
            }
        }

        tag = new LanguageTag(text.ToLowerInvariant());
        return true;
    }

    /// <summary>Parses a tag or throws.</summary>
    public static LanguageTag Parse(string text) =>
        TryParse(text, out var tag) ? tag : throw new FormatException($"'{text}' is not a language tag.");

    internal static bool IsAllowedByte(byte b) => b is (>= (byte)'a' and <= (byte)'z') or (>= (byte)'0' and <= (byte)'9') or (byte)'-';

    /// <inheritdoc />
    public override string ToString() => Value ?? string.Empty;
}
