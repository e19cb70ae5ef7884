namespace SecureDialogue.Cli.Output;

/// <summary>What <c>keys safety-number</c> prints.</summary>
/// <param name="SafetyNumber">Sixty digits in twelve groups; the same on both devices.</param>
/// <param name="DeviceId">This device's id.</param>
/// <param name="Fingerprint">This device's fingerprint.</param>
/// <param name="PeerDeviceId">The peer's device id.</param>
/// <param name="PeerFingerprint">The peer's fingerprint.</param>
internal sealed record SafetyNumberView(string SafetyNumber, string DeviceId, string Fingerprint, string PeerDeviceId, string PeerFingerprint)
{
    public void WriteText(TextWriter writer)
    {
        writer.WriteLine($"Safety number:    {SafetyNumber}");
        writer.WriteLine($"Your fingerprint: {Fingerprint}  (device {DeviceId})");
        writer.WriteLine($"Peer fingerprint: {PeerFingerprint}  (device {PeerDeviceId})");
        writer.WriteLine("Read the safety number to your peer over a channel you trust (in person or on a call); it must match theirs.");
    }
}
