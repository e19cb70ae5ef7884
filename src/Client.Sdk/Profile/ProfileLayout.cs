using System.Globalization;

namespace SecureDialogue.Client.Profile;

/// <summary>
/// Where the SDK keeps its state inside the profile directory (next to the key store <c>device.key</c>):
/// <c>state/&lt;server&gt;/</c> per server, holding <c>pins.json</c>, then per channel
/// <c>reviews/&lt;review&gt;/&lt;channel&gt;/</c> with <c>channel.json</c>, <c>counter.json</c> and
/// <c>outbox/</c>. Files are 0600, directories 0700. No plaintext is ever written.
/// </summary>
internal sealed class ProfileLayout
{
    public ProfileLayout(string profileDirectory, Uri server)
    {
        ProfileDirectory = Path.GetFullPath(profileDirectory);
        var port = server.IsDefaultPort ? (server.Scheme == "https" ? 443 : 80) : server.Port;
        ServerDirectory = Path.Combine(ProfileDirectory, "state", string.Create(CultureInfo.InvariantCulture, $"{Sanitize(server.Host)}_{port}"));
    }

    public string ProfileDirectory { get; }

    public string ServerDirectory { get; }

    public string PinsPath => Path.Combine(ServerDirectory, "pins.json");

    public string ChannelDirectory(Guid review, string channel) =>
        Path.Combine(ServerDirectory, "reviews", review.ToString("D"), channel);

    public string ChannelStatePath(Guid review, string channel) => Path.Combine(ChannelDirectory(review, channel), "channel.json");

    public string CounterPath(Guid review, string channel) => Path.Combine(ChannelDirectory(review, channel), "counter.json");

    public string CounterLockPath(Guid review, string channel) => Path.Combine(ChannelDirectory(review, channel), ".counter.lock");

    public string OutboxDirectory(Guid review, string channel) => Path.Combine(ChannelDirectory(review, channel), "outbox");

    private static string Sanitize(string host) =>
        string.Concat(host.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' ? c : '_'));
}
