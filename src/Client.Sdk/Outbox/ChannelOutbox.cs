using SecureDialogue.Client.Profile;
using SecureDialogue.Vault.Envelopes;

namespace SecureDialogue.Client.Outbox;

/// <summary>
/// The channel's outbox in the profile: one file per sealed envelope (<c>outbox/&lt;client message id&gt;.env</c>,
/// mode 0600), written before the first send attempt and removed when the server acknowledges it. Only sealed
/// bytes are written, never plaintext. Entries are sent again in counter order after a restart or reconnect.
/// </summary>
internal sealed class ChannelOutbox
{
    private readonly string _directory;
    private readonly Guid _review;
    private readonly string _channel;

    public ChannelOutbox(ProfileLayout layout, Guid review, string channel)
    {
        _directory = layout.OutboxDirectory(review, channel);
        _review = review;
        _channel = channel;
    }

    /// <summary>Saves an entry (replacing any with the same client message id) durably.</summary>
    public void Put(OutboxEntry entry) => AtomicStateFile.Write(PathOf(entry.ClientMessageId), entry.Envelope);

    /// <summary>Removes an acknowledged or definitively refused entry.</summary>
    public void Remove(Guid clientMessageId) => AtomicStateFile.TryDelete(PathOf(clientMessageId));

    /// <summary>The waiting entries, oldest counter first. Files that do not decode as envelopes of this channel are skipped.</summary>
    public IReadOnlyList<OutboxEntry> List()
    {
        if (!Directory.Exists(_directory))
        {
            return [];
        }

        var entries = new List<OutboxEntry>();
        foreach (var file in Directory.EnumerateFiles(_directory, "*.env"))
        {
            var bytes = AtomicStateFile.Read(file, Envelope.MaxEncodedSize);
            if (bytes is null || Envelope.Decode(bytes) is not { IsSuccess: true } decoded)
            {
                continue;
            }

            var header = decoded.Value.Header;
            if (header.Review != _review || header.Channel.Value != _channel ||
                !string.Equals(Path.GetFileNameWithoutExtension(file), header.ClientMessageId.ToString("N"), StringComparison.Ordinal))
            {
                continue;
            }

            entries.Add(new OutboxEntry(header.ClientMessageId, header.Counter, header.Epoch, bytes));
        }

        entries.Sort((a, b) => a.Counter.CompareTo(b.Counter));
        return entries;
    }

    private string PathOf(Guid clientMessageId) => Path.Combine(_directory, clientMessageId.ToString("N") + ".env");
}
