using System.Buffers.Binary;
using System.Diagnostics;
using System.Text;

namespace SecureDialogue.Vault.Wire;

/// <summary>
/// The same encodings as <see cref="CanonicalWriter"/>, written into a caller-provided span whose size the
/// caller computed beforehand (hot paths that must not allocate). Writing past the end throws.
/// </summary>
internal ref struct CanonicalSpanWriter
{
    private readonly Span<byte> _buffer;
    private int _position;

    public CanonicalSpanWriter(Span<byte> buffer)
    {
        _buffer = buffer;
        _position = 0;
    }

    public readonly int Length => _position;

    public readonly ReadOnlySpan<byte> WrittenSpan => _buffer[.._position];

    public void WriteByte(byte value) => _buffer[_position++] = value;

    public void WriteUInt16(ushort value)
    {
        BinaryPrimitives.WriteUInt16BigEndian(_buffer[_position..], value);
        _position += 2;
    }

    public void WriteUInt32(uint value)
    {
        BinaryPrimitives.WriteUInt32BigEndian(_buffer[_position..], value);
        _position += 4;
    }

    public void WriteUInt64(ulong value)
    {
        BinaryPrimitives.WriteUInt64BigEndian(_buffer[_position..], value);
        _position += 8;
    }

    public void WriteInt64(long value)
    {
        BinaryPrimitives.WriteInt64BigEndian(_buffer[_position..], value);
        _position += 8;
    }

    /// <summary>Raw bytes; <paramref name="value"/> may already be the destination (a no-op copy).</summary>
    public void WriteBytes(ReadOnlySpan<byte> value)
    {
        value.CopyTo(_buffer[_position..]);
        _position += value.Length;
    }

    public void WriteGuid(Guid value)
    {
        var ok = value.TryWriteBytes(_buffer[_position..], bigEndian: true, out var written);
        if (!ok)
        {
            throw new ArgumentException("The destination is too small.");
        }

        Debug.Assert(written == 16);
        _position += 16;
    }

    /// <summary>u8 length then the ASCII bytes, as <see cref="CanonicalWriter.WriteAscii"/>.</summary>
    public void WriteAscii(string value)
    {
        Debug.Assert(value.Length <= byte.MaxValue);
        WriteByte((byte)value.Length);
        _position += Encoding.ASCII.GetBytes(value, _buffer[_position..]);
    }

    /// <summary>Encoded size of <see cref="WriteAscii"/>.</summary>
    public static int AsciiLength(string value) => 1 + value.Length;
}
