using SecureDialogue.Vault.Channels;
using SecureDialogue.Vault.Keys;
using SecureDialogue.Vault.Primitives;
using SecureDialogue.Vault.Wire;

namespace SecureDialogue.Vault.Amendments;

/// <summary>
/// The signed amendment statement (docs/protocol.md section 21): <c>version u8 || suite u8 || review 16 || channel
/// (u8 length, ASCII) || action u8 || target envelope id 32 || target counter u64 || [corrections: replacement envelope
/// id 32 || replacement counter u64] || created_at i64 ms || author device id 16 || signature 64</c>, big-endian; the
/// signature is Ed25519 by the author's device over <c>"SecureDialogue/amendment/v1" 0x00 || statement[0..len-64]</c>.
/// </summary>
public static class AmendmentCodec
{
    /// <summary>Size of an envelope id.</summary>
    public const int EnvelopeIdSize = 32;

    /// <summary>Longest statement: a correction in a 32-character channel.</summary>
    public const int MaxSize = 2 + 16 + 1 + ChannelId.MaxLength + 1 + EnvelopeIdSize + 8 + EnvelopeIdSize + 8 + 8 + DeviceId.Size + Ed25519.SignatureSize;

    private const long MaxCreatedAtMs = 253402300799999;

    /// <summary>Signs a correction of <paramref name="target"/> by <paramref name="replacement"/>, both sent by <paramref name="author"/>.</summary>
    /// <exception cref="ArgumentException">The envelopes are not both the author's, in one review and channel, with the replacement's counter above the target's.</exception>
    public static AmendmentStatement SignCorrection(Envelopes.Envelope target, Envelopes.Envelope replacement, DeviceIdentity author, DateTimeOffset createdAt)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(replacement);
        if (replacement.Header.Review != target.Header.Review || replacement.Header.Channel != target.Header.Channel ||
            replacement.Header.Sender != target.Header.Sender || replacement.Header.Counter <= target.Header.Counter)
        {
            throw new ArgumentException("A replacement is a later envelope of the same sender in the same channel.", nameof(replacement));
        }

