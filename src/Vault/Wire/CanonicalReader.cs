using System.Buffers.Binary;
using System.Text;

namespace SecureDialogue.Vault.Wire;

/// <summary>
/// Bounded reader for the vault's canonical binary encodings: big-endian integers, length-prefixed byte
/// strings with a caller-given maximum. Every method returns false instead of reading past the input, so a
/// decoder built on it is linear in its input and never throws on hostile bytes.
/// </summary>
internal ref struct CanonicalReader
{
    private readonly ReadOnlySpan<byte> _buffer;
    private int _position;

    public CanonicalReader(ReadOnlySpan<byte> buffer)
    {
        _buffer = buffer;
        _position = 0;
    }

    public readonly int Position => _position;

    public readonly int Remaining => _buffer.Length - _position;

    public readonly bool End => _position == _buffer.Length;

    public readonly ReadOnlySpan<byte> Consumed => _buffer[.._position];

    public bool TryReadByte(out byte value)
    {
        if (Remaining < 1)
        {
            value = 0;
            return false;
        }

        value = _buffer[_position++];
        return true;
    }

    public bool TryReadUInt16(out ushort value)
    {
        value = 0;
        if (!TryReadBytes(2, out var bytes))
        {
            return false;
        }

        value = BinaryPrimitives.ReadUInt16BigEndian(bytes);
        return true;
    }

    public bool TryReadUInt32(out uint value)
    {
        value = 0;
        if (!TryReadBytes(4, out var bytes))
        {
            return false;
        }

        value = BinaryPrimitives.ReadUInt32BigEndian(bytes);
        return true;
    }

    public bool TryReadUInt64(out ulong value)
    {
        value = 0;
        if (!TryReadBytes(8, out var bytes))
        {
            return false;
        }

        value = BinaryPrimitives.ReadUInt64BigEndian(bytes);
        return true;
    }

    public bool TryReadInt64(out long value)
    {
        value = 0;
        if (!TryReadBytes(8, out var bytes))
        {
            return false;
        }

        value = BinaryPrimitives.ReadInt64BigEndian(bytes);
        return true;
    }

    public bool TryReadBytes(int count, out ReadOnlySpan<byte> bytes)
    {
        if (count < 0 || Remaining < count)
        {
            bytes = default;
            return false;
        }

        bytes = _buffer.Slice(_position, count);
        _position += count;
        return true;
    }

    public bool TryReadGuid(out Guid value)
    {
        value = Guid.Empty;
        if (!TryReadBytes(16, out var bytes))
        {
            return false;
        }

        value = new Guid(bytes, bigEndian: true);
        return true;
    }

    /// <summary>u8 length then that many bytes; fails when the length is outside [min, max].</summary>
    public bool TryReadShortBytes(int min, int max, out ReadOnlySpan<byte> bytes)
    {
        bytes = default;
        return TryReadByte(out var length) && length >= min && length <= max && TryReadBytes(length, out bytes);
    }

    /// <summary>u32 length then that many bytes; fails when the length is outside [min, max].</summary>
    public bool TryReadLongBytes(int min, int max, out ReadOnlySpan<byte> bytes)
    {
        bytes = default;
        return TryReadUInt32(out var length) && length >= (uint)min && length <= (uint)max && TryReadBytes((int)length, out bytes);
    }

    /// <summary>u8-length-prefixed ASCII limited to the given characters.</summary>
    public bool TryReadAscii(int min, int max, Func<byte, bool> allowed, out string value)
    {
        value = string.Empty;
        if (!TryReadShortBytes(min, max, out var bytes))
        {
            return false;
        }

        foreach (var b in bytes)
        {
            if (!allowed(b))
            {
                return false;
            }
        }

        value = Encoding.ASCII.GetString(bytes);
        return true;
    }
}
