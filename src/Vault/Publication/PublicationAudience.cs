namespace SecureDialogue.Vault.Publication;

/// <summary>Who a publication is for (P&amp;R 40, 41). One byte in a publication record.</summary>
public enum PublicationAudience : byte
{
    /// <summary>Not a valid audience.</summary>
    None = 0,

    /// <summary>All States parties (P&amp;R 40): served behind sign-in.</summary>
    StatesParties = 1,

    /// <summary>The public (P&amp;R 41): served to anyone.</summary>
    Public = 2,
}
