using SecureDialogue.Vault.Keys;

namespace SecureDialogue.Cli.Output;

/// <summary>What <c>keys init</c> and <c>keys show</c> print: public information only.</summary>
/// <param name="DeviceId">32 hex digits.</param>
/// <param name="Fingerprint">Six groups of five digits.</param>
/// <param name="PublicKey">The device card (<see cref="DevicePublicKeys.Encode"/>) in lowercase hex: what a peer passes as PEER_KEY.</param>
/// <param name="KeyStore">Path of the key store file.</param>
internal sealed record DeviceCardView(string DeviceId, string Fingerprint, string PublicKey, string KeyStore)
{
    public static DeviceCardView Of(DevicePublicKeys card, string keyStorePath) => new(
        card.Id.ToString(),
        Vault.Keys.Fingerprint.Of(card),
        Convert.ToHexStringLower(card.Encode()),
        keyStorePath);

    public void WriteText(TextWriter writer)
    {
        writer.WriteLine($"Key store:   {KeyStore}");
        writer.WriteLine($"Device id:   {DeviceId}");
        writer.WriteLine($"Fingerprint: {Fingerprint}");
        writer.WriteLine($"Public key:  {PublicKey}");
    }
}
