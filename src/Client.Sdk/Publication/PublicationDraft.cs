using SecureDialogue.Vault.Archive;
using SecureDialogue.Vault.Envelopes;
using SecureDialogue.Vault.Keys;
using SecureDialogue.Vault.Publication;

namespace SecureDialogue.Client.Publication;

/// <summary>
/// A publication record being prepared on this device from an item it opened again and verified
/// (<see cref="Channels.ChannelSession.PreparePublicationAsync"/>; docs/protocol.md, section 18.4). Choose the
/// segments to disclose, add the plaintext of disclosed documents and the archive's inclusion proof, then
/// <see cref="Build"/>: the record is signed with this device's key. Only the chosen segments and their salts
/// leave the device.
/// </summary>
public sealed class PublicationDraft
{
    private readonly PublicationBuilder _builder;
    private readonly OpenedEnvelope _item;
    private readonly DeviceIdentity _device;
    private readonly TimeProvider _time;

    internal PublicationDraft(
        OpenedEnvelope item, long sequence, DeviceIdentity device, TimeProvider time, StateCode? authorState, StateCode? publisherState, ArchiveEntry? entry = null)
    {
        _item = item;
        ArchiveEntry = entry;
        _device = device;
        _time = time;
        Sequence = sequence;
        _builder = new PublicationBuilder(item) { AuthorState = authorState, PublisherState = publisherState };
    }

    /// <summary>
    /// The item's archive <c>Envelope</c> entry as the server placed it (index, receive time and form from the envelope
    /// page), rebuilt here from the envelope bytes: its payload is the envelope's summary in a log of summaries (the record
    /// then carries no ciphertext, entry form 1) or the whole envelope in an older log (entry form 0); null when the server gave no archive index. Prove it with
    /// <c>ReviewArchive.ProveForPublicationAsync</c>.
    /// </summary>
    public ArchiveEntry? ArchiveEntry { get; }

    /// <summary>The item's channel sequence.</summary>
    public long Sequence { get; }

    /// <summary>The item's verified header.</summary>
    public EnvelopeHeader Header => _item.Header;

    /// <summary>
    /// The item's envelope summary: the payload of its archive <c>Envelope</c> entry (docs/protocol.md, 16.2), by which
    /// the caller finds and checks the entry whose inclusion proof it adds.
    /// </summary>
    public EnvelopeSummary Item => EnvelopeSummary.Of(_item.Envelope);

    /// <summary>The item's segments, to choose from.</summary>
    public IReadOnlyList<Segment> Segments => _item.Segments;

    /// <summary>Who the publication is for; required.</summary>
    public PublicationAudience Audience
    {
        get => _builder.Audience;
        set => _builder.Audience = value;
    }

    /// <summary>The author's State; prefilled from the review's directory when it holds an ISO 3166-1 alpha-3 code.</summary>
    public StateCode? AuthorState
    {
        get => _builder.AuthorState;
        set => _builder.AuthorState = value;
    }

    /// <summary>The publishing State; prefilled with this member's State when known.</summary>
    public StateCode? PublisherState
    {
        get => _builder.PublisherState;
        set => _builder.PublisherState = value;
    }

    /// <summary>Discloses segment <paramref name="index"/>.</summary>
    public PublicationDraft Disclose(int index)
    {
        _builder.Disclose(index);
        return this;
    }

    /// <summary>Adds the verified plaintext of the document of disclosed file-reference segment <paramref name="segmentIndex"/>.</summary>
    public PublicationDraft AddDocument(int segmentIndex, ReadOnlyMemory<byte> plaintext)
    {
        _builder.AddDocument(segmentIndex, plaintext);
        return this;
    }

    /// <summary>
    /// The item's archive entry (index, receive time), its inclusion proof and the signed checkpoint, as the review's
    /// archive served them, with the device cards of the checkpoint's cosigners.
    /// </summary>
    public PublicationDraft WithArchive(
        long entryIndex, DateTimeOffset receivedAt, IReadOnlyList<byte[]> proof, SignedCheckpoint checkpoint, IEnumerable<DevicePublicKeys>? cosigners = null,
        EnvelopeEntryForm form = EnvelopeEntryForm.Summary)
    {
        _builder.WithArchive(entryIndex, receivedAt, proof, checkpoint, cosigners, form);
        return this;
    }

    /// <summary>The same from the archive entry the log served for the item (its form is recognised from its payload).</summary>
    public PublicationDraft WithArchive(ArchiveEntry entry, IReadOnlyList<byte[]> proof, SignedCheckpoint checkpoint, IEnumerable<DevicePublicKeys>? cosigners = null)
    {
        _builder.WithArchive(entry, proof, checkpoint, cosigners);
        return this;
    }

    /// <summary>
    /// Builds the record, signed by this device, dated by the client's clock. Throws
    /// <see cref="InvalidOperationException"/> or <see cref="ArgumentException"/> when something is missing or
    /// inconsistent (no segment chosen, no audience, a document that is not the referenced file, a proof that does
    /// not reach the checkpoint).
    /// </summary>
    public PublicationRecord Build() => _builder.Build(_device, _time.GetUtcNow());
}

/// <summary>Why an item could not be prepared for publication.</summary>
/// <param name="Api">The API call that failed, if that was the cause.</param>
/// <param name="Item">The opener's verdict when the item did not open on this device.</param>
/// <param name="NotFound">True when the server holds no item at that sequence.</param>
public readonly record struct PreparePublicationFailure(Api.ApiError? Api, EnvelopeError? Item, bool NotFound)
{
    /// <inheritdoc />
    public override string ToString() =>
        NotFound ? "no item at that sequence" : Item is { } e ? $"the item does not open on this device ({e})" : $"{Api}";
}
