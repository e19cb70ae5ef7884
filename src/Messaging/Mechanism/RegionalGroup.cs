namespace SecureDialogue.Messaging.Mechanism;

/// <summary>The United Nations regional groups, which the drawing of lots uses (P&amp;R 28).</summary>
internal enum RegionalGroup
{
    /// <summary>African States.</summary>
    African = 1,

    /// <summary>Asia-Pacific States.</summary>
    AsiaPacific = 2,

    /// <summary>Eastern European States.</summary>
    EasternEuropean = 3,

    /// <summary>Latin American and Caribbean States.</summary>
    LatinAmericanAndCaribbean = 4,

    /// <summary>Western European and other States.</summary>
    WesternEuropeanAndOthers = 5,
}

/// <summary>The codes of <see cref="RegionalGroup"/> in files: <c>AFRICAN</c>, <c>APG</c>, <c>EEG</c>, <c>GRULAC</c>, <c>WEOG</c>.</summary>
internal static class RegionalGroupCodes
{
    /// <summary>The code of a group.</summary>
    public static string Code(RegionalGroup group) => group switch
    {
        RegionalGroup.African => "AFRICAN",
        RegionalGroup.AsiaPacific => "APG",
        RegionalGroup.EasternEuropean => "EEG",
        RegionalGroup.LatinAmericanAndCaribbean => "GRULAC",
        RegionalGroup.WesternEuropeanAndOthers => "WEOG",
        _ => throw new ArgumentOutOfRangeException(nameof(group), group, "Unknown regional group."),
    };

    /// <summary>Parses a code (case-insensitive).</summary>
    public static bool TryParse(string? text, out RegionalGroup group)
    {
        group = text?.Trim().ToUpperInvariant() switch
        {
            "AFRICAN" => RegionalGroup.African,
            "APG" => RegionalGroup.AsiaPacific,
            "EEG" => RegionalGroup.EasternEuropean,
            "GRULAC" => RegionalGroup.LatinAmericanAndCaribbean,
            "WEOG" => RegionalGroup.WesternEuropeanAndOthers,
            _ => 0,
        };
        return group != 0;
    }
}
