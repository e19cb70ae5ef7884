using SecureDialogue.Cli.Output;
using SecureDialogue.Client.Channels;

namespace SecureDialogue.Cli.Commands.Dialogue;

/// <summary>
/// Something about a channel the user must know, not tied to one item: an unverified device, a fork (two signed
/// records for one epoch), a refused or withheld epoch record, this device not being a member of the current epoch...
/// </summary>
internal sealed record AlertView
{
    /// <summary>Always <c>alert</c> (tells alerts from items in <c>watch --json</c>).</summary>
    public string Type { get; init; } = "alert";

    /// <summary><c>unverified-device</c>, <c>fork</c>, <c>epoch-record-refused</c>, <c>epochs-withheld</c>, <c>not-a-member</c>, ...</summary>
    public required string Kind { get; init; }

    /// <summary>One line for people.</summary>
    public required string Message { get; init; }

    /// <summary>The epoch concerned, if any.</summary>
    public uint? Epoch { get; init; }

    /// <summary>For device alerts: the device.</summary>
    public string? DeviceId { get; init; }

    /// <summary>For device alerts: the member it is listed under.</summary>
    public string? Member { get; init; }

    /// <summary>For device alerts: its fingerprint.</summary>
    public string? Fingerprint { get; init; }

    /// <summary>For device alerts: the safety number to compare with the member before <c>sdlg devices trust</c>.</summary>
    public string? SafetyNumber { get; init; }

    public static AlertView Of(ChannelAlert alert) => new()
    {
        Kind = Names.Kebab(alert.Kind),
        Message = alert.Message,
        Epoch = alert.Epoch,
        DeviceId = alert.Device?.DeviceId,
        Member = alert.Device?.DisplayName,
        Fingerprint = alert.Device?.Fingerprint,
        SafetyNumber = alert.Device?.SafetyNumber,
    };

    public void WriteText(TextWriter writer, Guid review)
    {
        writer.WriteLine($"! ALERT {Kind}: {Message}");
        if (SafetyNumber is not null)
        {
            writer.WriteLine($"    safety number {SafetyNumber}: compare it with {Member}, then 'sdlg devices trust {DeviceId} --review {review}'");
        }
    }
}
