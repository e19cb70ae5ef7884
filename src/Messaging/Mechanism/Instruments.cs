namespace SecureDialogue.Messaging.Mechanism;

/// <summary>The instruments under review (P&amp;R 9): the Convention and its three Protocols, as a set.</summary>
[Flags]
internal enum Instruments
{
    None = 0,

    /// <summary>The United Nations Convention against Transnational Organized Crime.</summary>
    Convention = 1,

    /// <summary>The Protocol to Prevent, Suppress and Punish Trafficking in Persons, Especially Women and Children.</summary>
    TraffickingInPersons = 2,

    /// <summary>The Protocol against the Smuggling of Migrants by Land, Sea and Air.</summary>
    SmugglingOfMigrants = 4,

    /// <summary>The Protocol against the Illicit Manufacturing of and Trafficking in Firearms.</summary>
    Firearms = 8,
}

/// <summary>The codes of <see cref="Instruments"/> in files and URLs: <c>UNTOC</c>, <c>TIP</c>, <c>SOM</c>, <c>FIREARMS</c>.</summary>
internal static class InstrumentCodes
{
    /// <summary>Each single instrument in the order of the appendix's Table 1.</summary>
    public static IReadOnlyList<Instruments> Each { get; } =
        [Instruments.Convention, Instruments.TraffickingInPersons, Instruments.SmugglingOfMigrants, Instruments.Firearms];

    /// <summary>The code of a single instrument.</summary>
    public static string Code(Instruments instrument) => instrument switch
    {
        Instruments.Convention => "UNTOC",
        Instruments.TraffickingInPersons => "TIP",
        Instruments.SmugglingOfMigrants => "SOM",
        Instruments.Firearms => "FIREARMS",
        _ => throw new ArgumentOutOfRangeException(nameof(instrument), instrument, "Not a single instrument."),
    };

    /// <summary>The codes of a set, joined by <c>;</c> in Table 1 order.</summary>
    public static string Format(Instruments set) => string.Join(';', Each.Where(i => set.HasFlag(i)).Select(Code));

    /// <summary>Parses <c>UNTOC;TIP</c> (case-insensitive, spaces ignored); false on an unknown, repeated or missing code.</summary>
    public static bool TryParse(string? text, out Instruments set)
    {
        set = Instruments.None;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        foreach (var part in text.Split(';'))
        {
            var one = part.Trim().ToUpperInvariant() switch
            {
                "UNTOC" => Instruments.Convention,
                "TIP" => Instruments.TraffickingInPersons,
                "SOM" => Instruments.SmugglingOfMigrants,
                "FIREARMS" => Instruments.Firearms,
                _ => Instruments.None,
            };
            if (one == Instruments.None || set.HasFlag(one))
            {
                set = Instruments.None;
                return false;
            }

            set |= one;
        }

        return true;
    }
}
