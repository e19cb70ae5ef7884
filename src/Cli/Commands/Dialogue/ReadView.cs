namespace SecureDialogue.Cli.Commands.Dialogue;

/// <summary>What <c>read</c> prints: the channel's items after <see cref="Since"/> and the channel's alerts.</summary>
/// <param name="Review">The review id.</param>
/// <param name="Channel">The channel.</param>
/// <param name="Since">Items after this sequence were asked for.</param>
/// <param name="CurrentEpoch">The current verified epoch, if any.</param>
/// <param name="LastSequence">The highest sequence this device has processed.</param>
/// <param name="CanPost">True when this member may post here and holds the current key.</param>
/// <param name="Items">The items, in sequence order, with markers for missing, replayed or invalid ones.</param>
/// <param name="Alerts">The channel's alerts.</param>
internal sealed record ReadView(Guid Review, string Channel, long Since, uint? CurrentEpoch, long LastSequence, bool CanPost, IReadOnlyList<ItemView> Items, IReadOnlyList<AlertView> Alerts)
{
    public void WriteText(TextWriter writer)
    {
        var epoch = CurrentEpoch is { } e ? $"epoch {e}" : "no epoch yet";
        var count = Items.Count(i => i.Status is "verified" or "late");
        writer.WriteLine($"Review {Review}, channel {Channel} ({epoch}; {count} item{(count == 1 ? "" : "s")}{(Since > 0 ? $" after sequence {Since}" : "")})");
        foreach (var alert in Alerts)
        {
            alert.WriteText(writer, Review);
        }

        foreach (var item in Items)
        {
            item.WriteText(writer);
        }
    }
}
