using SecureDialogue.Vault.Channels;
using SecureDialogue.Vault.Keys;

namespace SecureDialogue.Vault.Amendments;

/// <summary>What an amendment does to the item it names (docs/protocol.md section 21).</summary>
public enum AmendmentAction : byte
{
    /// <summary>The item is replaced by a newer envelope of the same author in the same channel.</summary>
    Correct = 1,

    /// <summary>The item is withdrawn by its author; it stays in the archive.</summary>
    Retract = 2,
}

/// <summary>Why an amendment statement was refused.</summary>
public enum AmendmentError
{
    /// <summary>No error.</summary>
    None = 0,

    /// <summary>Wrong length or structure, an unknown action, a bad channel name, counters out of order, a time out of range.</summary>
    Malformed,

    /// <summary>A version or suite this build does not implement.</summary>
    UnsupportedVersion,

    /// <summary>The signature does not verify with the author's card, or the card is another device's.</summary>
    BadSignature,
}

/// <summary>
/// An author's correction or retraction of one of its envelopes (docs/protocol.md section 21). It names envelopes by
/// their envelope id (section 7.9) and sender counter, never by content: a correction's new text travels as an ordinary
/// end-to-end encrypted envelope (the replacement) sent before the statement.
/// </summary>
/// <param name="Review">The review of both envelopes.</param>
/// <param name="Channel">The channel of both envelopes.</param>
/// <param name="Action">Correct or retract.</param>
/// <param name="TargetEnvelopeId">Envelope id (32 bytes) of the amended envelope.</param>
/// <param name="TargetCounter">The amended envelope's sender counter (its header's).</param>
/// <param name="ReplacementEnvelopeId">Corrections: envelope id of the replacement; empty for retractions.</param>
/// <param name="ReplacementCounter">Corrections: the replacement's sender counter, above <paramref name="TargetCounter"/>; 0 for retractions.</param>
/// <param name="CreatedAt">The author's clock when signing (whole milliseconds; a claim, not a proof of time).</param>
/// <param name="Author">The signing device: the sender of both envelopes.</param>
public sealed record Amendment(
    Guid Review, ChannelId Channel, AmendmentAction Action, ReadOnlyMemory<byte> TargetEnvelopeId, ulong TargetCounter,
    ReadOnlyMemory<byte> ReplacementEnvelopeId, ulong ReplacementCounter, DateTimeOffset CreatedAt, DeviceId Author);

/// <summary>A decoded amendment statement and its exact bytes.</summary>
/// <param name="Amendment">What it says.</param>
/// <param name="Encoded">The whole statement (signed part then the 64-byte signature).</param>
public sealed record AmendmentStatement(Amendment Amendment, byte[] Encoded);
