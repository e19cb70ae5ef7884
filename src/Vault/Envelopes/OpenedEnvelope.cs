using SecureDialogue.Vault.Keys;

namespace SecureDialogue.Vault.Envelopes;

/// <summary>A verified, decrypted envelope: the header and segments exactly as the sender signed them.</summary>
public sealed class OpenedEnvelope
{
    private readonly byte[] _saltKey;

    internal OpenedEnvelope(Envelope envelope, DevicePublicKeys sender, IReadOnlyList<Segment> segments, byte[] saltKey)
    {
        Envelope = envelope;
        Sender = sender;
        Segments = segments;
        _saltKey = saltKey;
    }

    /// <summary>The envelope as received.</summary>
    public Envelope Envelope { get; }

    /// <summary>The public header.</summary>
    public EnvelopeHeader Header => Envelope.Header;

    /// <summary>The sender device whose signature verified.</summary>
    public DevicePublicKeys Sender { get; }

    /// <summary>The segments.</summary>
    public IReadOnlyList<Segment> Segments { get; }

    /// <summary>The salt of segment <paramref name="index"/>, to disclose it with proof.</summary>
    public byte[] SegmentSalt(int index) => SegmentCommitments.Salt(_saltKey, index);

    /// <summary>All segment texts joined by blank lines, for display.</summary>
    public string Text => string.Join("\n\n", Segments.Select(s => s.TextContent).Where(t => t is not null));
}
