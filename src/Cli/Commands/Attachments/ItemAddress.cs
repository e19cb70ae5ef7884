using System.Globalization;
using SecureDialogue.Vault.Channels;

namespace SecureDialogue.Cli.Commands.Attachments;

/// <summary>An item of a channel as <c>download</c> takes it: <c>CHANNEL:SEQUENCE</c>, e.g. <c>dialogue:12</c> (as <c>read</c> shows <c>#12</c>).</summary>
internal readonly record struct ItemAddress(string Channel, long Sequence)
{
    public static bool TryParse(string? text, out ItemAddress address)
    {
        address = default;
        var colon = text?.LastIndexOf(':') ?? -1;
        if (colon <= 0 || !ChannelId.TryParse(text![..colon], out _) ||
            !long.TryParse(text.AsSpan(colon + 1).TrimStart('#'), NumberStyles.None, CultureInfo.InvariantCulture, out var sequence) || sequence < 1)
        {
            return false;
        }

        address = new ItemAddress(text[..colon], sequence);
        return true;
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Channel}:{Sequence}");
}
