namespace SecureDialogue.Messaging.Mechanism;

/// <summary>The thematic clusters of articles of the appendix's Table 1 (P&amp;R 9).</summary>
internal enum ThematicCluster
{
    /// <summary>Criminalization and jurisdiction.</summary>
    CriminalizationAndJurisdiction = 1,

    /// <summary>Prevention, technical assistance, protection measures and other measures.</summary>
    PreventionAndProtection = 2,

    /// <summary>Law enforcement and the judicial system.</summary>
    LawEnforcementAndJudicialSystem = 3,

    /// <summary>International cooperation, mutual legal assistance and confiscation.</summary>
    InternationalCooperation = 4,
}

/// <summary>Table 1 of the appendix to the procedures and rules: the articles of each instrument in each cluster.</summary>
internal static class ThematicClusters
{
    private static readonly Dictionary<(ThematicCluster, Instruments), int[]> s_articles = new()
    {
        [(ThematicCluster.CriminalizationAndJurisdiction, Instruments.Convention)] = [2, 5, 6, 8, 9, 10, 15, 23],
        [(ThematicCluster.CriminalizationAndJurisdiction, Instruments.TraffickingInPersons)] = [3, 5],
        [(ThematicCluster.CriminalizationAndJurisdiction, Instruments.SmugglingOfMigrants)] = [3, 5, 6],
        [(ThematicCluster.CriminalizationAndJurisdiction, Instruments.Firearms)] = [3, 5, 8],
        [(ThematicCluster.PreventionAndProtection, Instruments.Convention)] = [24, 25, 29, 30, 31],
        [(ThematicCluster.PreventionAndProtection, Instruments.TraffickingInPersons)] = [6, 7, 9],
        [(ThematicCluster.PreventionAndProtection, Instruments.SmugglingOfMigrants)] = [8, 9, 14, 15, 16],
        [(ThematicCluster.PreventionAndProtection, Instruments.Firearms)] = [7, 9, 10, 11, 14, 15],
        [(ThematicCluster.LawEnforcementAndJudicialSystem, Instruments.Convention)] = [7, 11, 19, 20, 22, 26, 27, 28],
        [(ThematicCluster.LawEnforcementAndJudicialSystem, Instruments.TraffickingInPersons)] = [11, 12, 13],
        [(ThematicCluster.LawEnforcementAndJudicialSystem, Instruments.SmugglingOfMigrants)] = [11, 12, 13],
        [(ThematicCluster.LawEnforcementAndJudicialSystem, Instruments.Firearms)] = [],
        [(ThematicCluster.InternationalCooperation, Instruments.Convention)] = [12, 13, 14, 16, 17, 18, 21],
        [(ThematicCluster.InternationalCooperation, Instruments.TraffickingInPersons)] = [8, 10],
        [(ThematicCluster.InternationalCooperation, Instruments.SmugglingOfMigrants)] = [7, 10, 18],
        [(ThematicCluster.InternationalCooperation, Instruments.Firearms)] = [6, 12, 13],
    };

    /// <summary>Every cluster in Table 1 order.</summary>
    public static IReadOnlyList<ThematicCluster> All { get; } =
    [
        ThematicCluster.CriminalizationAndJurisdiction,
        ThematicCluster.PreventionAndProtection,
        ThematicCluster.LawEnforcementAndJudicialSystem,
        ThematicCluster.InternationalCooperation,
    ];

    /// <summary>
    /// The articles of one instrument in one cluster (empty where Table 1 has none: the Firearms Protocol in law
    /// enforcement). Articles 8 and 9 of the Convention are reviewed only for States not party to UNCAC (note a).
    /// </summary>
    public static IReadOnlyList<int> Articles(ThematicCluster cluster, Instruments instrument) =>
        s_articles.TryGetValue((cluster, instrument), out var articles)
            ? articles
            : throw new ArgumentOutOfRangeException(nameof(instrument), instrument, "Not a single instrument.");

    /// <summary>The cluster's code in files and URLs: 1 to 4, its Table 1 column.</summary>
    public static bool TryParse(string? text, out ThematicCluster cluster)
    {
        cluster = text?.Trim() switch
        {
            "1" => ThematicCluster.CriminalizationAndJurisdiction,
            "2" => ThematicCluster.PreventionAndProtection,
            "3" => ThematicCluster.LawEnforcementAndJudicialSystem,
            "4" => ThematicCluster.InternationalCooperation,
            _ => 0,
        };
        return cluster != 0;
    }
}
