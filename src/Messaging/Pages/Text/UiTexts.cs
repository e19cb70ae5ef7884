using System.Globalization;
using System.Reflection;
using SecureDialogue.Messaging.Mechanism;
using SecureDialogue.Messaging.Mechanism.Lots;
using SecureDialogue.Messaging.Mechanism.Registry;

namespace SecureDialogue.Messaging.Pages.Text;

/// <summary>
/// Every text a person reads on the secretariat's pages (and the import problems of the API), in the six UN
/// languages, from <c>Pages/Text/texts.tsv</c>: one line per key, tab-separated, columns key, en, fr, es, ru, zh, ar.
/// Placeholders are <c>{0}</c>, <c>{1}</c>. A missing key or translation fails at start (and in a test), never on a page.
/// </summary>
internal sealed class UiTexts
{
    private readonly Dictionary<string, string[]> _texts;

    public UiTexts()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("texts.tsv")
            ?? throw new InvalidOperationException("The texts resource is missing.");
        using var reader = new StreamReader(stream);
        _texts = Parse(reader.ReadToEnd());
    }

    /// <summary>Every key.</summary>
    public IReadOnlyCollection<string> Keys => _texts.Keys;

    /// <summary>The text of <paramref name="key"/> in <paramref name="language"/>, formatted with <paramref name="args"/>.</summary>
    public string Get(UiLanguage language, string key, params object?[] args)
    {
        if (!_texts.TryGetValue(key, out var row))
        {
            throw new KeyNotFoundException($"No text '{key}'.");
        }

        var text = row[language.Index];
        return args.Length == 0 ? text : string.Format(CultureInfo.GetCultureInfo(language.Code), text, args);
    }

    /// <summary>Whether a key exists.</summary>
    public bool Has(string key) => _texts.ContainsKey(key);

    /// <summary>A drawing-of-lots problem: <c>lots.KIND</c> with the value as <c>{0}</c>.</summary>
    public string LotsProblem(UiLanguage language, LotsProblem problem) =>
        Get(language, "lots." + LotsProblemCodes.Code(problem.Kind), problem.Value);

    /// <summary>A registry import problem: <c>states.CODE</c> with the value as <c>{0}</c>.</summary>
    public string RegistryProblem(UiLanguage language, RegistryProblem problem) =>
        Get(language, "states." + problem.Code, problem.Value);

    /// <summary>A stage's name.</summary>
    public string Stage(UiLanguage language, ReviewStage stage) => Get(language, "stage." + ReviewStages.Code(stage));

    /// <summary>Parses the TSV; every row must have the key and six non-empty texts.</summary>
    public static Dictionary<string, string[]> Parse(string tsv)
    {
        var texts = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var lineNumber = 0;
        foreach (var line in tsv.Split('\n'))
        {
            lineNumber++;
            var trimmed = line.TrimEnd('\r');
            if (trimmed.Length == 0 || trimmed.StartsWith('#'))
            {
                continue;
            }

            var fields = trimmed.Split('\t');
            if (fields.Length != 1 + UiLanguage.All.Count || fields.Any(f => f.Trim().Length == 0))
            {
                throw new InvalidOperationException($"texts.tsv line {lineNumber}: a key and {UiLanguage.All.Count} texts are required.");
            }

            if (!texts.TryAdd(fields[0], [.. fields.Skip(1).Select(f => f.Trim())]))
            {
                throw new InvalidOperationException($"texts.tsv line {lineNumber}: '{fields[0]}' is repeated.");
            }
        }

        return texts;
    }
}