        return Sign(
            new Amendment(target.Header.Review, target.Header.Channel, AmendmentAction.Correct, target.ComputeId(), target.Header.Counter,
                replacement.ComputeId(), replacement.Header.Counter, createdAt, author.Id),
            author);
    }

    /// <summary>Signs the retraction of <paramref name="target"/>, sent by <paramref name="author"/>.</summary>
    public static AmendmentStatement SignRetraction(Envelopes.Envelope target, DeviceIdentity author, DateTimeOffset createdAt)
    {
        ArgumentNullException.ThrowIfNull(target);
        return Sign(
            new Amendment(target.Header.Review, target.Header.Channel, AmendmentAction.Retract, target.ComputeId(), target.Header.Counter,
                ReadOnlyMemory<byte>.Empty, 0, createdAt, author.Id),
            author);
    }

    /// <summary>Signs <paramref name="amendment"/> with <paramref name="author"/>, which must be its author device.</summary>
    /// <exception cref="ArgumentException">The amendment is not well formed (section 21.2) or names another author.</exception>
    public static AmendmentStatement Sign(Amendment amendment, DeviceIdentity author)
    {
        ArgumentNullException.ThrowIfNull(amendment);
        ArgumentNullException.ThrowIfNull(author);
        if (!IsWellFormed(amendment) || amendment.Author != author.Id)
        {
            throw new ArgumentException("An amendment has a known action, 32-byte envelope ids, counters of 1 or more (a correction's replacement above its target), a time in range, and its signer as author.", nameof(amendment));
        }

        var writer = new CanonicalWriter(MaxSize);
        WriteSignedPart(writer, amendment);
        var signature = new byte[Ed25519.SignatureSize];
        author.Sign([.. ProtocolConstants.AmendmentContext, .. writer.WrittenSpan], signature);
        writer.WriteBytes(signature);
        var truncated = amendment with { CreatedAt = DateTimeOffset.FromUnixTimeMilliseconds(amendment.CreatedAt.ToUnixTimeMilliseconds()) };
        return new AmendmentStatement(truncated, writer.ToArray());
    }

    /// <summary>Decodes a statement without checking its signature (the author's card is needed: <see cref="Verify"/>).</summary>
    public static Result<AmendmentStatement, AmendmentError> Decode(ReadOnlySpan<byte> encoded)
    {
        if (encoded.Length > MaxSize || encoded.Length < 2)
        {
            return AmendmentError.Malformed;
        }

        if (encoded[0] != ProtocolConstants.Version || encoded[1] != ProtocolConstants.Suite)
        {
            return AmendmentError.UnsupportedVersion;
        }

        var reader = new CanonicalReader(encoded[2..]);
        if (!reader.TryReadGuid(out var review) ||
            !reader.TryReadAscii(1, ChannelId.MaxLength, ChannelId.IsAllowed, out var channelName) || !ChannelId.TryParse(channelName, out var channel) ||
            !reader.TryReadByte(out var action) || action is not ((byte)AmendmentAction.Correct or (byte)AmendmentAction.Retract) ||
            !reader.TryReadBytes(EnvelopeIdSize, out var target) ||
            !reader.TryReadUInt64(out var targetCounter) || targetCounter == 0)
        {
            return AmendmentError.Malformed;
        }

        var replacement = ReadOnlySpan<byte>.Empty;
        ulong replacementCounter = 0;
        if (action == (byte)AmendmentAction.Correct &&
            (!reader.TryReadBytes(EnvelopeIdSize, out replacement) || !reader.TryReadUInt64(out replacementCounter) || replacementCounter <= targetCounter))
        {
            return AmendmentError.Malformed;
        }

        if (!reader.TryReadInt64(out var createdAt) || createdAt is < 0 or > MaxCreatedAtMs ||
            !reader.TryReadBytes(DeviceId.Size, out var author) || !reader.TryReadBytes(Ed25519.SignatureSize, out _) || !reader.End)
        {
            return AmendmentError.Malformed;
        }

        var amendment = new Amendment(
            review, channel, (AmendmentAction)action, target.ToArray(), targetCounter, replacement.ToArray(), replacementCounter,
            DateTimeOffset.FromUnixTimeMilliseconds(createdAt), DeviceId.FromBytes(author));
        return new AmendmentStatement(amendment, encoded.ToArray());
    }

    /// <summary>
    /// Decodes and verifies a statement signed by <paramref name="authorCard"/>'s device. Whether that device sent the
    /// named envelopes (the author rule, section 21.3) is the caller's check: <see cref="Names"/>.
    /// </summary>
    public static Result<AmendmentStatement, AmendmentError> Verify(ReadOnlySpan<byte> encoded, DevicePublicKeys authorCard)
    {
        ArgumentNullException.ThrowIfNull(authorCard);
        if (!Decode(encoded).TryGetValue(out var statement, out var error))
        {
            return error;
        }

        if (!statement.Amendment.Author.Equals(authorCard.Id))
        {
            return AmendmentError.BadSignature;
        }

        byte[] message = [.. ProtocolConstants.AmendmentContext, .. encoded[..^Ed25519.SignatureSize]];
        return Ed25519.Verify(authorCard.SigningKey, message, encoded[^Ed25519.SignatureSize..])
            ? statement
            : AmendmentError.BadSignature;
    }

    /// <summary>
    /// Whether <paramref name="envelope"/> is the one a statement names as target (or replacement): same review, channel,
    /// sender (the author), counter and envelope id (constant-time comparison is not needed: ids are public).
    /// </summary>
    public static bool Names(Amendment amendment, Envelopes.Envelope envelope, bool replacement = false)
    {
        ArgumentNullException.ThrowIfNull(amendment);
        ArgumentNullException.ThrowIfNull(envelope);
        var (id, counter) = replacement ? (amendment.ReplacementEnvelopeId, amendment.ReplacementCounter) : (amendment.TargetEnvelopeId, amendment.TargetCounter);
        return (!replacement || amendment.Action == AmendmentAction.Correct) &&
               envelope.Header.Review == amendment.Review && envelope.Header.Channel == amendment.Channel &&
               envelope.Header.Sender == amendment.Author && envelope.Header.Counter == counter &&
               envelope.ComputeId().AsSpan().SequenceEqual(id.Span);
    }

    /// <summary>
    /// Whether an envelope header (of a full envelope or of its summary, section 7.12) agrees with what a statement says of
    /// its target or replacement, without the envelope id: for archive entries kept in summary form (sealed bundles).
    /// </summary>
    public static bool NamesHeader(Amendment amendment, Envelopes.EnvelopeHeader header, bool replacement = false)
    {
        ArgumentNullException.ThrowIfNull(amendment);
        ArgumentNullException.ThrowIfNull(header);
        return (!replacement || amendment.Action == AmendmentAction.Correct) &&
               header.Review == amendment.Review && header.Channel == amendment.Channel && header.Sender == amendment.Author &&
               header.Counter == (replacement ? amendment.ReplacementCounter : amendment.TargetCounter);
    }

    private static void WriteSignedPart(CanonicalWriter writer, Amendment amendment)
    {
        writer.WriteByte(ProtocolConstants.Version);
        writer.WriteByte(ProtocolConstants.Suite);
        writer.WriteGuid(amendment.Review);
        writer.WriteAscii(amendment.Channel.Value);
        writer.WriteByte((byte)amendment.Action);
        writer.WriteBytes(amendment.TargetEnvelopeId.Span);
        writer.WriteUInt64(amendment.TargetCounter);
        if (amendment.Action == AmendmentAction.Correct)
        {
            writer.WriteBytes(amendment.ReplacementEnvelopeId.Span);
            writer.WriteUInt64(amendment.ReplacementCounter);
        }

        writer.WriteInt64(amendment.CreatedAt.ToUnixTimeMilliseconds());
        writer.WriteBytes(amendment.Author.Bytes);
    }

    private static bool IsWellFormed(Amendment a) =>
        a.Channel.Value is not null && a.TargetEnvelopeId.Length == EnvelopeIdSize && a.TargetCounter >= 1 &&
        a.CreatedAt.ToUnixTimeMilliseconds() is >= 0 and <= MaxCreatedAtMs &&
        a.Action switch
        {
            AmendmentAction.Correct => a.ReplacementEnvelopeId.Length == EnvelopeIdSize && a.ReplacementCounter > a.TargetCounter,
            AmendmentAction.Retract => a.ReplacementEnvelopeId.IsEmpty && a.ReplacementCounter == 0,
            _ => false,
        };
}
