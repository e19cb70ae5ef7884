using System.Collections.Concurrent;
using SecureDialogue.Vault.Keys;

namespace SecureDialogue.Messaging.Dialogue;

/// <summary>
/// Decoded device cards, so that accepting an envelope costs one Ed25519 verification (the envelope's) rather than
/// two. A stored card was decoded and its self-signature verified when the device registered, and decoding is
/// deterministic: an entry is used only when the stored bytes are exactly the ones it was decoded from, so a changed
/// card is decoded (and verified) again. Revocation and ownership are not cached: they come from the database on
/// every call. Bounded.
/// </summary>
internal sealed class DeviceCardCache
{
    private const int MaxEntries = 100_000;
    private readonly ConcurrentDictionary<string, (byte[] Card, DevicePublicKeys Keys)> _entries = new(StringComparer.Ordinal);

    /// <summary>The decoded card, or null when <paramref name="card"/> does not decode and verify.</summary>
    public DevicePublicKeys? Decode(string deviceId, byte[] card)
    {
        if (_entries.TryGetValue(deviceId, out var cached) && cached.Card.AsSpan().SequenceEqual(card))
        {
            return cached.Keys;
        }

        if (!DevicePublicKeys.Decode(card).TryGetValue(out var keys, out _))
        {
            return null;
        }

        if (_entries.Count >= MaxEntries)
        {
            _entries.Clear();
        }

        _entries[deviceId] = ((byte[])card.Clone(), keys);
        return keys;
    }
}
