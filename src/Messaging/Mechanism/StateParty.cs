namespace SecureDialogue.Messaging.Mechanism;

/// <summary>A State party to the Convention: its ISO 3166-1 alpha-3 code, name, regional group and the instruments it is party to.</summary>
internal sealed record StateParty(string Code, string Name, RegionalGroup Group, Instruments Instruments)
{
    /// <summary>Whether the State is party to every instrument of <paramref name="set"/>.</summary>
    public bool IsPartyTo(Instruments set) => (Instruments & set) == set;
}
