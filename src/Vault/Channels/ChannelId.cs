namespace SecureDialogue.Vault.Channels;

/// <summary>
/// A channel of a review, e.g. <c>dialogue</c> (every member) or <c>reviewers</c> (reviewing States only):
/// 1 to 32 characters from <c>a-z 0-9 -</c>, so that it encodes the same everywhere.
/// </summary>
public readonly record struct ChannelId
{
    /// <summary>Longest channel name.</summary>
    public const int MaxLength = 32;

    private ChannelId(string value) => Value = value;

    /// <summary>The channel name.</summary>
    public string Value { get; }

    /// <summary>The channel every member of a review reads.</summary>
    public static ChannelId Dialogue { get; } = new("dialogue");

    /// <summary>The reviewing States' own channel.</summary>
    public static ChannelId Reviewers { get; } = new("reviewers");

    /// <summary>Parses a channel name.</summary>
    public static bool TryParse(string? value, out ChannelId channel)
    {
        channel = default;
        if (value is null || value.Length is 0 or > MaxLength)
        {
            return false;
        }

        foreach (var c in value)
        {
            if (!IsAllowed((byte)(c > 0x7f ? 0 : c)))
            {
                return false;
            }
        }

        channel = new ChannelId(value);
        return true;
    }

    /// <summary>Parses a channel name or throws.</summary>
    public static ChannelId Parse(string value) =>
        TryParse(value, out var channel) ? channel : throw new FormatException($"'{value}' is not a channel name (1-32 of a-z, 0-9, -).");

    internal static bool IsAllowed(byte c) => c is (>= (byte)'a' and <= (byte)'z') or (>= (byte)'0' and <= (byte)'9') or (byte)'-';

    /// <inheritdoc />
    public override string ToString() => Value ?? string.Empty;
}
