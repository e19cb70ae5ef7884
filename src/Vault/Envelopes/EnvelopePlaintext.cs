using System.Buffers.Binary;
using System.Security.Cryptography;

namespace SecureDialogue.Vault.Envelopes;

/// <summary>
/// The body before encryption: <c>u8 version(1) || salt key(32) || u16 count || (u8 kind || u32 length ||
/// content)* || zero padding</c> up to the Padmé length.
/// </summary>
internal static class EnvelopePlaintext
{
    public const byte Version = 1;
    private const int FixedPart = 1 + SegmentCommitments.SaltKeySize + 2;

    public static int UnpaddedLength(IReadOnlyList<Segment> segments)
    {
        // Indexed loops: foreach over an IReadOnlyList boxes its enumerator, once per message.
        long length = FixedPart;
        for (var i = 0; i < segments.Count; i++)
        {
            length += 1 + 4 + segments[i].Content.Length;
        }

        return length > int.MaxValue ? int.MaxValue : (int)length;
    }

    public static void Write(Span<byte> destination, ReadOnlySpan<byte> saltKey, IReadOnlyList<Segment> segments)
    {
        destination[0] = Version;
        saltKey.CopyTo(destination[1..]);
        BinaryPrimitives.WriteUInt16BigEndian(destination[(1 + SegmentCommitments.SaltKeySize)..], (ushort)segments.Count);
        var offset = FixedPart;
        for (var i = 0; i < segments.Count; i++)
        {
            var segment = segments[i];
            destination[offset] = (byte)segment.Kind;
            BinaryPrimitives.WriteUInt32BigEndian(destination[(offset + 1)..], (uint)segment.Content.Length);
            segment.Content.Span.CopyTo(destination[(offset + 5)..]);
            offset += 5 + segment.Content.Length;
        }

        destination[offset..].Clear();
    }

    /// <summary>Parses a decrypted body; null when anything is off, including non-zero padding.</summary>
    public static (byte[] SaltKey, List<Segment> Segments)? TryRead(ReadOnlySpan<byte> plaintext, int expectedSegments)
    {
        if (plaintext.Length < FixedPart || plaintext[0] != Version)
        {
            return null;
        }

        var saltKey = plaintext.Slice(1, SegmentCommitments.SaltKeySize).ToArray();
        var count = BinaryPrimitives.ReadUInt16BigEndian(plaintext[(1 + SegmentCommitments.SaltKeySize)..]);
        if (count != expectedSegments)
        {
            return null;
        }

        var segments = new List<Segment>(count);
        var offset = FixedPart;
        for (var i = 0; i < count; i++)
        {
            if (plaintext.Length - offset < 5)
            {
                return null;
            }

            var kind = plaintext[offset];
            var length = BinaryPrimitives.ReadUInt32BigEndian(plaintext[(offset + 1)..]);
            if (length > (uint)(plaintext.Length - offset - 5))
            {
                return null;
            }

            var segment = Segment.TryCreate(kind, plaintext.Slice(offset + 5, (int)length));
            if (segment is null)
            {
                return null;
            }

            segments.Add(segment);
            offset += 5 + (int)length;
        }

        if (plaintext[offset..].ContainsAnyExcept((byte)0))
        {
            return null;
        }

        return (saltKey, segments);
    }

    public static void Wipe(Span<byte> buffer) => CryptographicOperations.ZeroMemory(buffer);
}
