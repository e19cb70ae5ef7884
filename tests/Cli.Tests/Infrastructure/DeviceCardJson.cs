using System.Text.Json;

namespace SecureDialogue.Cli.Tests.Infrastructure;

/// <summary>The <c>--json</c> output of <c>keys init</c> and <c>keys show</c>, parsed strictly.</summary>
internal sealed record DeviceCardJson(string DeviceId, string Fingerprint, string PublicKey)
{
    public static DeviceCardJson Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        return new DeviceCardJson(
            root.GetProperty("deviceId").GetString()!,
            root.GetProperty("fingerprint").GetString()!,
            root.GetProperty("publicKey").GetString()!);
    }
}
