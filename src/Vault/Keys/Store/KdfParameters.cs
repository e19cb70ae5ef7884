namespace SecureDialogue.Vault.Keys.Store;

/// <summary>
/// Argon2id cost parameters of a key store. They are stored in the file, authenticated as associated data,
/// and checked against <see cref="Floor"/> before any derivation: a tampered file cannot lower the cost,
/// and <see cref="Ceiling"/> keeps a hostile file from asking for unbounded work.
/// </summary>
/// <param name="OpsLimit">Argon2 passes.</param>
/// <param name="MemLimitKiB">Memory in KiB.</param>
public sealed record KdfParameters(uint OpsLimit, uint MemLimitKiB)
{
    /// <summary>libsodium's INTERACTIVE level for Argon2id: 2 passes, 64 MiB. Nothing lower is accepted.</summary>
    public static KdfParameters Floor { get; } = new(2, 64 * 1024);

    /// <summary>
    /// The default for new key stores: 3 passes over 64 MiB, RFC 9106's second recommended option (section 4) with one
    /// lane. It keeps the whole client under 150 MB while it unlocks the store and moves a 1 GiB attachment.
    /// </summary>
    public static KdfParameters Default { get; } = new(3, 64 * 1024);

    /// <summary>libsodium's MODERATE level, 3 passes over 256 MiB: for machines that can spare the memory.</summary>
    public static KdfParameters Moderate { get; } = new(3, 256 * 1024);

    /// <summary>The largest cost a file may ask for: 16 passes, 4 GiB.</summary>
    public static KdfParameters Ceiling { get; } = new(16, 4 * 1024 * 1024);

    /// <summary>Memory in bytes.</summary>
    public ulong MemLimitBytes => (ulong)MemLimitKiB * 1024;

    internal KeyStoreError Check()
    {
        if (OpsLimit < Floor.OpsLimit || MemLimitKiB < Floor.MemLimitKiB)
        {
            return KeyStoreError.KdfBelowFloor;
        }

        if (OpsLimit > Ceiling.OpsLimit || MemLimitKiB > Ceiling.MemLimitKiB)
        {
            return KeyStoreError.KdfAboveCeiling;
        }

        return KeyStoreError.None;
    }
}
