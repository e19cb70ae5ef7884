using System.Buffers.Binary;
using System.Text;

namespace SecureDialogue.Messaging.Mechanism.Stages;

/// <summary>
/// The bytes of a stage event in the review's log (docs/protocol.md 19.2): <c>"stage/v1" 0x00 || review id (16, big
/// endian UUID) || from (u8) || to (u8) || account id (16) || time (i64 Unix seconds, big endian)</c>.
/// </summary>
internal static class StageEventPayload
{
    private static readonly byte[] s_label = [.. Encoding.ASCII.GetBytes("stage/v1"), 0];

    public static byte[] Encode(Guid reviewId, ReviewStage from, ReviewStage to, Guid accountId, DateTimeOffset at)
    {
        var payload = new byte[s_label.Length + 16 + 1 + 1 + 16 + 8];
        var span = payload.AsSpan();
        s_label.CopyTo(span);
        var offset = s_label.Length;
        reviewId.TryWriteBytes(span[offset..], bigEndian: true, out _);
        offset += 16;
        span[offset++] = (byte)from;
        span[offset++] = (byte)to;
        accountId.TryWriteBytes(span[offset..], bigEndian: true, out _);
        offset += 16;
        BinaryPrimitives.WriteInt64BigEndian(span[offset..], at.ToUnixTimeSeconds());
        return payload;
    }
}
